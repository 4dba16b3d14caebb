// Derived KPIs: `value EXPR` over other KPIs at the same grain and segments.
//
// Each KPI the expression names is planned as its own query (the derived
// query's grain, segments, range, `--where` and dialect), and the derived
// value is an expression over their values per (period, segment values).
// Besides arithmetic and the numeric functions, a `value` may use:
//   previous(KPI[, N])          the KPI's value N periods earlier (default 1)
//   score(X, LOW, HIGH)         X on 0..100: LOW scores 0, HIGH 100, clamped (HIGH < LOW: lower is better)
//   score(X)                    X on 0..100 by min-max over the segments of each period
//   weighted_mean(A, W, B, V)   the weighted mean of the inputs that are not null (null when none is)

import type { ErrorCode } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import type { DerivedExpr, DerivedNumericFunction, Grain, Kpi, Model, RollupStatus } from '../semantic/model.ts';
import type { DerivedComponent, Dialect, Query } from './query.ts';
import { customerSegment, planQuery, type PlannedSegment, type PlanOptions, type QueryPlan } from './plan.ts';
import { parseBound, periodStart, shiftPeriod, type Bound } from './range.ts';
import { pinnedByWhere, planAllThresholds, type PlannedThresholds } from './thresholds.ts';
import { nameKey } from '../semantic/names.ts';

type NumericFunction = DerivedNumericFunction;

/** A derived value over the components' `value` columns. */
export type DExpr =
  | { readonly kind: 'ref'; readonly component: number; readonly lag: number }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'negate'; readonly operand: DExpr }
  | { readonly kind: 'arith'; readonly op: '+' | '-' | '*' | '/'; readonly left: DExpr; readonly right: DExpr }
  | { readonly kind: 'call'; readonly func: NumericFunction; readonly args: readonly DExpr[] }
  /** Fixed bounds when `low`/`high` are given, else min-max over the segments of each period. */
  | { readonly kind: 'score'; readonly operand: DExpr; readonly low?: string; readonly high?: string }
  | { readonly kind: 'weighted'; readonly terms: readonly { readonly expr: DExpr; readonly weight: string }[] };

export interface ComponentPlan {
  readonly kpi: Kpi;
  /** The largest `previous` lag it is read at: it is planned that many periods further back. */
  readonly maxLag: number;
  readonly values: ValuesPlan;
  /** `customer_mean` / `customer_share`: `values` is per customer (and segment); this rolls it up over the customers. */
  readonly rollup?: ComponentRollup;
}

export type ComponentRollup =
  | { readonly kind: 'mean' }
  /** The thresholds decide each customer's status, as in `kpic run KPI --by customer`. */
  | { readonly kind: 'share'; readonly status: RollupStatus; readonly thresholds: PlannedThresholds };

export interface DerivedPlan {
  readonly kind: 'derived';
  readonly kpi: Kpi;
  readonly grain?: Grain;
  readonly segments: readonly PlannedSegment[];
  readonly from?: Bound;
  readonly to?: Bound;
  readonly dialect: Dialect;
  readonly lookback: number;
  readonly incomplete: boolean;
  /** With `--from`: the first period of the values (the range's first, less the lookback). */
  readonly firstPeriod?: string;
  readonly components: readonly ComponentPlan[];
  readonly expr: DExpr;
}

/**
 * How many derived KPIs may stand on top of each other. Every level adds its
 * CTEs and expression depth to the one statement; past this, the SQL would
 * outgrow what the engine prepares in reasonable time (and its expression
 * depth limit), so the chain is refused with a diagnostic naming the limit.
 */
export const MAX_DERIVED_DEPTH = 64;

/** What one KPI's values are computed from: measures, or other KPIs. */
export type ValuesPlan = QueryPlan | DerivedPlan;

type Planned = { value: ValuesPlan | undefined; diagnostics: Diagnostic[] };

/** Plans already made in one query, by KPI and what it is asked for (see `memoKey`). */
type Memo = Map<string, Planned>;

/** The derived KPIs being planned, outermost first (keys), and as a set: a chain of 1,000 looks each up in O(1). */
interface Stack {
  readonly keys: string[];
  readonly set: Set<string>;
}

/**
 * Plan the values of any KPI; `stack` holds the derived KPIs being planned,
 * to find cycles. Within one query each KPI is planned once per lookback and
 * `incomplete` (`memo`), and the plan object is shared: a KPI that several
 * derived KPIs read (a diamond) is not planned, nor emitted, again for each path.
 */
