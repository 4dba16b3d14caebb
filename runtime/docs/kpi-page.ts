// `kpi/NAME.html`: one KPI for the people who review it. First what it says
// now (value, status, since when, which segments), then the trend against its
// bands and the latest periods, then the definition: formula, measures,
// thresholds, the KPIs it reads and that read it, the path to the customer,
// the version history, and the compiled SQL folded away.

import type { Kpi, Span } from '../../compiler/index.ts';
import { nameKey } from '../../compiler/index.ts';
import { globalThresholds } from './charts.ts';
import { framePage } from './frame.ts';
import type { Lineage } from './graph.ts';
import { targetTablesOf } from './graph.ts';
import { escapeHtml as e, table } from './html.ts';
import type { CatalogInput } from './pages.ts';
import { compiled, lifecycleStatus, lineage, link } from './pages.ts';
import { statusBadge } from './scorecard.ts';
import type { KpiSummary } from './summary.ts';
import { showNumber, summarise, trendText } from './summary.ts';
import type { SeriesPoint } from './values.ts';

/** How many of the latest periods the page's table lists. */
const LATEST_ROWS = 8;

function facts(input: CatalogInput, kpi: Kpi): string {
  const rows: [string, string][] = [
    ['lifecycle', `${lifecycleStatus(kpi)}${kpi.version === undefined ? '' : `, version ${kpi.version}`}`],
    ['owner', e(kpi.owner ?? 'none')],
    ['perspective', kpi.perspective],
    ['customer value', e(kpi.customerValue ?? '')],
    ['indicator', kpi.indicator ?? ''],
    ['direction', kpi.direction ?? ''],
    ['grain', kpi.grain ?? 'none'],
    [
      'segments',
      kpi.segments.map((s) => `<code>${e(s.qualifier ? `${s.qualifier}.${s.name}` : s.name)}</code>`).join(', ') ||
        'none',
    ],
    ['tags', kpi.tags.map(e).join(', ')],
    ['declared in', `<code>${e(kpi.file)}:${kpi.nameSpan.start.line}</code>`],
  ];
  if (kpi.replacedBy) {
    const next = input.model.kpis.get(nameKey(kpi.replacedBy));
    rows.splice(1, 0, ['replaced by', next ? link(next, 1) : `<code>${e(kpi.replacedBy)}</code>`]);
  }
  return `<dl class="facts">${rows
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('')}</dl>`;
}

function headline(kpi: Kpi, summary: KpiSummary): string {
  if (!summary.latest) return '<p>No complete period has a value yet.</p>';
  const trend = trendText(summary);
  const parts = [
    `<p class="headline"><span class="value">${e(showNumber(summary.latest.value, kpi.format))}</span> in ${e(summary.latest.period ?? 'the whole range')} ${statusBadge(summary.status)}${trend.words ? ` <span class="trend">${trend.arrow} ${e(trend.words)}</span>` : ''}</p>`,
  ];
  if (summary.offTargetSince) {
    const n = summary.offTargetSince.periods;
    parts.push(
      `<p>Off target since ${e(summary.offTargetSince.period ?? 'the start')}: ${n} period${n === 1 ? '' : 's'} in a row.</p>`,
    );
  }
  if (summary.breaches.length > 0) {
    const rows = summary.breaches.map((b) => [
      `<code>${e(b.dimension)}</code>`,
      e(b.segment),
      e(showNumber(b.value, kpi.format)),
      statusBadge(b.status),
    ]);
    parts.push(
      '<h3>Segments in breach in the latest complete period</h3>',
      table(['segment by', 'segment', 'value', 'status'], rows),
    );
  }
  if (kpi.thresholds.length > 0) {
    const bands = globalThresholds(kpi).map((t) => `${t.level} ${t.op} ${showNumber(t.value, kpi.format)}`);
    if (bands.length > 0) parts.push(`<p class="muted">Bands on the chart: ${e(bands.join('; '))}.</p>`);
  }
  return parts.join('\n');
}

