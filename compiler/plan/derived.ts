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

import type { Diagnostic } from '../diagnostics.ts';
import { suggest } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import { asSafeInteger, isDecimalText, literalDecimal, negateDecimal } from '../semantic/decimal.ts';
import type { Grain, Kpi, Model } from '../semantic/model.ts';
import type { DerivedComponent, Dialect, Query } from './query.ts';
import { customerSegment, planQuery, type PlannedSegment, type PlanOptions, type QueryPlan } from './plan.ts';
import { parseBound, periodStart, shiftPeriod, type Bound } from './range.ts';
import { nameKey } from '../semantic/names.ts';

/** The numeric functions a derived `value` may call, as in the language. */
const NUMERIC_FUNCTIONS = ['coalesce', 'nullif', 'abs', 'round', 'floor', 'ceil', 'least', 'greatest'] as const;
type NumericFunction = (typeof NUMERIC_FUNCTIONS)[number];

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
}

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
export function planValues(model: Model, query: Query, options: PlanOptions = {}, stack: Stack = { keys: [], set: new Set() }, memo: Memo = new Map()): Planned {
  const key = memoKey(query, options);
  const known = memo.get(key);
  if (known) return { value: known.value, diagnostics: [...known.diagnostics] };
  const kpi = model.kpis.get(nameKey(query.kpi));
  let planned: Planned;
  if (kpi?.value && stack.keys.length >= MAX_DERIVED_DEPTH) {
    const top = model.kpis.get(stack.keys[0]!);
    planned = {
      value: undefined,
      diagnostics: [{
        code: 'derived-chain-too-deep', severity: 'error', file: top?.file ?? kpi.file, span: top?.nameSpan ?? kpi.nameSpan,
        message: `KPI \`${top?.name ?? kpi.name}\` is derived through more than ${MAX_DERIVED_DEPTH} levels of derived KPIs (the limit); \`${kpi.name}\` is level ${MAX_DERIVED_DEPTH + 1}.`,
        help: 'compute the deep inputs from measures, or shorten the chain of KPIs derived from KPIs',
      }],
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
  const by = query.by === undefined || query.by === 'none' ? String(query.by) : query.by.map((d) => `${d.qualifier ?? ''}.${d.name}`).join(',');
  return [nameKey(query.kpi), by, query.grain, query.from, query.to, query.dialect, options.lookback ?? 0, options.incomplete === true].join('|');
}

function planDerived(model: Model, kpi: Kpi, query: Query, options: PlanOptions, stack: Stack, memo: Memo): Planned {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, span: Expr['span'], message: string, help?: string, file = kpi.file) =>
    diagnostics.push({ code, severity: 'error', file, span, message, ...(help ? { help } : {}) });
  const grain = query.grain === 'none' ? undefined : (query.grain ?? kpi.grain);
  const segmentNames = query.by === 'none' ? [] : (query.by ?? kpi.segments);
  const segments = segmentNames.map((dimension) => customerSegment(model, dimension) ?? { name: dimension.name, dimension });
  if (kpi.where) {
    error('derived-kpi-where', kpi.where.span, `KPI \`${kpi.name}\` is derived from other KPIs; a \`where\` on it would filter nothing of its own.`,
      'put the filter on the KPIs it is computed from, or give `--where` when running it');
  }
  const lookback = grain ? (options.lookback ?? 0) : 0;
  const incomplete = grain !== undefined && options.incomplete === true;
  const from = query.from === undefined ? undefined : parseBound(query.from);
  const to = query.to === undefined ? undefined : parseBound(query.to);

  const components: { kpi: Kpi; maxLag: number }[] = [];
  const componentOf = (target: Kpi, lag: number): number => {
    let index = components.findIndex((c) => c.kpi === target);
    if (index < 0) index = components.push({ kpi: target, maxLag: 0 }) - 1;
    components[index]!.maxLag = Math.max(components[index]!.maxLag, lag);
    return index;
  };

  const refTo = (expr: Expr, lag: number): DExpr | undefined => {
    if (expr.kind !== 'ref' || expr.qualifier) {
      error('invalid-expression', expr.span, '`previous` takes the name of a KPI (and a number of periods).', 'e.g. `previous(weekly_logins)` or `previous(weekly_logins, 4)`');
      return undefined;
    }
    const target = model.kpis.get(nameKey(expr.name.text));
    if (!target) {
      const guess = suggest(expr.name.text, [...model.kpis.values()].map((k) => k.name));
      error('unknown-kpi', expr.span, `\`${expr.name.text}\` is not a KPI of the project; a derived KPI's \`value\` combines other KPIs.`,
        guess ? `did you mean \`${guess}\`?` : 'name a KPI, or declare one for this measure');
      return undefined;
    }
    if (target.cohort || kpi.cohort) {
      error('cohort-in-derived', expr.span, `${target.cohort ? `KPI \`${target.name}\` is by cohort` : `KPI \`${kpi.name}\` has \`cohort by\``}: a derived KPI combines KPIs per calendar period and segment, not per cohort.`,
        'put the cohort on a KPI with a numerator and denominator');
      return undefined;
    }
    if (stack.set.has(nameKey(target.name))) {
      const keys = stack.keys;
      const names = [...keys.slice(keys.indexOf(nameKey(target.name))), nameKey(target.name)].map((k) => model.kpis.get(k)?.name ?? k);
      error('kpi-cycle', expr.span, `KPI \`${target.name}\` depends on itself: ${names.join(' -> ')}.`,
        'a derived KPI may use only KPIs that do not, directly or through others, use it; break the cycle');
      return undefined;
    }
    if (lag > 0 && !grain) {
      error('previous-without-grain', expr.span, '`previous` needs periods, and this query has no grain.', 'give the KPI a `grain`, or run it with `--grain`');
      return undefined;
    }
    return { kind: 'ref', component: componentOf(target, lag), lag };
  };

  const convert = (expr: Expr): DExpr | undefined => {
    switch (expr.kind) {
      case 'ref':
        return refTo(expr, 0);
      case 'number':
        return isDecimalText(expr.text) ? { kind: 'number', text: literalDecimal(expr.text, expr.percent) } : undefined;
      case 'unary': {
        if (expr.op !== '-') break;
        const operand = convert(expr.operand);
        return operand && { kind: 'negate', operand };
      }
      case 'binary': {
        if (expr.op !== '+' && expr.op !== '-' && expr.op !== '*' && expr.op !== '/') break;
        const left = convert(expr.left);
        const right = convert(expr.right);
        return left && right && { kind: 'arith', op: expr.op, left, right };
      }
      case 'call':
        return convertCall(expr);
      default:
        break;
    }
    error('invalid-expression', expr.span,
      'a derived KPI\'s `value` is arithmetic over KPIs and numbers, with `coalesce nullif abs round floor ceil least greatest`, `previous`, `score` and `weighted_mean`.',
      'move conditions into the measures of the KPIs it combines');
    return undefined;
  };

  const convertCall = (expr: Extract<Expr, { kind: 'call' }>): DExpr | undefined => {
    const func = expr.callee.text.toLowerCase();
    const args = expr.args;
    if (func === 'previous') {
      const lag = args.length === 2 ? wholeNumber(args[1]!) : args.length === 1 ? 1 : undefined;
      if (lag === undefined || lag < 1) {
        error('invalid-expression', expr.span, '`previous(KPI, N)` takes a KPI and a whole number of periods, 1 or more.', 'e.g. `previous(weekly_logins)` or `previous(weekly_logins, 4)`');
        return undefined;
      }
      return refTo(args[0]!, lag);
    }
    if (func === 'score') {
      if (args.length !== 1 && args.length !== 3) {
        error('invalid-expression', expr.span, '`score` takes a value and optionally its bounds: `score(x, LOW, HIGH)` or `score(x)` (min-max over the segments).', 'e.g. `score(nps, -100, 100)`');
        return undefined;
      }
      const operand = convert(args[0]!);
      if (!operand) return undefined;
      if (args.length === 1) {
        if (hasMinMax(operand)) {
          error('invalid-expression', expr.span, 'a min-max `score(x)` cannot contain another min-max `score`.', 'give the inner score fixed bounds');
          return undefined;
        }
        return { kind: 'score', operand };
      }
      const [low, high] = [signedNumber(args[1]!), signedNumber(args[2]!)];
      if (low === undefined || high === undefined || Number(low) === Number(high)) {
        error('invalid-expression', expr.span, '`score(x, LOW, HIGH)` takes two different numbers: the value scoring 0 and the value scoring 100.', 'e.g. `score(tickets, 10, 0)` when fewer is better');
        return undefined;
      }
      return { kind: 'score', operand, low, high };
    }
    if (func === 'weighted_mean') {
      const terms: { expr: DExpr; weight: string }[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        const weight = signedNumber(args[i + 1]!);
        const inner = convert(args[i]!);
        if (weight === undefined || Number(weight) <= 0) {
          error('invalid-expression', args[i + 1]!.span, 'a weight of `weighted_mean` is a number above 0.', 'e.g. `weighted_mean(score(nps, -100, 100), 3, score(logins), 1)`');
          return undefined;
        }
        if (!inner) return undefined;
        terms.push({ expr: inner, weight });
      }
      if (args.length === 0 || args.length % 2 !== 0) {
        error('invalid-expression', expr.span, '`weighted_mean` takes pairs: a value, then its weight.', 'e.g. `weighted_mean(score(nps, -100, 100), 3, score(logins), 1)`');
        return undefined;
      }
      return { kind: 'weighted', terms };
    }
    if ((NUMERIC_FUNCTIONS as readonly string[]).includes(func) && args.length > 0) {
      const converted = args.map(convert);
      if (converted.some((a) => a === undefined)) return undefined;
      return { kind: 'call', func: func as NumericFunction, args: converted as DExpr[] };
    }
    error('invalid-expression', expr.callee.span, `\`${expr.callee.text}\` cannot be used in a derived KPI's \`value\`.`,
      'use arithmetic, `coalesce nullif abs round floor ceil least greatest`, `previous`, `score` or `weighted_mean`');
    return undefined;
  };

  const expr = convert(kpi.value!);
  // Numbers alone (`value abs(0%)`) read no data: no periods, no segments, nothing to measure.
  if (expr && components.length === 0) {
    error('derived-without-kpi', kpi.nameSpan, `KPI \`${kpi.name}\` is derived, but its \`value\` uses no KPI: a derived value combines the values of other KPIs.`,
      'name at least one KPI in `value` (e.g. `value nps - previous(nps)`)');
  }
  const planned: ComponentPlan[] = [];
  for (const component of components) {
    const sub: Query = {
      kpi: component.kpi.name,
      by: segmentNames.length ? segmentNames : 'none',
      grain: grain ?? 'none',
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.where ? { where: query.where, whereFile: query.whereFile ?? '<query>' } : {}),
      ...(query.dialect ? { dialect: query.dialect } : {}),
    };
    const result = planValues(model, sub, { lookback: lookback + component.maxLag, incomplete }, stack, memo);
    diagnostics.push(...result.diagnostics.filter((d) => !diagnostics.some((e) => sameDiagnostic(d, e))));
    if (result.value) planned.push({ kpi: component.kpi, maxLag: component.maxLag, values: result.value });
  }
  if (!expr || planned.length !== components.length || diagnostics.some((d) => d.severity === 'error')) {
    if (!diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({ code: 'invalid-expression', severity: 'error', file: kpi.file, span: kpi.nameSpan, message: `KPI \`${kpi.name}\` has no value to compute.`, help: 'write `value EXPR` over other KPIs' });
    }
    return { value: undefined, diagnostics };
  }
  const firstPeriod = grain && from ? shiftPeriod(periodStart(from.date, grain), grain, -lookback) : undefined;
  return {
    value: {
      kind: 'derived', kpi, segments, dialect: query.dialect ?? 'duckdb', lookback, incomplete, components: planned, expr,
      ...(grain ? { grain } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(firstPeriod ? { firstPeriod } : {}),
    },
    diagnostics,
  };
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.file === b.file && a.span.start.offset === b.span.start.offset && a.message === b.message;
}