export function planValues(
  model: Model,
  query: Query,
  options: PlanOptions = {},
  stack: Stack = { keys: [], set: new Set() },
  memo: Memo = new Map(),
): Planned {
  const key = memoKey(query, options);
  const known = memo.get(key);
  if (known) return { value: known.value, diagnostics: [...known.diagnostics] };
  const kpi = model.kpis.get(nameKey(query.kpi));
  let planned: Planned;
  if (kpi?.value && stack.keys.length >= MAX_DERIVED_DEPTH) {
    const top = model.kpis.get(stack.keys[0]!);
    planned = {
      value: undefined,
      diagnostics: [
        {
          code: 'derived-chain-too-deep',
          severity: 'error',
          file: top?.file ?? kpi.file,
          span: top?.nameSpan ?? kpi.nameSpan,
          message: `KPI \`${top?.name ?? kpi.name}\` is derived through more than ${MAX_DERIVED_DEPTH} levels of derived KPIs (the limit); \`${kpi.name}\` is level ${MAX_DERIVED_DEPTH + 1}.`,
          help: 'compute the deep inputs from measures, or shorten the chain of KPIs derived from KPIs',
        },
      ],
    };
  } else if (kpi?.value) {
    const own = nameKey(kpi.name);
    stack.keys.push(own);
    stack.set.add(own);
    try {
      planned = planDerived(model, kpi, query, options, stack, memo);
    } finally {
      stack.keys.pop();
      stack.set.delete(own);
    }
  } else planned = planQuery(model, query, options);
  // A cycle is reported from where it is met; the same KPI met on another path finds it again.
  if (!planned.diagnostics.some((d) => d.code === 'kpi-cycle')) memo.set(key, planned);
  return planned;
}

/** Every field of the query and options that changes a plan. */
function memoKey(query: Query, options: PlanOptions): string {
  const by =
    query.by === undefined || query.by === 'none'
      ? String(query.by)
      : query.by.map((d) => `${d.qualifier ?? ''}.${d.name}`).join(',');
  return [
    nameKey(query.kpi),
    by,
    query.grain,
    query.from,
    query.to,
    query.dialect,
    options.lookback ?? 0,
    options.incomplete === true,
  ].join('|');
}

