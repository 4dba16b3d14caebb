// The pages of the KPI catalog: the index (KPIs by owner, with status), one
// page per KPI, and the archive of deprecated KPIs.

import { hasErrors } from '../../compiler/index.ts';
import { compileQuery } from '../../compiler/index.ts';
import { relationKey } from '../../compiler/index.ts';
import type { Kpi, Model, Source } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';
import { escapeHtml as e, kpiPage, page, table } from './html.ts';

export interface CatalogInput {
  readonly name: string;
  readonly model: Model;
  readonly texts: ReadonlyMap<string, string>;
  /** The data root as the SQL should show it (relative to the project, e.g. `data`). */
  readonly dataRoot: string;
}

const byName = (a: Kpi, b: Kpi) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1);

function link(kpi: Kpi, depth: number): string {
  return `<a href="${'../'.repeat(depth)}${kpiPage(kpi.name)}"><code>${e(kpi.name)}</code></a>`;
}

function status(kpi: Kpi): string {
  return `<span class="status-${kpi.status}">${kpi.status}</span>`;
}

/** `index.html`: every KPI, grouped by owner, with counts by status. */
export function renderIndex(input: CatalogInput): string {
  const kpis = [...input.model.kpis.values()].sort(byName);
  const owners = [...new Set(kpis.map((k) => k.owner ?? ''))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1));
  const count = (s: Kpi['status']) => kpis.filter((k) => k.status === s).length;
  const parts = [
    `<h1>${e(input.name)}: KPI catalog</h1>`,
    `<p>${kpis.length} KPIs: ${count('active')} active, ${count('draft')} draft, ${count('deprecated')} deprecated.</p>`,
  ];
  for (const owner of owners) {
    const mine = kpis.filter((k) => (k.owner ?? '') === owner);
    parts.push(`<h2>${owner === '' ? 'No owner' : e(owner)}</h2>`);
    parts.push(table(['KPI', 'title', 'status', 'perspective', 'indicator', 'grain'], mine.map((k) => [link(k, 0), e(k.title ?? ''), status(k), k.perspective, k.indicator ?? '', k.grain ?? ''])));
  }
  return page(`${input.name}: KPI catalog`, parts.join('\n'), 0);
}

/** `deprecated.html`: the archive of deprecated KPIs and what replaces each. */
export function renderDeprecated(input: CatalogInput): string {
  const kpis = [...input.model.kpis.values()].filter((k) => k.status === 'deprecated').sort(byName);
  const replacement = (k: Kpi) => {
    if (!k.replacedBy) return 'none named';
    const next = input.model.kpis.get(k.replacedBy.toLowerCase());
    return next ? link(next, 0) : `<code>${e(k.replacedBy)}</code> (not found)`;
  };
  const body =
    kpis.length === 0
      ? '<p>No KPI is deprecated.</p>'
      : table(['KPI', 'title', 'owner', 'replaced by', 'version', 'declared in'], kpis.map((k) => [link(k, 0), e(k.title ?? ''), e(k.owner ?? ''), replacement(k), k.version === undefined ? '' : String(k.version), `<code>${e(k.file)}</code>`]));
  return page('Deprecated KPIs', `<h1>Deprecated KPIs</h1>\n<p>KPIs kept for reference: do not build on them; use their replacement.</p>\n${body}`, 0);
}