function latestTable(points: readonly SeriesPoint[], format: Kpi['format']): string {
  const rows = points
    .slice(-LATEST_ROWS)
    .reverse()
    .map((p) => [
      e(p.period ?? 'all') + (p.incomplete ? ' <span class="muted">(incomplete)</span>' : ''),
      `<span class="num">${e(showNumber(p.value, format))}</span>`,
      statusBadge(p.status ?? 'none'),
      p.targetMet === null ? '' : p.targetMet ? 'yes' : 'no',
    ]);
  return table(['period', 'value', 'status', 'target met'], rows);
}

function valuesSection(input: CatalogInput, kpi: Kpi): string {
  if (!input.values) return '';
  const key = nameKey(kpi.name);
  const values = input.values.get(key);
  if (!values) return '';
  if (values.error) return `<h2>Values</h2>\n<p>This KPI could not be computed on the data: ${e(values.error)}</p>`;
  const charts = input.charts?.get(key);
  const summary = summarise(kpi, values);
  const parts = ['<h2>Now</h2>', headline(kpi, summary), '<h2>Over time</h2>'];
  if (charts?.trend) {
    const n = values.total.length;
    const incomplete = values.total.filter((p) => p.incomplete).length;
    const caption = `${n} period${n === 1 ? '' : 's'}${incomplete > 0 ? `, ${incomplete} incomplete (pale points)` : ''}; bands: target green, warn amber, critical red.`;
    parts.push(
      `<figure class="chart" data-chart="trend" data-points="${values.total.filter((p) => p.value !== null).length}">${charts.trend}<figcaption>${e(caption)}</figcaption></figure>`,
    );
  }
  parts.push(latestTable(values.total, kpi.format));
  for (const multiple of charts?.multiples ?? []) {
    const figures = multiple.charts.map(
      (c) =>
        `<figure data-segment="${e(c.segment)}">${c.svg}<figcaption>${e(c.segment)} ${statusBadge(c.status)}</figcaption></figure>`,
    );
    const more =
      multiple.more > 0
        ? `<p class="muted">and ${multiple.more} more values of <code>${e(multiple.dimension)}</code> (run <code>kpic run ${e(kpi.name)} --by ${e(multiple.dimension)}</code>).</p>`
        : '';
    parts.push(
      `<h3>By <code>${e(multiple.dimension)}</code></h3>\n<div class="multiples">${figures.join('\n')}</div>${more}`,
    );
  }
  return parts.join('\n');
}

function formula(input: CatalogInput, kpi: Kpi): string {
  const slice = (file: string, span: Span | undefined) =>
    span ? (input.texts.get(file)?.slice(span.start.offset, span.end.offset) ?? '') : '';
  const lines: string[] = [];
  if (kpi.value) lines.push(`value = ${slice(kpi.file, kpi.value.span)}`);
  if (kpi.numerator) lines.push(`numerator   = ${slice(kpi.file, kpi.numerator.span)}`);
  if (kpi.denominator) lines.push(`denominator = ${slice(kpi.file, kpi.denominator.span)}`);
  if (kpi.scale) lines.push(`scale       = ${kpi.scale}`);
  if (kpi.where) lines.push(`where       ${slice(kpi.file, kpi.where.span)}`);
  if (kpi.window) lines.push(`window      ${kpi.window.amount} ${kpi.window.unit}`);
  if (kpi.minSample !== undefined) lines.push(`min_sample  ${kpi.minSample}`);
  return `<pre>${e(lines.join('\n'))}</pre>`;
}