function planDerived(model: Model, kpi: Kpi, query: Query, options: PlanOptions, stack: Stack, memo: Memo): Planned {
  const diagnostics: Diagnostic[] = [];
  const error = (code: ErrorCode, span: Expr['span'], message: string, help?: string, file = kpi.file) =>
    diagnostics.push({ code, severity: 'error', file, span, message, ...(help ? { help } : {}) });
  const grain = query.grain === 'none' ? undefined : (query.grain ?? kpi.grain);
  const segmentNames = query.by === 'none' ? [] : (query.by ?? kpi.segments);
  const segments = segmentNames.map(
    (dimension) => customerSegment(model, dimension) ?? { name: dimension.name, dimension },
  );
  const lookback = grain ? (options.lookback ?? 0) : 0;
  const incomplete = grain !== undefined && options.incomplete === true;
  const from = query.from === undefined ? undefined : parseBound(query.from);
  const to = query.to === undefined ? undefined : parseBound(query.to);

  type Rollup = { kind: 'mean' } | { kind: 'share'; status: RollupStatus };
  const components: { kpi: Kpi; maxLag: number; rollup?: Rollup }[] = [];
  const sameRollup = (a: Rollup | undefined, b: Rollup | undefined) =>
    a?.kind === b?.kind && (a?.kind !== 'share' || (b?.kind === 'share' && a.status === b.status));
  const componentOf = (target: Kpi, lag: number, rollup?: Rollup): number => {
    let index = components.findIndex((c) => c.kpi === target && sameRollup(c.rollup, rollup));
    if (index < 0) index = components.push({ kpi: target, maxLag: 0, ...(rollup ? { rollup } : {}) }) - 1;
    components[index]!.maxLag = Math.max(components[index]!.maxLag, lag);
    return index;
  };

  const refTo = (ref: Extract<DerivedExpr, { kind: 'ref' }>, rollup?: Rollup): DExpr | undefined => {
    const target = model.kpis.get(ref.kpi);
    if (!target) {
      error(
        'unknown-kpi',
        ref.span,
        `\`${ref.kpi}\` is not a KPI of the project; a derived KPI's \`value\` combines other KPIs.`,
        'name a KPI, or declare one for this measure',
      );
      return undefined;
    }
    if (target.cohort || kpi.cohort) {
      error(
        'cohort-in-derived',
        ref.span,
        `${target.cohort ? `KPI \`${target.name}\` is by cohort` : `KPI \`${kpi.name}\` has \`cohort by\``}: a derived KPI combines KPIs per calendar period and segment, not per cohort.`,
        'put the cohort on a KPI with a numerator and denominator',
      );
      return undefined;
    }
    if (stack.set.has(ref.kpi)) {
      const keys = stack.keys;
      const names = [...keys.slice(keys.indexOf(ref.kpi)), ref.kpi].map((k) => model.kpis.get(k)?.name ?? k);
      error(
        'kpi-cycle',
        ref.span,
        `KPI \`${target.name}\` depends on itself: ${names.join(' -> ')}.`,
        'a derived KPI may use only KPIs that do not, directly or through others, use it; break the cycle',
      );
      return undefined;
    }
    if (ref.lag > 0 && !grain) {
      error(
        'previous-without-grain',
        ref.span,
        '`previous` needs periods, and this query has no grain.',
        'give the KPI a `grain`, or run it with `--grain`',
      );
      return undefined;
    }
    if (rollup?.kind === 'share' && !target.thresholds.some((t) => t.level !== 'target')) {
      error(
        'invalid-expression',
        ref.span,
        `\`customer_share\` counts the customers in a status of KPI \`${target.name}\`, which has no \`warn\` or \`critical\` threshold: every customer's status would be empty.`,
        `give \`${target.name}\` its bands, e.g. \`warn < 80\` and \`critical < 60\``,
      );
      return undefined;
    }
    return { kind: 'ref', component: componentOf(target, ref.lag, rollup), lag: ref.lag };
  };

  // The resolver checked the expression; the planner maps each KPI to its component.
  const convert = (e: DerivedExpr): DExpr | undefined => {
    switch (e.kind) {
      case 'ref':
        return refTo(e);
      case 'number':
        return e;
      case 'negate': {
        const operand = convert(e.operand);
        return operand && { kind: 'negate', operand };
      }
      case 'arith': {
        const left = convert(e.left);
        const right = convert(e.right);
        return left && right && { kind: 'arith', op: e.op, left, right };
      }
      case 'call': {
        const args = e.args.map(convert);
        return args.some((a) => a === undefined) ? undefined : { kind: 'call', func: e.func, args: args as DExpr[] };
      }
      case 'score': {
        const operand = convert(e.operand);
        return operand && { ...e, operand };
      }
      case 'weighted': {
        const terms = e.terms.map((t) => ({ expr: convert(t.expr), weight: t.weight }));
        return terms.some((t) => t.expr === undefined)
          ? undefined
          : { kind: 'weighted', terms: terms as { expr: DExpr; weight: string }[] };
      }
      case 'rollup':
        return refTo(e.operand, e.rollup === 'mean' ? { kind: 'mean' } : { kind: 'share', status: e.status! });
    }
  };

  if (!kpi.derived) {
    error(
      'invalid-expression',
      kpi.nameSpan,
      `KPI \`${kpi.name}\` has no value to compute.`,
      'write `value EXPR` over other KPIs',
    );
    return { value: undefined, diagnostics };
  }
  const expr = convert(kpi.derived);
  const mismatch = grainMismatch(
    kpi,
    grain,
    components.map((c) => c.kpi),
    components.some((c) => c.maxLag > 0),
  );
  if (mismatch) diagnostics.push(mismatch);
  const planned: ComponentPlan[] = [];
  for (const component of components) {
    // A rolled-up input is computed per customer within the query's segments, then aggregated over the customers.
    const by =
      component.rollup && !segments.some((s) => s.name === 'customer' && s.dimension.qualifier)
        ? [...segmentNames, { name: 'customer', span: kpi.nameSpan }]
        : segmentNames;
    const sub: Query = {
      kpi: component.kpi.name,
      by: by.length ? by : 'none',
      grain: grain ?? 'none',
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.where ? { where: query.where, whereFile: query.whereFile ?? '<query>' } : {}),
      ...(query.dialect ? { dialect: query.dialect } : {}),
    };
    const result = planValues(model, sub, { lookback: lookback + component.maxLag, incomplete }, stack, memo);
    diagnostics.push(...result.diagnostics.filter((d) => !diagnostics.some((e) => sameDiagnostic(d, e))));
    if (result.value)
      planned.push({
        kpi: component.kpi,
        maxLag: component.maxLag,
        values: result.value,
        ...(component.rollup ? { rollup: rollupPlan(component.rollup, result.value, query) } : {}),
      });
  }
  if (!expr || planned.length !== components.length || diagnostics.some((d) => d.severity === 'error')) {
    if (!diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({
        code: 'invalid-expression',
        severity: 'error',
        file: kpi.file,
        span: kpi.nameSpan,
        message: `KPI \`${kpi.name}\` has no value to compute.`,
        help: 'write `value EXPR` over other KPIs',
      });
    }
    return { value: undefined, diagnostics };
  }
  const firstPeriod = grain && from ? shiftPeriod(periodStart(from.date, grain), grain, -lookback) : undefined;
  return {
    value: {
      kind: 'derived',
      kpi,
      segments,
      dialect: query.dialect ?? 'duckdb',
      lookback,
      incomplete,
      components: planned,
      expr,
      ...(grain ? { grain } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(firstPeriod ? { firstPeriod } : {}),
    },
    diagnostics,
  };
}

