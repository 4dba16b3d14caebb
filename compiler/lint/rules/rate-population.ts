// Correctness: a rate of two counts of one source is a share only when the
// numerator counts a subset of what the denominator counts: every row that
// passes the numerator's filter passes the denominator's. Otherwise the
// "share" can exceed 100%.
//
// Only filters are compared. Time columns and `at period` are not: churned
// customers (a flow, dated by `ended_at`) over the customers at the period's
// start (a snapshot) is the definition of churn, not a mistake. And only
// counts of the same thing are rates: rows over rows (`count()`, `count(x)`)
// or `count_distinct` of one expression over the same; orders over distinct
// customers is an average per customer and may exceed 1 on purpose.
//
// Implication is judged on the shape of the filters: equal parts, AND and
// OR, and comparisons of one operand with literals (`x >= 2` implies
// `x >= 1`, `x in (1, 2)` implies `x in (1, 2, 3)`, either implies
// `x is not null`). It misses cleverer equivalences (then it warns and the
// finding can be suppressed) but never claims a subset that is not one.

import type { Measure, RExpr } from '../../semantic/model.ts';
import { compareDecimal } from '../decimal-order.ts';
import { structuralKey } from '../model-query.ts';
import { defineRule } from '../rule.ts';

const messages = {
  filter:
    "the numerator `{numerator}` counts rows the denominator `{denominator}` does not: its filter does not imply the denominator's, so the rate can exceed 100%.",
  repeatFilter: "repeat the denominator's filter in the numerator's: `where ({denominatorWhere}) and ...`.",
} as const;
type MessageId = keyof typeof messages;

export const ratePopulation = defineRule<MessageId>({
  meta: {
    id: 'rate-population',
    defaultSeverity: 'warn',
    step: 'correctness',
    description:
      "The numerator of a rate counts rows that are not among the denominator's, so the rate can exceed 100%.",
    messages,
    docs: 'docs/rules/rate-population.md',
  },
  check(context) {
    const { model } = context;
    for (const kpi of model.kpis.values()) {
      if (kpi.numerator?.kind !== 'measure' || kpi.denominator?.kind !== 'measure') continue;
      const numerator = model.measures.get(kpi.numerator.measure);
      const denominator = model.measures.get(kpi.denominator.measure);
      if (!numerator || !denominator || numerator.source.toLowerCase() !== denominator.source.toLowerCase()) continue;
      const finding = comparePopulations(numerator, denominator);
      if (!finding) continue;
      context.report({
        ...finding,
        data: { numerator: numerator.name, denominator: denominator.name, ...finding.data },
        file: kpi.file,
        span: kpi.numerator.span,
      });
    }
  },
});

/** Why the numerator is not a subset of the denominator; `undefined` when it is, or when the two are no share. */
function comparePopulations(
  numerator: Measure,
  denominator: Measure,
): { messageId: MessageId; help: MessageId; data: Record<string, string> } | undefined {
  if (!countSameThing(numerator, denominator)) return undefined;
  if (denominator.where === undefined || (numerator.where !== undefined && implies(numerator.where, denominator.where)))
    return undefined;
  return { messageId: 'filter', help: 'repeatFilter', data: { denominatorWhere: printRExpr(denominator.where) } };
}

/** Rows over rows, or distinct values of one expression over the same. */
function countSameThing(numerator: Measure, denominator: Measure): boolean {
  if (numerator.aggregate === 'count' && denominator.aggregate === 'count') return true;
  return (
    numerator.aggregate === 'count_distinct' &&
    denominator.aggregate === 'count_distinct' &&
    structuralKey(numerator.arg) === structuralKey(denominator.arg)
  );
}

/**
 * Whether every row passing `numerator` passes `denominator`. Each pair of
 * sub-filters is judged once, so nested AND/OR stay cheap.
 */
function implies(numerator: RExpr, denominator: RExpr, memo = new Map<RExpr, Map<RExpr, boolean>>()): boolean {
  const known = memo.get(numerator)?.get(denominator);
  if (known !== undefined) return known;
  const recur = (n: RExpr, d: RExpr) => implies(n, d, memo);
  let result: boolean;
  if (structuralKey(numerator) === structuralKey(denominator)) result = true;
  else if (isLogical(denominator, 'and')) result = flatten(denominator, 'and').every((part) => recur(numerator, part));
  else if (isLogical(numerator, 'or')) result = flatten(numerator, 'or').every((part) => recur(part, denominator));
  else {
    result =
      (isLogical(numerator, 'and') && flatten(numerator, 'and').some((part) => recur(part, denominator))) ||
      (isLogical(denominator, 'or') && flatten(denominator, 'or').some((part) => recur(numerator, part))) ||
      atomImplies(numerator, denominator);
  }
  if (!memo.has(numerator)) memo.set(numerator, new Map());
  memo.get(numerator)!.set(denominator, result);
  return result;
}

