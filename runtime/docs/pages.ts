// What every catalog page is built from, the archive of deprecated KPIs, and
// the parts of a KPI page that read the model (lineage, compiled SQL).

import { hasErrors } from '../../compiler/index.ts';
import { compileQuery } from '../../compiler/index.ts';
import { relationKey } from '../../compiler/index.ts';
import type { Kpi, Model, Source } from '../../compiler/index.ts';
import { escapeHtml as e, kpiPage, table } from './html.ts';
import { framePage } from './frame.ts';
import type { HistoryEntry } from './history.ts';
import type { KpiValues } from './values.ts';

export interface CatalogInput {
  readonly name: string;
  readonly model: Model;
  readonly texts: ReadonlyMap<string, string>;
  /** The data root as the SQL should show it (relative to the project, e.g. `data`). */
  readonly dataRoot: string;
  /** KPI key -> its values (`kpic docs --values`); absent: a catalog of definitions only. */
  readonly values?: ReadonlyMap<string, KpiValues>;
  /** KPI key -> its charts, rendered to SVG. */
  readonly charts?: ReadonlyMap<string, KpiCharts>;
  /** Project-relative file -> the commits that changed it, newest first (absent outside git). */
  readonly history?: ReadonlyMap<string, readonly HistoryEntry[]>;
}

/** The charts of one KPI, as SVG text. */
export interface KpiCharts {
  readonly spark?: string;
  readonly trend?: string;
  /** Per segment dimension, per segment value. */
  readonly multiples: readonly {
    readonly dimension: string;
    readonly charts: readonly { readonly segment: string; readonly svg: string; readonly status: string }[];
    readonly more: number;
  }[];
}

const byName = (a: Kpi, b: Kpi) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1);

export function link(kpi: Kpi, depth: number): string {
  return `<a href="${'../'.repeat(depth)}${kpiPage(kpi.name)}"><code>${e(kpi.name)}</code></a>`;
}

export function lifecycleStatus(kpi: Kpi): string {
  return `<span class="lifecycle-${kpi.status}">${kpi.status}</span>`;
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
      : table(
          ['KPI', 'title', 'owner', 'replaced by', 'version', 'declared in'],
          kpis.map((k) => [
            link(k, 0),
            e(k.title ?? ''),
            e(k.owner ?? ''),
            replacement(k),
            k.version === undefined ? '' : String(k.version),
            `<code>${e(k.file)}</code>`,
          ]),
        );
  return framePage(
    'Deprecated KPIs',
    `<h1>Deprecated KPIs</h1>\n<p>KPIs kept for reference: do not build on them; use their replacement.</p>\n${body}`,
    0,
    'deprecated',
  );
}

/** Each measure: its source's data, and the chain of links to the customer entity. */
export function lineage(model: Model, kpi: Kpi): string {
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
        : [
            source?.name ?? '',
            ...path.path.map(
              (l) => `${l.kind} <code>${e(l.fromColumn)}</code> → ${e(model.sources.get(l.to)?.name ?? l.to)}`,
            ),
          ]
            .map((s, i) => (i === 0 ? `<code>${e(s)}</code>` : s))
            .join(' → ');
    return [`<code>${e(measure?.name ?? key)}</code>`, source ? dataOf(source, model) : '', chain];
  });
  return table(['measure', 'data', 'path to the customer'], rows);
}

function dataOf(source: Source, model: Model): string {
  if (source.relation.kind === 'derived')
    return `derived from <code>${e(model.sources.get(source.relation.source)?.name ?? source.relation.source)}</code>`;
  return `<code>${e(relationKey(source.relation))}</code>`;
}

export function compiled(input: CatalogInput, kpi: Kpi): string {
  try {
    const result = compileQuery(input.model, { kpi: kpi.name }, { dataRoot: input.dataRoot });
    if (result.value && !hasErrors(result.diagnostics)) return result.value.sql;
    return `-- does not compile: ${result.diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown problem'}`;
  } catch (error) {
    return `-- kpic failed to compile this KPI: ${error instanceof Error ? error.message : String(error)}`;
  }
}
