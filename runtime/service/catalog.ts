// What an agent or an app may ask about the KPIs themselves: the list with
// its filters, one KPI's description, and its definition as written. Read
// from the resolved model and the project's texts; no data is read except
// by `allowedGrains`, which only compiles.

import { compileQuery, GRAINS, hasErrors, nameKey } from '../../compiler/index.ts';
import type { CompiledQuery, DimensionName, Kpi, Measure, MExpr, Model, Source, Span } from '../../compiler/index.ts';
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
  /** The number as an exact decimal (`4%` is `"0.04"`); null when the value is read from a target table. */
  readonly value: string | null;
  /** The segments it applies to (`for region = "EMEA"`); null: all. */
  readonly for: string | null;
  /** `from 2025-01-01`: in force for the periods starting on or after this date; null: always. */
  readonly since: string | null;
  /** `target >= nps_targets.target`: the value of each period (and segment) is the row's in this table's column. */
  readonly from_table: { readonly source: string; readonly column: string } | null;
}

/**
 * One KPI described: what `describe_kpi` answers and what `kpic explain`
 * prints (`explainKpi` renders it), so the two cannot drift.
 */
export interface KpiDescription extends KpiSummary {
  /** The column of its name in `file`. */
  readonly column: number;
  /** The KPI's declaration as written in its file. */
  readonly definition: string;
  readonly customer_value: string | null;
  /** `(promoters - detractors) / responses * 100`, or a derived KPI's `value` on one line. */
  readonly formula: string;
  /** A cohort KPI's cohort dimension (rows: cohort x periods since). */
  readonly cohort: string | null;
  readonly where: string | null;
  readonly min_sample: number | null;
  readonly window: string | null;
  readonly measures: readonly {
    readonly name: string;
    readonly source: string;
    readonly definition: string;
    /** `count() where nps >= 9` */
    readonly aggregate: string;
    /** `time responded_at, many side` */
    readonly time: string;
  }[];
  /** The sources of its measures: `file "surveys.csv"`, and `the customer entity` or `key response_id`. */
  readonly sources: readonly { readonly name: string; readonly relation: string; readonly role: string }[];
  /** `surveys.customer_id -> customers.customer_id (customer link)` */
  readonly joins: readonly string[];
  /** Dimensions computed per key of their source from the rows of another. */
  readonly aggregated_dimensions: readonly {
    readonly name: string;
    readonly definition: string;
    readonly rows: string;
  }[];
  /** A derived KPI: the KPIs its default query computes it from. */
  readonly computed_from: readonly string[];
  /** Measures whose value repeats across segments their source cannot reach, in the default query. */
  readonly repeated_values: readonly string[];
  /** Each input of a derived KPI or health score: lag, roll-up, scoring, weight. */
  readonly components: readonly string[];
  /** Whether the components are weighted (a health score). */
  readonly weighted: boolean;
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
  const measures = kpi.measures.map((key) => model.measures.get(key)).filter((m): m is Measure => m !== undefined);
  const sources = unique(measures.map((m) => m.source))
    .map((key) => model.sources.get(key))
    .filter((s): s is Source => s !== undefined);
  const compiled = compileQuery(
    model,
    { kpi: kpi.name, dialect: project.dialect },
    { dataRoot: project.dataRoot },
  ).value;
  const components = compiled?.components ?? [];
  return {
    ...summaryOf(project, kpi),
    column: kpi.nameSpan.start.column,
    definition: slice(kpi.file, kpi.span),
    customer_value: kpi.customerValue ?? null,
    formula: valueText(kpi, texts),
    cohort: kpi.cohort ? `${kpi.cohort.qualifier ? `${kpi.cohort.qualifier}.` : ''}${kpi.cohort.name}` : null,
    where: kpi.where ? slice(kpi.file, kpi.where.span) : null,
    min_sample: kpi.minSample ?? null,
    window: kpi.window ? `${kpi.window.amount} ${kpi.window.unit}` : null,
    measures: measures.map((m) => ({
      name: m.name,
      source: name(model, m.source),
      definition: slice(m.file, m.span),
      aggregate: aggregateText(m, texts),
      time: timeText(m),
    })),
    sources: sources.map((s) => ({
      name: s.name,
      relation: relationText(s, model),
      role: s.isCustomer ? 'the customer entity' : s.key ? `key ${s.key}` : '',
    })),
    joins: unique(
      sources.flatMap((s) =>
        s.links.map(
          (l) =>
            `${name(model, l.from)}.${l.fromColumn} -> ${name(model, l.to)}.${l.toColumn} (${l.kind === 'customer' ? 'customer link' : 'join'})`,
        ),
      ),
    ),
    aggregated_dimensions: sources.flatMap((s) =>
      [...s.dimensions.values()].flatMap((d) =>
        d.kind === 'aggregated'
          ? [
              {
                name: `${s.name}.${d.name}`,
                definition: sliceText(texts, d.file, d.span)
                  .replace(/^dimension\s+/i, '')
                  .replace(/\s+/g, ' '),
                rows: `per ${s.name} key, rows of ${[d.path[0]!.from, ...d.path.map((l) => l.to)].map((k) => name(model, k)).join(' -> ')}`,
              },
            ]
          : [],
      ),
    ),
    thresholds: describeThresholds(project, kpi),
    allowed_grains: allowedGrains(project, kpi),
    path_to_customer: kpi.customerPaths.map(({ measure, path }) => ({
      measure: model.measures.get(measure)?.name ?? measure,
      path: path.length === 0 ? [] : [path[0]!.from, ...path.map((l) => l.to)].map((key) => name(model, key)),
    })),
    computed_from: kpi.value !== undefined ? unique(components.map((c) => c.kpi)) : [],
    repeated_values: (compiled?.broadcasts ?? []).map((b) => {
      const label = model.measures.get(b.measure.toLowerCase())?.name ?? b.measure;
      if (kpi.cohort && b.dimensions.length === 1 && b.dimensions[0] === 'periods_since')
        return `${label}: counts the cohort's members (a measure of the customer entity); its value repeats for every period since the cohort`;
      return `${label}: its source cannot reach ${b.dimensions.map((d) => `\`${d}\``).join(', ')}; its value repeats for every value of ${b.dimensions.length === 1 ? 'it' : 'them'}`;
    }),
    components: componentLines(components),
    weighted: components.some((c) => c.weight !== undefined),
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
    value: t.table ? null : t.value,
    for: t.for ? slice(t.file, t.for.span) : null,
    since: t.from ?? null,
    from_table: t.table
      ? { source: project.model.sources.get(t.table.source)?.name ?? t.table.source, column: t.table.column }
      : null,
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

/** `logins: score 0 -> 0, 10 -> 100; weight 3 (75% of the score)` — each input of a derived KPI or health score. */
function componentLines(components: NonNullable<CompiledQuery['components']>): string[] {
  return components.map((c) => {
    const parts = [c.lag === 0 ? 'this period' : `${c.lag} period${c.lag === 1 ? '' : 's'} back`];
    if (c.rollup?.kind === 'mean') parts.push("computed per customer, then the mean over each segment's customers");
    if (c.rollup?.kind === 'share')
      parts.push(
        `computed per customer, then the share of each segment's customers whose status is ${c.rollup.status}`,
      );
    if (c.normalise?.kind === 'fixed')
      parts.push(`scored 0..100: ${c.normalise.low} scores 0, ${c.normalise.high} scores 100, clamped`);
    if (c.normalise?.kind === 'min-max') parts.push('scored 0..100 by min-max over the segments of each period');
    if (c.weight !== undefined)
      parts.push(
        `weight ${c.weight} (${Math.round((c.share ?? 0) * 1000) / 10}% of the score when every component has a value)`,
      );
    return `${c.kpi}: ${parts.join('; ')}`;
  });
}