function isLogical(expr: RExpr, op: 'and' | 'or'): boolean {
  return expr.kind === 'binary' && expr.op === op;
}

function flatten(expr: RExpr, op: 'and' | 'or'): RExpr[] {
  return expr.kind === 'binary' && expr.op === op ? [...flatten(expr.left, op), ...flatten(expr.right, op)] : [expr];
}

// ---------------------------------------------------------------- comparisons with literals

/** A literal value: numbers compare by value, other literals only for equality. */
type Value = { readonly kind: 'number'; readonly text: string } | { readonly kind: 'other'; readonly key: string };

interface Bound {
  readonly at: string;
  readonly open: boolean;
}

/** Numbers between `low` and `high` (absent: unbounded). */
interface Interval {
  readonly low?: Bound;
  readonly high?: Bound;
}

/** The values an operand may take for a predicate to hold. */
type ValueSet =
  | { readonly kind: 'some'; readonly values: readonly Value[] }
  | { readonly kind: 'except'; readonly values: readonly Value[] }
  | { readonly kind: 'intervals'; readonly parts: readonly Interval[] };

/** A predicate that holds exactly when `operand` (never null) takes a value of `set`. */
interface Constraint {
  readonly operand: string;
  readonly set: ValueSet;
}

function atomImplies(numerator: RExpr, denominator: RExpr): boolean {
  const have = constraintOf(numerator);
  if (have === undefined) return false;
  // A comparison is never true of null, so it implies `is not null`.
  if (denominator.kind === 'is-null' && denominator.negated) return structuralKey(denominator.operand) === have.operand;
  const want = constraintOf(denominator);
  return want !== undefined && want.operand === have.operand && isSubset(have.set, want.set);
}

function constraintOf(expr: RExpr): Constraint | undefined {
  switch (expr.kind) {
    case 'binary': {
      const flipped = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' } as const;
      if (!(expr.op in flipped)) return undefined;
      const op = expr.op as keyof typeof flipped;
      const right = literalValueOf(expr.right);
      if (right !== undefined && literalValueOf(expr.left) === undefined)
        return { operand: structuralKey(expr.left), set: compared(op, right) };
      const left = literalValueOf(expr.left);
      if (left !== undefined && literalValueOf(expr.right) === undefined)
        return { operand: structuralKey(expr.right), set: compared(flipped[op], left) };
      return undefined;
    }
    case 'in': {
      const values = expr.values.map(literalValueOf);
      if (values.some((v) => v === undefined)) return undefined;
      return {
        operand: structuralKey(expr.operand),
        set: { kind: expr.negated ? 'except' : 'some', values: values as Value[] },
      };
    }
    case 'between': {
      const low = literalValueOf(expr.low);
      const high = literalValueOf(expr.high);
      if (low?.kind !== 'number' || high?.kind !== 'number') return undefined;
      const parts: Interval[] = expr.negated
        ? [{ high: { at: low.text, open: true } }, { low: { at: high.text, open: true } }]
        : [{ low: { at: low.text, open: false }, high: { at: high.text, open: false } }];
      return { operand: structuralKey(expr.operand), set: { kind: 'intervals', parts } };
    }
    default:
      return undefined;
  }
}

function compared(op: '<' | '<=' | '>' | '>=' | '=' | '!=', value: Value): ValueSet {
  if (op === '=') return { kind: 'some', values: [value] };
  if (op === '!=') return { kind: 'except', values: [value] };
  // Ordering of non-numbers (dates, strings) is not judged: an empty interval list implies nothing.
  if (value.kind !== 'number') return { kind: 'intervals', parts: [] };
  const bound = { at: value.text, open: op === '<' || op === '>' };
  return { kind: 'intervals', parts: [op === '<' || op === '<=' ? { high: bound } : { low: bound }] };
}

function literalValueOf(expr: RExpr): Value | undefined {
  if (
    expr.kind === 'unary' &&
    expr.op === '-' &&
    expr.operand.kind === 'literal' &&
    expr.operand.value.kind === 'number'
  ) {
    return { kind: 'number', text: `-${expr.operand.value.text}` };
  }
  if (expr.kind !== 'literal' || expr.value.kind === 'null') return undefined;
  return expr.value.kind === 'number'
    ? { kind: 'number', text: expr.value.text }
    : { kind: 'other', key: structuralKey(expr.value) };
}