/** `kpi/NAME.html`: one KPI, its formula, segments, thresholds, lineage and SQL. */
export function renderKpi(input: CatalogInput, kpi: Kpi): string {
  const { model } = input;
  const slice = (file: string, span: Span | undefined) => (span ? (input.texts.get(file)?.slice(span.start.offset, span.end.offset) ?? '') : '');
  const facts: [string, string][] = [
    ['status', `${status(kpi)}${kpi.version === undefined ? '' : `, version ${kpi.version}`}`],
    ['owner', e(kpi.owner ?? 'none')],
    ['perspective', kpi.perspective],
    ['customer value', e(kpi.customerValue ?? '')],
    ['indicator', kpi.indicator ?? ''],
    ['direction', kpi.direction ?? ''],
    ['grain', kpi.grain ?? 'none'],
    ['segments', kpi.segments.map((s) => `<code>${e(s.qualifier ? `${s.qualifier}.${s.name}` : s.name)}</code>`).join(', ') || 'none'],
    ['tags', kpi.tags.map(e).join(', ')],
    ['declared in', `<code>${e(kpi.file)}:${kpi.nameSpan.start.line}</code>`],
  ];
  if (kpi.replacedBy) {
    const next = model.kpis.get(kpi.replacedBy.toLowerCase());
    facts.splice(1, 0, ['replaced by', next ? link(next, 1) : `<code>${e(kpi.replacedBy)}</code>`]);
  }
  const formula: string[] = [];
  if (kpi.value) formula.push(`value = ${slice(kpi.file, kpi.value.span)}`);
  if (kpi.numerator) formula.push(`numerator   = ${slice(kpi.file, kpi.numerator.span)}`);
  if (kpi.denominator) formula.push(`denominator = ${slice(kpi.file, kpi.denominator.span)}`);
  if (kpi.scale) formula.push(`scale       = ${kpi.scale}`);
  if (kpi.where) formula.push(`where       ${slice(kpi.file, kpi.where.span)}`);
  if (kpi.window) formula.push(`window      ${kpi.window.amount} ${kpi.window.unit}`);
  if (kpi.minSample !== undefined) formula.push(`min_sample  ${kpi.minSample}`);
  const thresholds = kpi.thresholds.map((t) => [t.level, `<code>${e(slice(t.file, t.span))}</code>`]);
  const measures = kpi.measures.map((key) => {
    const m = model.measures.get(key);
    if (!m) return [e(key), '', '', ''];
    return [`<code>${e(m.name)}</code>`, `<code>${e(slice(m.file, m.span))}</code>`, e(model.sources.get(m.source)?.name ?? m.source), m.side];
  });
  const parts = [
    `<h1>${e(kpi.title ?? kpi.name)} <small><code>${e(kpi.name)}</code></small></h1>`,
    kpi.description ? `<p>${e(kpi.description)}</p>` : '',
    `<dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    '<h2>Formula</h2>',
    `<pre>${e(formula.join('\n'))}</pre>`,
    '<h2>Measures</h2>',
    measures.length > 0 ? table(['measure', 'definition', 'source', 'side'], measures) : '<p>None: a derived KPI.</p>',
    '<h2>Thresholds</h2>',
    thresholds.length > 0 ? table(['level', 'rule'], thresholds) : '<p>None.</p>',
    '<h2>Lineage to the customer</h2>',
    lineage(model, kpi),
    '<h2>Compiled SQL</h2>',
    `<p>The default query (<code>kpic compile ${e(kpi.name)}</code>); file paths are shown under the data root <code>${e(input.dataRoot)}</code>.</p>`,
    `<pre>${e(compiled(input, kpi))}</pre>`,
  ];
  return page(kpi.title ?? kpi.name, parts.filter((p) => p !== '').join('\n'), 1);
}

/** Each measure: its source's data, and the chain of links to the customer entity. */
function lineage(model: Model, kpi: Kpi): string {
  if (kpi.measures.length === 0) return '<p>A derived KPI: see the KPIs its value reads.</p>';
  const customer = model.customer ? model.sources.get(model.customer) : undefined;
  const rows = kpi.measures.map((key) => {
    const measure = model.measures.get(key);
    const source = measure ? model.sources.get(measure.source) : undefined;
    const path = kpi.customerPaths.find((p) => p.measure === key);
    const chain = !path
      ? '<strong>no path to the customer</strong>'
      : path.path.length === 0
        ? `on the customer entity <code>${e(customer?.name ?? '')}</code>`
        : [source?.name ?? '', ...path.path.map((l) => `${l.kind} <code>${e(l.fromColumn)}</code> → ${e(model.sources.get(l.to)?.name ?? l.to)}`)].map((s, i) => (i === 0 ? `<code>${e(s)}</code>` : s)).join(' → ');
    return [`<code>${e(measure?.name ?? key)}</code>`, source ? dataOf(source, model) : '', chain];
  });
  return table(['measure', 'data', 'path to the customer'], rows);
}

function dataOf(source: Source, model: Model): string {
  if (source.relation.kind === 'derived') return `derived from <code>${e(model.sources.get(source.relation.source)?.name ?? source.relation.source)}</code>`;
  return `<code>${e(relationKey(source.relation))}</code>`;
}

function compiled(input: CatalogInput, kpi: Kpi): string {
  try {
    const result = compileQuery(input.model, { kpi: kpi.name }, { dataRoot: input.dataRoot });
    if (result.value && !hasErrors(result.diagnostics)) return result.value.sql;
    return `-- does not compile: ${result.diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown problem'}`;
  } catch (error) {
    return `-- kpic failed to compile this KPI: ${error instanceof Error ? error.message : String(error)}`;
  }
}
