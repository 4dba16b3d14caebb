// `kpic report`: a one-file review of the latest complete period, for a
// quarterly business review or a pull-request comment. Each active KPI's
// value, its change against the previous period and against the same period
// a year before, its status, and a line per segment in breach. Markdown for
// comments, HTML (one self-contained file, charts inline) for people.

import type { Kpi, Model, ValueFormat } from '../../compiler/index.ts';
import { escapeControls, nameKey } from '../../compiler/index.ts';
import { trendChart } from './charts.ts';
import { CATALOG_CSS } from './frame.ts';
import { escapeHtml as e } from './html.ts';
import { statusBadge } from './scorecard.ts';
import type { KpiSummary } from './summary.ts';
import { changeOf, showNumber, summarise } from './summary.ts';
import type { KpiValues } from './values.ts';

export const REPORT_FORMATS = ['markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportInput {
  readonly name: string;
  readonly model: Model;
  readonly kpis: readonly Kpi[];
  readonly values: ReadonlyMap<string, KpiValues>;
}

interface Row {
  readonly kpi: Kpi;
  readonly summary: KpiSummary;
  readonly error?: string;
}

function rowsOf(input: ReportInput): Row[] {
  return input.kpis.map((kpi) => {
    const values = input.values.get(nameKey(kpi.name));
    return { kpi, summary: summarise(kpi, values), ...(values?.error ? { error: values.error } : {}) };
  });
}

/**
 * `+3.2 (+12.5%)`, or `—` when either value is missing. The change is in
 * the KPI's `format`; a percent KPI's change is in percentage points
 * (`+1.5 pp (+12.5%)`), so it is not read as the relative change.
 */
export function changeText(
  after: number | null | undefined,
  before: number | null | undefined,
  format?: ValueFormat,
): string {
  const change = changeOf(after, before);
  if (!change) return '—';
  const sign = change.change > 0 ? '+' : '';
  const pct = change.pct === undefined ? '' : ` (${change.pct > 0 ? '+' : ''}${(change.pct * 100).toFixed(1)}%)`;
  const amount =
    format?.style === 'percent'
      ? `${showNumber(change.change * 100, { style: 'number', ...(format.decimals === undefined ? {} : { decimals: format.decimals }) })} pp`
      : showNumber(change.change, format);
  return `${sign}${amount}${pct}`;
}

function targetMetText(summary: KpiSummary): string {
  const met = summary.latest?.targetMet;
  return met === null || met === undefined ? '—' : met ? 'yes' : 'no';
}

/** Markdown table cells: pipes and line breaks would break the row. */
function md(text: string): string {
  // `<`, `>` and `&` as entities: a title like `NPS <beta>` must not become an HTML tag in a comment.
  // Control characters (from a data value) as visible escapes: the report is often printed to a terminal.
  return escapeControls(
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replace(/[\r\n]+/g, ' '),
  );
}

function breachLines(rows: readonly Row[]): { kpi: Kpi; text: string; status: string }[] {
  const lines: { kpi: Kpi; text: string; status: string }[] = [];
  for (const { kpi, summary } of rows) {
    if (summary.status === 'warn' || summary.status === 'critical') {
      const since = summary.offTargetSince
        ? `, off target since ${summary.offTargetSince.period} (${summary.offTargetSince.periods} period${summary.offTargetSince.periods === 1 ? '' : 's'})`
        : '';
      lines.push({
        kpi,
        status: summary.status,
        text: `all customers: ${showNumber(summary.latest?.value, kpi.format)}, ${summary.status}${since}`,
      });
    }
    for (const b of summary.breaches) {
      lines.push({
        kpi,
        status: b.status,
        text: `${b.dimension} ${b.segment}: ${showNumber(b.value, kpi.format)}, ${b.status}`,
      });
    }
  }
  return lines;
}

