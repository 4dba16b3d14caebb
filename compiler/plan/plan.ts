// The query plan: what to aggregate where, before any SQL is written.
//
// A KPI query becomes per-source scans (the rows of one source, its checks
// and the filters it can reach applied, segment values attached) and
// measure groups (the measures of one source that share a time column and a
// way of meeting periods: one aggregate each). The SQL emitter combines the
// groups over a spine of (period, segment values).

import { type ErrorCode, formatMessage } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { FILE_START } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import type { DimensionName, Grain, Kpi, Measure, Model, RExpr } from '../semantic/model.ts';
import type { CompiledQuery, Dialect, Query } from './query.ts';
import { bindAt, segmentExpr } from './bind-at.ts';
import { compareBounds, parseBound, type Bound } from './range.ts';
import { nameKey } from '../semantic/names.ts';
import { checkDepth } from '../semantic/depth.ts';
import { COHORT_SEGMENTS, planCohortSources, type CohortPlan, type SourceCohort } from './cohort.ts';

/**
 * How a measure meets periods: `flow` rows whose time falls in the period,
 * `cumulative` rows before its end, `window` rows in the trailing window
 * ending at its end, `start`/`end` states valid at that instant, `timeless`
 * every row (the value repeats for every period), `retention` the values of
 * the period before that are (`retained`) or are not (`churned`) in this one.
 */
/** `state`: a snapshot measure with `retained`/`churned`: each customer's start against its end (sql/state-retention.ts). */
export type Mode = 'flow' | 'cumulative' | 'window' | 'start' | 'end' | 'timeless' | 'retention' | 'state';

export interface PlannedSegment {
  /** The result column's name: the dimension's name as written. */
  readonly name: string;
  readonly dimension: DimensionName;
  /** The keys of a cohort query (`cohort by`): not a dimension, computed from the cohort and the rows' time. */
  readonly cohort?: 'cohort' | 'since';
}

export interface SourcePlan {
  readonly source: string;
  /** Per query segment, its value at this source; undefined when the source cannot reach it (broadcast). */
  readonly segments: readonly (RExpr | undefined)[];
  /** The KPI's and the query's filter terms that this source reaches. */
  readonly filters: readonly RExpr[];
  /** In a cohort query: the source's cohort value and whether its measures count the cohort's members. */
  readonly cohort?: SourceCohort;
}

export interface MeasureGroup {
  readonly source: string;
  readonly mode: Mode;
  /** The time column of `flow`, `cumulative` and `window` groups. */
  readonly time?: string;
  readonly measures: readonly Measure[];
}

export interface QueryPlan {
  readonly kind: 'base';
  readonly kpi: Kpi;
  readonly grain?: Grain;
  readonly segments: readonly PlannedSegment[];
  readonly from?: Bound;
  readonly to?: Bound;
  readonly sources: readonly SourcePlan[];
  readonly groups: readonly MeasureGroup[];
  readonly broadcasts: CompiledQuery['broadcasts'];
  readonly dialect: Dialect;
  /**
   * Periods computed before the first period of the range (for `previous`
   * and `--compare`): the series starts this many periods earlier, and flow
   * measures read the rows of those periods.
   */
  readonly lookback: number;
  /** The values carry an `incomplete` column (the period ends after the data). */
  readonly incomplete: boolean;
  /**
   * `cohort by`: the rows are (cohort, periods_since, segments), and
   * `grain` is absent (the cohort's grain is here).
   */
  readonly cohort?: CohortPlan;
}

/** How a values plan is asked for beyond the query: by a derived KPI or by the result. */
export interface PlanOptions {
  readonly lookback?: number;
  readonly incomplete?: boolean;
}

/** Names of the result's fixed columns; a segment may not take one. */
export const RESERVED_COLUMNS = [
  'period',
  'numerator',
  'denominator',
  'value',
  'previous_value',
  'change',
  'change_pct',
  'status',
  'target_met',
  'incomplete',
];

