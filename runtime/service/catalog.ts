// What an agent or an app may ask about the KPIs themselves: the list with
// its filters, one KPI's description, and its definition as written. Read
// from the resolved model and the project's texts; no data is read except
// by `allowedGrains`, which only compiles.

import { compileQuery, GRAINS, hasErrors, nameKey } from '../../compiler/index.ts';
import type { DimensionName, Kpi, Model, Span } from '../../compiler/index.ts';
import { conditionText } from '../alert/evaluate.ts';
import type { Project } from '../project/open.ts';

/** What the catalog reads of a project: the model, and the texts for declarations as written. */
export type Catalogued = Pick<Project, 'model' | 'texts'>;

export interface KpiFilters {
  /** Lifecycle: `draft`, `active` or `deprecated`. */
  readonly status?: string;
  readonly owner?: string;
  readonly perspective?: string;
  readonly tag?: string;
  /** Case-insensitive text searched in the name, title, description and alert names. */
  readonly text?: string;
}

/** An alert declared with a KPI (docs/alerts.md), as `at_risk` evaluates it. */
export interface KpiAlert {
  readonly name: string;
  /** The breakdown watched: `customer`, or dimensions; the KPI's own segments when it declares none. */
  readonly by: readonly string[];
  readonly where: string | null;
  /** `change < -30% against average 4`, `status critical`, `value < 20`. */
  readonly condition: string;
  readonly level: 'warn' | 'critical';
  readonly for_periods: number;
  readonly escalate_after: number | null;
  readonly responsible: readonly string[];
  readonly accountable: readonly string[];
  readonly consulted: readonly string[];
  readonly informed: readonly string[];
}

export interface KpiSummary {
  readonly name: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly owner: string | null;
  readonly perspective: 'customer' | 'company';
  readonly indicator: 'leading' | 'lagging' | null;
  readonly lifecycle: 'draft' | 'active' | 'deprecated';
  readonly replaced_by: string | null;
  readonly segments: readonly string[];
  readonly grain: string | null;
  readonly direction: 'higher' | 'lower' | null;
  readonly tags: readonly string[];
  readonly version: number | null;
  readonly file: string;
  readonly line: number;
  /** The alerts declared with it; `at_risk` takes their names. */
  readonly alerts: readonly KpiAlert[];
}

export interface KpiThreshold {
  readonly level: 'target' | 'warn' | 'critical';
  readonly op: string;
  readonly value: string;
  /** The segments it applies to (`for region = "EMEA"`); null: all. */
  readonly for: string | null;
}

export interface KpiDescription extends KpiSummary {
  /** The KPI's declaration as written in its file. */
  readonly definition: string;
  readonly customer_value: string | null;
  /** `numerator / denominator` (times scale), or a derived KPI's `value`. */
  readonly formula: string;
  readonly where: string | null;
  readonly min_sample: number | null;
  readonly window: string | null;
  readonly measures: readonly { readonly name: string; readonly source: string; readonly definition: string }[];
  readonly thresholds: readonly KpiThreshold[];
  /** The grains the compiler accepts for this KPI (`none`: one period over the range). */
  readonly allowed_grains: readonly string[];
  /** Per measure, the sources from its own to the customer entity; empty: the measure is on it. */
  readonly path_to_customer: readonly { readonly measure: string; readonly path: readonly string[] }[];
  /** The KPIs its `value` reads (derived KPIs). */
  readonly reads: readonly string[];
  /** The KPIs whose `value` reads it. */
  readonly read_by: readonly string[];
  /** A sentence naming the replacement when the KPI is deprecated. */
  readonly notice: string | null;
}

/**
 * The KPIs, filtered, sorted by name: what `kpic list` prints and
 * `list_kpis` answers (one function, so the two cannot drift).
 */
export function listKpis(project: Catalogued, filters: KpiFilters = {}): KpiSummary[] {
  const lower = (s: string | undefined) => s?.trim().toLowerCase();
  const text = lower(filters.text);
  const searched = (k: Kpi) => [k.name, k.title ?? '', k.description ?? '', ...(k.alerts ?? []).map((a) => a.name)];
  return [...project.model.kpis.values()]
    .filter((k) => filters.status === undefined || k.status === lower(filters.status))
    .filter((k) => filters.owner === undefined || lower(k.owner) === lower(filters.owner))
    .filter((k) => filters.perspective === undefined || k.perspective === lower(filters.perspective))
    .filter((k) => filters.tag === undefined || k.tags.some((t) => t.toLowerCase() === lower(filters.tag)))
    .filter((k) => !text || searched(k).some((s) => s.toLowerCase().includes(text)))
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
    .map((k) => summaryOf(project, k));
}

