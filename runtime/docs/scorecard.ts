// `index.html`: the scorecard. Every active KPI as a tile (latest value,
// sparkline, status in colour and in words, trend arrow, since when it is off
// target, the segments in breach), grouped by perspective (customer outcomes
// beside company outcomes) or by owner, searchable and filterable.

import type { Kpi } from '../../compiler/index.ts';
import { framePage } from './frame.ts';
import { escapeHtml as e, kpiPage } from './html.ts';
import type { CatalogInput } from './pages.ts';
import type { KpiSummary } from './summary.ts';
import { showNumber, summarise, trendText } from './summary.ts';

const byName = (a: Kpi, b: Kpi) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1);

/** The status in words, with its colour as a class: status is never colour alone. */
export function statusBadge(status: string): string {
  const words = status === 'none' ? 'no status' : status;
  return `<span class="status status-${e(status)}">${e(words)}</span>`;
}

function tile(input: CatalogInput, kpi: Kpi, summary: KpiSummary): string {
  const key = kpi.name.toLowerCase();
  const charts = input.charts?.get(key);
  const values = input.values?.get(key);
  const trend = trendText(summary);
  const search = [kpi.name, kpi.title ?? '', kpi.owner ?? '', kpi.description ?? '', ...kpi.tags]
    .join(' ')
    .toLowerCase();
  const lines: string[] = [];
  lines.push(`<h3><a href="${kpiPage(kpi.name)}">${e(kpi.title ?? kpi.name)}</a></h3>`);
  if (input.values) {
    if (values?.error) {
      lines.push(`<p class="meta">could not be computed: ${e(values.error)}</p>`);
    } else {
      const period = summary.latest?.period ? ` <span class="meta">in ${e(summary.latest.period)}</span>` : '';
      const arrow =
        trend.arrow === ''
          ? ''
          : `<span class="trend" aria-label="${e(trend.words)}" title="${e(trend.words)}">${trend.arrow}</span>`;
      lines.push(
        `<div><span class="value">${e(showNumber(summary.latest?.value, kpi.format))}</span>${arrow}${period}</div>`,
      );
      lines.push(
        `<div>${statusBadge(summary.status)}${summary.offTargetSince ? ` <span class="meta">since ${e(summary.offTargetSince.period ?? 'the start')} (${summary.offTargetSince.periods} period${summary.offTargetSince.periods === 1 ? '' : 's'})</span>` : ''}</div>`,
      );
      if (charts?.spark) lines.push(`<div class="spark" aria-hidden="true">${charts.spark}</div>`);
      if (summary.breaches.length > 0) {
        const shown = summary.breaches.slice(0, 3).map((b) => `${e(b.dimension)} ${e(b.segment)} (${b.status})`);
        const more = summary.breaches.length > 3 ? `, and ${summary.breaches.length - 3} more` : '';
        lines.push(`<p class="meta">in breach: ${shown.join(', ')}${more}</p>`);
      }
    }
  }
  lines.push(`<p class="meta">${e(kpi.owner ?? 'no owner')} · <code>${e(kpi.name)}</code></p>`);
  const attributes = [
    `data-search="${e(search)}"`,
    `data-status="${e(input.values ? summary.status : 'none')}"`,
    `data-perspective="${kpi.perspective}"`,
    `data-owner="${e(kpi.owner ?? '')}"`,
  ].join(' ');
  return `<li class="tile" ${attributes}>\n${lines.join('\n')}\n</li>`;
}

function grouped(
  input: CatalogInput,
  kpis: readonly Kpi[],
  summaries: ReadonlyMap<string, KpiSummary>,
  by: 'perspective' | 'owner',
): string {
  const groups = new Map<string, Kpi[]>();
  const keyOf = (k: Kpi) => (by === 'perspective' ? k.perspective : (k.owner ?? ''));
  for (const kpi of kpis) groups.set(keyOf(kpi), [...(groups.get(keyOf(kpi)) ?? []), kpi]);
  const order = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1));
  const heading = (g: string) =>
    by === 'perspective' ? (g === 'customer' ? 'Customer outcomes' : 'Company outcomes') : g === '' ? 'No owner' : g;
  const sections = order.map((g) => {
    const tiles = groups.get(g)!.map((k) => tile(input, k, summaries.get(k.name.toLowerCase())!));
    return `<section>\n<h2>${e(heading(g))}</h2>\n<ul class="tiles">\n${tiles.join('\n')}\n</ul>\n</section>`;
  });
  return `<div data-grouping="${by}"${by === 'owner' ? ' hidden' : ''}>\n${sections.join('\n')}\n</div>`;
}

function options(values: readonly string[], label: (v: string) => string): string {
  return values.map((v) => `<option value="${e(v)}">${e(label(v))}</option>`).join('');
}

export function renderScorecard(input: CatalogInput): string {
  const all = [...input.model.kpis.values()].sort(byName);
  const active = all.filter((k) => k.status === 'active');
  const summaries = new Map(
    active.map((k) => [k.name.toLowerCase(), summarise(k, input.values?.get(k.name.toLowerCase()))]),
  );
  const count = (s: Kpi['status']) => all.filter((k) => k.status === s).length;
  const owners = [...new Set(active.map((k) => k.owner ?? ''))].sort();
  const offTarget = [...summaries.values()].filter((s) => s.status === 'warn' || s.status === 'critical').length;
  const parts = [
    `<h1>${e(input.name)}: KPI scorecard</h1>`,
    `<p>${all.length} KPIs: ${count('active')} active, ${count('draft')} draft, ${count('deprecated')} deprecated.${
      input.values
        ? ` ${offTarget} of the active KPIs ${offTarget === 1 ? 'is' : 'are'} off target in their latest complete period.`
        : ' Built without data (<code>kpic docs --values</code> adds values, charts and statuses).'
    }</p>`,
    '<div class="controls" role="search">',
    '<label for="search">Search<input id="search" type="search" placeholder="title, name, owner, tag" autocomplete="off"></label>',
    `<label for="group">Group by<select id="group"><option value="perspective">perspective</option><option value="owner">owner</option></select></label>`,
    `<label for="filter-status">Status<select id="filter-status" data-filter="status"><option value="">any</option>${options(['critical', 'warn', 'ok', 'insufficient', 'none'], (v) => (v === 'none' ? 'no status' : v))}</select></label>`,
    `<label for="filter-perspective">Perspective<select id="filter-perspective" data-filter="perspective"><option value="">any</option>${options(['customer', 'company'], (v) => v)}</select></label>`,
    `<label for="filter-owner">Owner<select id="filter-owner" data-filter="owner"><option value="">any</option>${options(owners, (v) => v || 'no owner')}</select></label>`,
    '<output id="shown" aria-live="polite" class="muted"></output>',
    '</div>',
    grouped(input, active, summaries, 'perspective'),
    grouped(input, active, summaries, 'owner'),
  ];
  const drafts = all.filter((k) => k.status === 'draft');
  if (drafts.length > 0) {
    parts.push(
      `<h2>Drafts</h2>\n<p>${drafts.map((k) => `<a href="${kpiPage(k.name)}"><code>${e(k.name)}</code></a>`).join(', ')}</p>`,
    );
  }
  return framePage(`${input.name}: KPI scorecard`, parts.join('\n'), 0, 'scorecard');
}