function rollupPlan(
  rollup: { kind: 'mean' } | { kind: 'share'; status: RollupStatus },
  values: ValuesPlan,
  query: Query,
): ComponentRollup {
  if (rollup.kind === 'mean') return rollup;
  const thresholds = planAllThresholds(
    values.kpi.thresholds,
    values.segments,
    values.grain !== undefined,
    pinnedByWhere(query.where),
  );
  return { ...rollup, thresholds };
}

/**
 * A derived KPI built for its own grain (a week against the average of four
 * weeks) means something else at another: `previous` steps a period of the
 * query's grain and a window keeps its length, so a weekly value against a
 * 4-week average becomes a monthly value against it ("286% up" every month).
 */
function grainMismatch(
  kpi: Kpi,
  grain: Grain | undefined,
  inputs: readonly Kpi[],
  previous: boolean,
): Diagnostic | undefined {
  if (!kpi.grain || !grain || grain === kpi.grain) return undefined;
  const windowed = inputs
    .filter((k) => k.window)
    .map((k) => `\`${k.name}\` (window ${k.window!.amount} ${k.window!.unit}${k.window!.amount === 1 ? '' : 's'})`);
  if (!previous && windowed.length === 0) return undefined;
  const why = [
    ...(previous ? ["`previous` steps one period of the query's grain"] : []),
    ...(windowed.length ? [`${windowed.join(', ')} keep${windowed.length === 1 ? 's' : ''} its length`] : []),
  ];
  return {
    code: 'derived-grain-mismatch',
    severity: 'warn',
    file: kpi.file,
    span: kpi.nameSpan,
    message: `KPI \`${kpi.name}\` is built for grain ${kpi.grain} and is run by ${grain}: ${why.join(', and ')}, so its value compares other spans than it was written for.`,
    help: `run it by ${kpi.grain}, or declare a KPI of its own for grain ${grain}`,
  };
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.code === b.code && a.file === b.file && a.span.start.offset === b.span.start.offset && a.message === b.message
  );
}

/** The inputs of a derived KPI for `explain`: each KPI it reads, with its normalisation and weight where it has them. */
export function describeComponents(plan: DerivedPlan): DerivedComponent[] {
  const out: DerivedComponent[] = [];
  const visit = (
    expr: DExpr,
    context: { normalise?: DerivedComponent['normalise']; weight?: string; share?: number },
  ) => {
    switch (expr.kind) {
      case 'ref': {
        const component = plan.components[expr.component]!;
        const rollup = component.rollup;
        out.push({
          kpi: component.kpi.name,
          lag: expr.lag,
          ...context,
          ...(rollup ? { rollup: rollup.kind === 'mean' ? rollup : { kind: 'share', status: rollup.status } } : {}),
        });
        return;
      }
      case 'score':
        visit(expr.operand, {
          ...context,
          normalise: expr.low !== undefined ? { kind: 'fixed', low: expr.low, high: expr.high! } : { kind: 'min-max' },
        });
        return;
      case 'weighted': {
        const total = expr.terms.reduce((sum, t) => sum + Number(t.weight), 0);
        for (const term of expr.terms)
          visit(term.expr, { ...context, weight: term.weight, share: Number(term.weight) / total });
        return;
      }
      case 'negate':
        visit(expr.operand, context);
        return;
      case 'arith':
        visit(expr.left, context);
        visit(expr.right, context);
        return;
      case 'call':
        for (const arg of expr.args) visit(arg, context);
        return;
      case 'number':
        return;
    }
  };
  visit(plan.expr, {});
  return out;
}