function definition(input: CatalogInput, kpi: Kpi, graph: Lineage): string {
  const { model } = input;
  const slice = (file: string, span: Span) => input.texts.get(file)?.slice(span.start.offset, span.end.offset) ?? '';
  const key = nameKey(kpi.name);
  const kpiLinks = (keys: readonly string[] | undefined) =>
    (keys ?? [])
      .map((k) => model.kpis.get(k))
      .filter((k): k is Kpi => k !== undefined)
      .map((k) => link(k, 1))
      .join(', ');
  const measures = kpi.measures.map((mkey) => {
    const m = model.measures.get(mkey);
    if (!m) return [e(mkey), '', '', '', ''];
    const others = (graph.measureUsers.get(mkey) ?? []).filter((k) => k !== key);
    return [
      `<code>${e(m.name)}</code>`,
      `<code>${e(slice(m.file, m.span))}</code>`,
      e(model.sources.get(m.source)?.name ?? m.source),
      m.side,
      kpiLinks(others) || 'no other KPI',
    ];
  });
  const thresholds = kpi.thresholds.map((t) => [
    t.level,
    `<code>${e(slice(t.file, t.span))}</code>`,
    t.table
      ? `per period from table <code>${e(model.sources.get(t.table.source)?.name ?? t.table.source)}.${e(t.table.column)}</code>`
      : '',
  ]);
  const targets = targetTablesOf(kpi).map(
    (t) => `<code>${e(model.sources.get(t.source)?.name ?? t.source)}.${e(t.column)}</code>`,
  );
  return [
    '<h2>Formula</h2>',
    formula(input, kpi),
    '<h2>Measures</h2>',
    measures.length > 0
      ? table(['measure', 'definition', 'source', 'side', 'also used by'], measures)
      : '<p>None: a derived KPI.</p>',
    '<h2>Thresholds</h2>',
    thresholds.length === 0
      ? '<p>None.</p>'
      : targets.length > 0
        ? table(
            ['level', 'rule', 'value'],
            thresholds.map(([level, rule, from]) => [level!, rule!, from || 'as written']),
          )
        : table(
            ['level', 'rule'],
            thresholds.map(([level, rule]) => [level!, rule!]),
          ),
    '<h2>Reads and read by</h2>',
    `<dl class="facts"><dt>reads</dt><dd>${kpiLinks(graph.reads.get(key)) || 'no other KPI'}</dd><dt>read by</dt><dd>${kpiLinks(graph.readBy.get(key)) || 'no other KPI'}</dd>${targets.length > 0 ? `<dt>targets from</dt><dd>${targets.join(', ')}</dd>` : ''}</dl>`,
    '<h2>Path to the customer</h2>',
    lineage(model, kpi),
  ].join('\n');
}

/** The KPI's alerts with their RACI roles: who is responsible, accountable, consulted, informed. */
function alerts(input: CatalogInput, kpi: Kpi): string {
  const list = kpi.alerts ?? [];
  if (list.length === 0) return '';
  const names = (roles: readonly string[]) => e(roles.join(', ')) || '—';
  const rows = list.map((a) => [
    `<code>${e(a.name)}</code>`,
    names(a.responsible.length > 0 ? a.responsible : kpi.owner ? [kpi.owner] : []),
    names(a.accountable),
    names(a.consulted),
    names(a.informed),
    a.escalateAfter === undefined ? '—' : `after ${a.escalateAfter} period${a.escalateAfter === 1 ? '' : 's'}`,
  ]);
  return `<h2>Alerts and who is told</h2>\n${table(['alert', 'responsible', 'accountable', 'consulted', 'informed', 'escalation'], rows)}`;
}

function history(input: CatalogInput, kpi: Kpi): string {
  const entries = input.history?.get(kpi.file);
  if (!entries || entries.length === 0) return '';
  const rows = entries.map((h) => [`<code>${e(h.commit)}</code>`, e(h.date), e(h.author), e(h.subject)]);
  return `<h2>Version history</h2>\n<p class="muted">Commits that changed <code>${e(kpi.file)}</code>, newest first.</p>\n${table(['commit', 'date', 'author', 'message'], rows)}`;
}

export function renderKpiPage(input: CatalogInput, kpi: Kpi, graph: Lineage): string {
  const parts = [
    `<h1>${e(kpi.title ?? kpi.name)} <small><code>${e(kpi.name)}</code></small></h1>`,
    kpi.description ? `<p>${e(kpi.description)}</p>` : '',
    facts(input, kpi),
    valuesSection(input, kpi),
    definition(input, kpi, graph),
    alerts(input, kpi),
    history(input, kpi),
    '<h2>Compiled SQL</h2>',
    `<details><summary>The default query (<code>kpic compile ${e(kpi.name)}</code>)</summary>\n<p>File paths are shown under the data root <code>${e(input.dataRoot)}</code>.</p>\n<pre>${e(compiled(input, kpi))}</pre>\n</details>`,
  ];
  return framePage(kpi.title ?? kpi.name, parts.filter((p) => p !== '').join('\n'), 1, 'kpi');
}