function valueText(kpi: Kpi, texts: ReadonlyMap<string, string>): string {
  if (kpi.value) return sliceText(texts, kpi.file, kpi.value.span);
  const numerator = kpi.numerator ? mexprText(kpi.numerator, 2) : '?';
  const ratio = kpi.denominator ? `${numerator} / ${mexprText(kpi.denominator, 3)}` : numerator;
  return kpi.scale ? `${ratio} * ${kpi.scale}` : ratio;
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

function mexprText(e: MExpr, parent: number): string {
  switch (e.kind) {
    case 'measure':
      return e.measure;
    case 'number':
      return e.text;
    case 'negate':
      return `-${mexprText(e.operand, 3)}`;
    case 'arith': {
      const p = PRECEDENCE[e.op];
      const text = `${mexprText(e.left, p)} ${e.op} ${mexprText(e.right, p + 1)}`;
      return p < parent ? `(${text})` : text;
    }
  }
}

function aggregateText(m: Measure, texts: ReadonlyMap<string, string>): string {
  const arg = m.arg ? sliceText(texts, m.file, m.arg.span) : '';
  const call = m.aggregate === 'percentile' ? `percentile(${arg}, ${m.percentile ?? '?'})` : `${m.aggregate}(${arg})`;
  return m.where ? `${call} where ${sliceText(texts, m.file, m.where.span)}` : call;
}

function timeText(m: Measure): string {
  // A snapshot measure has no time column: its instants are the period bounds.
  const parts: string[] = [m.at ? `at period ${m.at}` : m.time ? `time ${m.time}` : 'timeless'];
  if (m.cumulative) parts.push('cumulative');
  if (m.retention)
    parts.push(
      m.retention === 'retained'
        ? 'retained: counted in the period before and in this one'
        : 'churned: counted in the period before, not in this one',
    );
  parts.push(`${m.side} side`);
  return parts.join(', ');
}

function relationText(s: Source, model: Model): string {
  const r = s.relation;
  if (r.kind === 'file') return `file "${r.path}"`;
  if (r.kind === 'table') return `table ${r.schema ? `${r.schema}.` : ''}${r.table}`;
  return `one row per distinct ${r.column} of ${name(model, r.source)}`;
}

function name(model: Model, key: string): string {
  return model.sources.get(key)?.name ?? key;
}

/** The text a span covers, on one line. */
function sliceText(texts: ReadonlyMap<string, string>, file: string, span: Span): string {
  const text = texts.get(file);
  if (text === undefined) return '…';
  return text.slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ').trim();
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