/** Plan a KPI query over measures; undefined (with errors) when it cannot be compiled. Derived KPIs: `plan/derived.ts`. */
export function planQuery(
  model: Model,
  query: Query,
  options: PlanOptions = {},
): { value: QueryPlan | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (code: ErrorCode, message: string, help?: string, file = '<query>', span = FILE_START) =>
    diagnostics.push({ code, severity: 'error', message, file, span, ...(help ? { help } : {}) });

  const kpi = model.kpis.get(nameKey(query.kpi));
  if (!kpi) {
    const names = [...model.kpis.values()].map((k) => k.name);
    error(
      'unknown-kpi',
      formatMessage('unknown-kpi', { kpi: query.kpi }),
      names.length ? `the KPIs are: ${names.sort().join(', ')}` : 'declare one with `kpi NAME { ... }`',
    );
    return { value: undefined, diagnostics };
  }
  if (!kpi.numerator) {
    error(
      'kpi-without-numerator',
      formatMessage('kpi-without-numerator', { kpi: kpi.name }),
      undefined,
      kpi.file,
      kpi.nameSpan,
    );
    return { value: undefined, diagnostics };
  }
  // Numbers alone (`numerator 0.0`) read no data: there are no rows to count, no periods, no segments.
  if (kpi.measures.length === 0) {
    error(
      'kpi-without-measure',
      formatMessage('kpi-without-measure', { kpi: kpi.name }),
      'use at least one measure in the numerator or denominator (e.g. `numerator signups`)',
      kpi.file,
      kpi.nameSpan,
    );
    return { value: undefined, diagnostics };
  }

  const grain = query.grain === 'none' ? undefined : (query.grain ?? kpi.grain);
  const segmentNames = query.by === 'none' ? [] : (query.by ?? kpi.segments);
  const segmentFile = query.by && query.by !== 'none' ? '<query>' : kpi.file;
  const named = segmentNames.map(
    (dimension) => customerSegment(model, dimension) ?? { name: dimension.name, dimension },
  );
  const segments = kpi.cohort ? [...COHORT_SEGMENTS, ...named] : named;
  checkSegmentNames(segments, segmentFile, diagnostics);
  if (kpi.cohort && !grain) {
    error(
      'cohort-without-grain',
      formatMessage('cohort-without-grain', { kpi: kpi.name }),
      'give the KPI a `grain`, or run it with `--grain`',
      kpi.file,
      kpi.cohort.span,
    );
  }

  const from = readBound(query.from, '--from', diagnostics);
  const to = readBound(query.to, '--to', diagnostics);
  if (from && to && compareBounds(from, to) >= 0) {
    error(
      'empty-range',
      formatMessage('empty-range', { from: from.text, to: to.text }),
      'give a `--to` later than `--from`',
    );
  }

  const measures = kpi.measures.map((key) => model.measures.get(key)).filter((m): m is Measure => m !== undefined);
  const groups = groupMeasures(model, kpi, measures, diagnostics);
  const cohorts = kpi.cohort ? planCohortSources(model, kpi, groups, diagnostics) : undefined;
  const dialect = query.dialect ?? 'duckdb';

  // Each `and` term is bound on its own (and shallow), but the SQL joins them again: the whole must fit the limit.
  if (!checkDepth(diagnostics, query.whereFile ?? '<query>', query.where, 'this `--where`'))
    return { value: undefined, diagnostics };
  const terms = [
    ...conjuncts(kpi.where).map((expr) => ({ expr, file: kpi.file })),
    ...conjuncts(query.where).map((expr) => ({ expr, file: query.whereFile ?? '<query>' })),
  ];
  const sourceKeys = [...new Set(groups.map((g) => g.source))];
  const sources: SourcePlan[] = [];
  const missing = new Map<string, Set<string>>();
  const bindErrors = new Map<string, Diagnostic>();
  const keep = (list: readonly Diagnostic[]) => {
    for (const d of list) bindErrors.set(`${d.code}|${d.file}|${d.span.start.offset}|${d.message}`, d);
  };
  const reachedSegment = segments.map(() => false);
  const appliedTerm = terms.map(() => false);
  for (const source of sourceKeys) {
    const unreached = new Set<string>();
    const cohort = cohorts?.get(source);
    const bound = segments.map((segment, i) => {
      if (segment.cohort) {
        reachedSegment[i] = true;
        if (segment.cohort === 'since' && cohort?.members) unreached.add(segment.name);
        return undefined;
      }
      const binding = bindAt(model, source, segmentExpr(segment.dimension), segmentFile, false);
      if (binding.kind === 'error') keep(binding.diagnostics);
      if (binding.kind === 'unreachable') unreached.add(segment.name);
      if (binding.kind !== 'bound') return undefined;
      reachedSegment[i] = true;
      return binding.expr;
    });
    const filters: RExpr[] = [];
    terms.forEach((term, i) => {
      const binding = bindAt(model, source, term.expr, term.file, true);
      if (binding.kind === 'error') keep(binding.diagnostics);
      if (binding.kind === 'unreachable')
        for (const n of binding.names) unreached.add(n.qualifier ? `${n.qualifier}.${n.name}` : n.name);
      if (binding.kind !== 'bound') return;
      appliedTerm[i] = true;
      filters.push(binding.expr);
    });
    missing.set(source, unreached);
    sources.push({ source, segments: bound, filters, ...(cohort ? { cohort } : {}) });
  }
  diagnostics.push(...bindErrors.values());
  if (bindErrors.size === 0) reportUnreached(segments, reachedSegment, terms, appliedTerm, segmentFile, diagnostics);

  const retention = groups.find((g) => g.mode === 'retention')?.measures[0];
  if (retention && !grain) {
    error(
      'retention-without-grain',
      `measure \`${retention.name}\` is \`${retention.retention}\`: it compares each period with the one before, and this query of \`${kpi.name}\` has no grain.`,
      'give the KPI a `grain`, or run it with `--grain`',
    );
  }
  if (grain && !kpi.cohort && !groups.some((g) => g.mode !== 'timeless') && !(from && to)) {
    error(
      'grain-without-time',
      formatMessage('grain-without-time', { kpi: kpi.name, grain }),
      'run it with `--grain none`, or give both `--from` and `--to` to choose the periods',
    );
  }

  const broadcasts = measures
    .map((m) => ({ measure: m.name, dimensions: [...(missing.get(m.source) ?? [])] }))
    .filter((b) => b.dimensions.length > 0);
  if (diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics };
  if (kpi.cohort && grain) {
    return {
      value: {
        kind: 'base',
        kpi,
        segments,
        from,
        to,
        sources,
        groups,
        broadcasts,
        dialect,
        lookback: 0,
        incomplete: options.incomplete === true,
        cohort: { grain, dimension: kpi.cohort },
      },
      diagnostics,
    };
  }
  return {
    value: {
      kind: 'base',
      kpi,
      grain,
      segments,
      from,
      to,
      sources,
      groups,
      broadcasts,
      dialect,
      lookback: grain ? (options.lookback ?? 0) : 0,
      incomplete: grain !== undefined && options.incomplete === true,
    },
    diagnostics,
  };
}