export function summaryOf(project: Catalogued, kpi: Kpi): KpiSummary {
  return {
    name: kpi.name,
    title: kpi.title ?? null,
    description: kpi.description ?? null,
    owner: kpi.owner ?? null,
    perspective: kpi.perspective,
    indicator: kpi.indicator ?? null,
    lifecycle: kpi.status,
    replaced_by: kpi.replacedBy ?? null,
    segments: kpi.segments.map(dimensionText),
    grain: kpi.grain ?? null,
    direction: kpi.direction ?? null,
    tags: kpi.tags,
    version: kpi.version ?? null,
    file: kpi.file,
    line: kpi.nameSpan.start.line,
    alerts: alertsOf(project, kpi),
  };
}

export function alertsOf(project: Catalogued, kpi: Kpi): KpiAlert[] {
  return (kpi.alerts ?? []).map((a) => ({
    name: a.name,
    by: (a.by ?? kpi.segments).map(dimensionText),
    where: a.where ? sliceOf(project, a.file, a.where.span) : null,
    condition: conditionText(a.condition),
    level: a.level,
    for_periods: a.forPeriods,
    escalate_after: a.escalateAfter ?? null,
    responsible: a.responsible,
    accountable: a.accountable,
    consulted: a.consulted,
    informed: a.informed,
  }));
}

function sliceOf(project: Catalogued, file: string, span: Span): string {
  return (project.texts.get(file) ?? '').slice(span.start.offset, span.end.offset);
}

export function describeKpi(project: Project, kpi: Kpi): KpiDescription {
  const { model, texts } = project;
  const slice = (file: string, span: Span) => (texts.get(file) ?? '').slice(span.start.offset, span.end.offset);
  const reads = kpisRead(model, kpi);
  const readBy = [...model.kpis.values()].filter((k) => kpisRead(model, k).includes(kpi.name)).map((k) => k.name);
  const formula = kpi.value
    ? slice(kpi.file, kpi.value.span)
    : `${kpi.numerator ? slice(kpi.file, kpi.numerator.span) : '?'}${kpi.denominator ? ` / (${slice(kpi.file, kpi.denominator.span)})` : ''}${kpi.scale ? ` * ${kpi.scale}` : ''}`;
  return {
    ...summaryOf(project, kpi),
    definition: slice(kpi.file, kpi.span),
    customer_value: kpi.customerValue ?? null,
    formula,
    where: kpi.where ? slice(kpi.file, kpi.where.span) : null,
    min_sample: kpi.minSample ?? null,
    window: kpi.window ? `${kpi.window.amount} ${kpi.window.unit}` : null,
    measures: kpi.measures.flatMap((key) => {
      const m = model.measures.get(key);
      return m
        ? [{ name: m.name, source: model.sources.get(m.source)?.name ?? m.source, definition: slice(m.file, m.span) }]
        : [];
    }),
    thresholds: describeThresholds(project, kpi),
    allowed_grains: allowedGrains(project, kpi),
    path_to_customer: kpi.customerPaths.map(({ measure, path }) => ({
      measure: model.measures.get(measure)?.name ?? measure,
      path:
        path.length === 0
          ? []
          : [path[0]!.from, ...path.map((l) => l.to)].map((key) => model.sources.get(key)?.name ?? key),
    })),
    reads,
    read_by: readBy,
    notice: deprecationNotice(kpi),
  };
}

export function describeThresholds(project: Project, kpi: Kpi): KpiThreshold[] {
  const slice = (file: string, span: Span) => (project.texts.get(file) ?? '').slice(span.start.offset, span.end.offset);
  return kpi.thresholds.map((t) => ({
    level: t.level,
    op: t.op,
    value: t.value,
    for: t.for ? slice(t.file, t.for.span) : null,
  }));
}

/** `KPI \`old_nps\` is deprecated: use \`nps\` instead.`; null for a KPI that is not deprecated. */
export function deprecationNotice(kpi: Kpi): string | null {
  if (kpi.status !== 'deprecated') return null;
  return kpi.replacedBy
    ? `KPI \`${kpi.name}\` is deprecated: use \`${kpi.replacedBy}\` instead.`
    : `KPI \`${kpi.name}\` is deprecated and names no replacement.`;
}

/** The grains whose default query compiles without errors (compiling is pure and fast: no data is read). */
function allowedGrains(project: Project, kpi: Kpi): string[] {
  return [...GRAINS, 'none' as const].filter((grain) => {
    const compiled = compileQuery(project.model, { kpi: kpi.name, grain }, { dataRoot: project.dataRoot });
    return compiled.value !== undefined && !hasErrors(compiled.diagnostics);
  });
}

/** The KPIs a derived KPI's `value` names, as declared, in order of first mention. */
function kpisRead(model: Model, kpi: Kpi): string[] {
  if (!kpi.value) return [];
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'ref' && !record['qualifier']) {
      const name = (record['name'] as { text?: string } | undefined)?.text;
      const read = name === undefined ? undefined : model.kpis.get(nameKey(name));
      if (read && read.name !== kpi.name) names.add(read.name);
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'span') visit(value);
  };
  visit(kpi.value);
  return [...names];
}

function dimensionText(d: DimensionName): string {
  return d.qualifier ? `${d.qualifier}.${d.name}` : d.name;
}