export function renderMarkdownReport(input: ReportInput): string {
  const rows = rowsOf(input);
  const out = [`# ${md(input.name)}: KPI review`, '', 'The latest complete period of each active KPI.', ''];
  out.push('| KPI | period | value | vs previous | vs a year ago | status | target met | owner |');
  out.push('| --- | --- | ---: | ---: | ---: | --- | --- | --- |');
  for (const { kpi, summary, error } of rows) {
    const title = `${md(kpi.title ?? kpi.name)} (\`${md(kpi.name)}\`)`;
    if (error) {
      out.push(`| ${title} | — | — | — | — | not computed: ${md(error)} | — | ${md(kpi.owner ?? '')} |`);
      continue;
    }
    const latest = summary.latest;
    out.push(
      `| ${title} | ${md(latest?.period ?? '—')} | ${showNumber(latest?.value, kpi.format)} | ${changeText(latest?.value, summary.previous?.value, kpi.format)} | ${changeText(latest?.value, summary.yearAgo?.value, kpi.format)} | ${summary.status === 'none' ? 'no status' : summary.status} | ${targetMetText(summary)} | ${md(kpi.owner ?? '')} |`,
    );
  }
  const breaches = breachLines(rows);
  out.push('', '## Breaches', '');
  if (breaches.length === 0) out.push('No KPI and no segment is in warn or critical.');
  for (const b of breaches)
    out.push(`- **${md(b.kpi.title ?? b.kpi.name)}** (owner ${md(b.kpi.owner ?? 'none')}): ${md(b.text)}`);
  return `${out.join('\n')}\n`;
}

export async function renderHtmlReport(input: ReportInput): Promise<string> {
  const rows = rowsOf(input);
  const body: string[] = [
    `<h1>${e(input.name)}: KPI review</h1>`,
    '<p>The latest complete period of each active KPI.</p>',
  ];
  const cells: string[] = [];
  for (const { kpi, summary, error } of rows) {
    const title = `${e(kpi.title ?? kpi.name)} <code>${e(kpi.name)}</code>`;
    if (error) {
      cells.push(
        `<tr><td>${title}</td><td colspan="7">not computed: ${e(error)}</td><td>${e(kpi.owner ?? '')}</td></tr>`,
      );
      continue;
    }
    const values = input.values.get(nameKey(kpi.name));
    const spark = values
      ? await trendChart(
          kpi,
          values.total.filter((p) => !p.incomplete),
          { width: 160, height: 30, axes: false },
        )
      : '';
    const latest = summary.latest;
    cells.push(
      `<tr data-kpi="${e(kpi.name)}"><td>${title}</td><td>${e(latest?.period ?? '—')}</td><td class="num">${e(showNumber(latest?.value, kpi.format))}</td><td class="num">${e(changeText(latest?.value, summary.previous?.value, kpi.format))}</td><td class="num">${e(changeText(latest?.value, summary.yearAgo?.value, kpi.format))}</td><td>${statusBadge(summary.status)}</td><td>${targetMetText(summary)}</td><td class="spark" aria-hidden="true">${spark}</td><td>${e(kpi.owner ?? '')}</td></tr>`,
    );
  }
  body.push(
    '<table><thead><tr><th>KPI</th><th>period</th><th>value</th><th>vs previous</th><th>vs a year ago</th><th>status</th><th>target met</th><th>trend</th><th>owner</th></tr></thead>',
    `<tbody>\n${cells.join('\n')}\n</tbody></table>`,
  );
  const breaches = breachLines(rows);
  body.push('<h2>Breaches</h2>');
  body.push(
    breaches.length === 0
      ? '<p>No KPI and no segment is in warn or critical.</p>'
      : `<ul>${breaches.map((b) => `<li><strong>${e(b.kpi.title ?? b.kpi.name)}</strong> (owner ${e(b.kpi.owner ?? 'none')}): ${e(b.text)} ${statusBadge(b.status)}</li>`).join('\n')}</ul>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(input.name)}: KPI review</title>
<style>${CATALOG_CSS}</style>
</head>
<body>
<main id="main">
${body.join('\n')}
</main>
</body>
</html>
`;
}