/**
 * `--by customer`: the customer entity's key, as a segment named `customer`
 * (a dimension that is itself called `customer` is reached qualified,
 * `--by accounts.customer`).
 */
export function customerSegment(model: Model, dimension: DimensionName): PlannedSegment | undefined {
  if (dimension.qualifier || nameKey(dimension.name) !== 'customer' || !model.customer) return undefined;
  const entity = model.sources.get(model.customer);
  if (!entity?.key) return undefined;
  return { name: 'customer', dimension: { qualifier: entity.name, name: entity.key, span: dimension.span } };
}

/** The top-level `and` terms of a predicate: each is applied where it can be. */
function conjuncts(expr: Expr | undefined): Expr[] {
  // An explicit stack: `a and b and ...` is as deep as it is long, and a
  // `--where` of thousands of terms must reach the binder's depth check.
  const out: Expr[] = [];
  const stack = expr ? [expr] : [];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.kind === 'binary' && next.op === 'and') stack.push(next.right, next.left);
    else out.push(next);
  }
  return out;
}

function groupMeasures(
  model: Model,
  kpi: Kpi,
  measures: readonly Measure[],
  diagnostics: Diagnostic[],
): MeasureGroup[] {
  const groups = new Map<string, { source: string; mode: Mode; time?: string; measures: Measure[] }>();
  for (const measure of measures) {
    const source = model.sources.get(measure.source);
    let mode: Mode;
    if (measure.at) {
      if (!source?.valid) {
        diagnostics.push({
          code: 'snapshot-without-valid',
          severity: 'error',
          file: measure.file,
          span: measure.span,
          message: formatMessage('snapshot-without-valid', { measure: measure.name, edge: measure.at }),
          help: 'declare `valid from COL to COL` in its source, or drop `at period ...`',
        });
        continue;
      }
      mode = measure.retention ? 'state' : measure.at;
    } else if (measure.retention && measure.time) {
      if (kpi.window) {
        diagnostics.push({
          code: 'retention-with-window',
          severity: 'error',
          file: kpi.file,
          span: kpi.nameSpan,
          message: formatMessage('retention-with-window', { measure: measure.name, retention: measure.retention }),
          help: 'drop the `window`, or use the measure in a KPI without one',
        });
      }
      mode = 'retention';
    } else if (!measure.time) mode = 'timeless';
    else if (measure.cumulative) mode = 'cumulative';
    else mode = kpi.window ? 'window' : 'flow';
    const time =
      mode === 'flow' || mode === 'cumulative' || mode === 'window' || mode === 'retention' ? measure.time : undefined;
    // Each retention measure compares its own sets (its argument and `where`): a group of its own.
    const key = `${measure.source}|${mode}|${time ?? ''}${mode === 'retention' || mode === 'state' ? `|${measure.name.toLowerCase()}` : ''}`;
    const group = groups.get(key) ?? { source: measure.source, mode, ...(time ? { time } : {}), measures: [] };
    group.measures.push(measure);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function checkSegmentNames(segments: readonly PlannedSegment[], file: string, diagnostics: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const segment of segments) {
    const key = nameKey(segment.name);
    if (RESERVED_COLUMNS.includes(key) || seen.has(key)) {
      diagnostics.push({
        code: 'segment-name-clash',
        severity: 'error',
        file,
        span: segment.dimension.span,
        message: RESERVED_COLUMNS.includes(key)
          ? `a segment named \`${segment.name}\` would clash with the result column \`${key}\`.`
          : `two segments are named \`${segment.name}\`; the result has one column per segment, named as the dimension.`,
        help: 'segment by a computed dimension with another name (`dimension NAME = ...`)',
      });
    }
    seen.add(key);
  }
}

function reportUnreached(
  segments: readonly PlannedSegment[],
  reached: readonly boolean[],
  terms: readonly { expr: Expr; file: string }[],
  applied: readonly boolean[],
  segmentFile: string,
  diagnostics: Diagnostic[],
): void {
  segments.forEach((segment, i) => {
    if (reached[i]) return;
    diagnostics.push({
      code: 'segment-unreachable',
      severity: 'error',
      file: segmentFile,
      span: segment.dimension.span,
      message: formatMessage('segment-unreachable', { segment: segment.name }),
      help: 'segment by a dimension of a source the measures reach, or link their source to it',
    });
  });
  terms.forEach((term, i) => {
    if (applied[i]) return;
    diagnostics.push({
      code: 'filter-unreachable',
      severity: 'warn',
      file: term.file,
      span: term.expr.span,
      message:
        'this filter term applies to no measure of the KPI: none of their sources reaches the dimensions it names.',
      help: "filter on a dimension the measures' sources reach",
    });
  });
}

function readBound(text: string | undefined, flag: string, diagnostics: Diagnostic[]): Bound | undefined {
  if (text === undefined) return undefined;
  const bound = parseBound(text);
  if (!bound) {
    diagnostics.push({
      code: 'invalid-range',
      severity: 'error',
      file: '<query>',
      span: FILE_START,
      message: formatMessage('invalid-range', { flag, text }),
      help: `for example \`${flag} 2024-01-01\``,
    });
  }
  return bound;
}