function hasMinMax(expr: DExpr): boolean {
  switch (expr.kind) {
    case 'score':
      return expr.low === undefined || hasMinMax(expr.operand);
    case 'negate':
      return hasMinMax(expr.operand);
    case 'arith':
      return hasMinMax(expr.left) || hasMinMax(expr.right);
    case 'call':
      return expr.args.some(hasMinMax);
    case 'weighted':
      return expr.terms.some((t) => hasMinMax(t.expr));
    default:
      return false;
  }
}

/** A number literal, possibly negated or a percentage, as exact decimal text. */
function signedNumber(expr: Expr): string | undefined {
  if (expr.kind === 'number') return isDecimalText(expr.text) ? literalDecimal(expr.text, expr.percent) : undefined;
  if (expr.kind === 'unary' && expr.op === '-') {
    const inner = signedNumber(expr.operand);
    return inner === undefined ? undefined : negateDecimal(inner);
  }
  return undefined;
}

function wholeNumber(expr: Expr): number | undefined {
  return expr.kind === 'number' && !expr.percent ? asSafeInteger(expr.text) : undefined;
}

/** The inputs of a derived KPI for `explain`: each KPI it reads, with its normalisation and weight where it has them. */
export function describeComponents(plan: DerivedPlan): DerivedComponent[] {
  const out: DerivedComponent[] = [];
  const visit = (expr: DExpr, context: { normalise?: DerivedComponent['normalise']; weight?: string; share?: number }) => {
    switch (expr.kind) {
      case 'ref': {
        const kpi = plan.components[expr.component]!.kpi.name;
        out.push({ kpi, lag: expr.lag, ...context });
        return;
      }
      case 'score':
        visit(expr.operand, { ...context, normalise: expr.low !== undefined ? { kind: 'fixed', low: expr.low, high: expr.high! } : { kind: 'min-max' } });
        return;
      case 'weighted': {
        const total = expr.terms.reduce((sum, t) => sum + Number(t.weight), 0);
        for (const term of expr.terms) visit(term.expr, { ...context, weight: term.weight, share: Number(term.weight) / total });
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