/** Whether every value of `a` is a value of `b`. */
function isSubset(a: ValueSet, b: ValueSet): boolean {
  if (a.kind === 'some') return a.values.every((v) => contains(b, v));
  if (a.kind === 'except') return b.kind === 'except' && b.values.every((v) => a.values.some((w) => sameValue(v, w)));
  // An empty interval list (an ordering not judged) implies nothing, though as a set it is empty.
  if (a.parts.length === 0) return false;
  if (b.kind === 'intervals') return a.parts.every((part) => b.parts.some((outer) => within(part, outer)));
  if (b.kind === 'except')
    return b.values.every((v) => v.kind !== 'number' || !a.parts.some((part) => inInterval(part, v.text)));
  return false;
}

function contains(set: ValueSet, value: Value): boolean {
  if (set.kind === 'some') return set.values.some((v) => sameValue(v, value));
  if (set.kind === 'except') return !set.values.some((v) => sameValue(v, value));
  return value.kind === 'number' && set.parts.some((part) => inInterval(part, value.text));
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'number' && b.kind === 'number') return compareDecimal(a.text, b.text) === 0;
  return a.kind === 'other' && b.kind === 'other' && a.key === b.key;
}

function inInterval(interval: Interval, at: string): boolean {
  const { low, high } = interval;
  const aboveLow = low === undefined || compareDecimal(at, low.at) > (low.open ? 0 : -1);
  const belowHigh = high === undefined || compareDecimal(at, high.at) < (high.open ? 0 : 1);
  return aboveLow && belowHigh;
}

/** `inner` lies within `outer`. */
function within(inner: Interval, outer: Interval): boolean {
  const lowOk = outer.low === undefined || (inner.low !== undefined && boundAtLeast(inner.low, outer.low, 'low'));
  const highOk = outer.high === undefined || (inner.high !== undefined && boundAtLeast(inner.high, outer.high, 'high'));
  return lowOk && highOk;
}

/** Whether bound `inner` is as tight as `outer` or tighter, on its side. */
function boundAtLeast(inner: Bound, outer: Bound, side: 'low' | 'high'): boolean {
  const order = compareDecimal(inner.at, outer.at) * (side === 'low' ? 1 : -1);
  return order > 0 || (order === 0 && (inner.open || !outer.open));
}

/** A filter for the help line, rebuilt from the resolved tree (the model keeps no source text). */
function printRExpr(expr: RExpr): string {
  switch (expr.kind) {
    case 'column':
    case 'dimension':
      return expr.path.length > 0
        ? `${expr.source}.${expr.kind === 'column' ? expr.column : expr.name}`
        : expr.kind === 'column'
          ? expr.column
          : expr.name;
    case 'literal':
      return printLiteral(expr.value);
    case 'unary':
      return expr.op === 'not' ? `not ${printRExpr(expr.operand)}` : `-${printRExpr(expr.operand)}`;
    case 'binary':
      return `${printOperand(expr.left, expr.op)} ${expr.op} ${printOperand(expr.right, expr.op)}`;
    case 'in':
      return `${printRExpr(expr.operand)}${expr.negated ? ' not' : ''} in (${expr.values.map(printRExpr).join(', ')})`;
    case 'between':
      return `${printRExpr(expr.operand)}${expr.negated ? ' not' : ''} between ${printRExpr(expr.low)} and ${printRExpr(expr.high)}`;
    case 'is-null':
      return `${printRExpr(expr.operand)} is ${expr.negated ? 'not ' : ''}null`;
    case 'case':
      return 'case ... end';
    case 'call':
      return `${expr.func}(${expr.args.map(printRExpr).join(', ')})`;
  }
}

/** Parentheses where `and` and `or` mix, so the printed filter means what the model does. */
function printOperand(expr: RExpr, parentOp: string): string {
  const text = printRExpr(expr);
  const logical = expr.kind === 'binary' && (expr.op === 'and' || expr.op === 'or');
  return logical && expr.op !== parentOp ? `(${text})` : text;
}

function printLiteral(value: Extract<RExpr, { kind: 'literal' }>['value']): string {
  switch (value.kind) {
    case 'number':
      return value.text;
    case 'string':
      return JSON.stringify(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'date':
      return `date "${value.value}"`;
    case 'timestamp':
      return `timestamp "${value.value}"`;
    case 'duration':
      return `${value.amount} ${value.unit}s`;
  }
}
