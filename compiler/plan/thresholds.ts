// Which threshold applies to a result row.
//
// Per level (target, warn, critical), the thresholds are tried most specific
// first: one with `for PRED` before one without; among several with `for`,
// the one whose predicate has more `and` terms, then the one declared later.
// A `for` predicate is over the query's segment columns; one that names a
// dimension the query is not segmented by cannot be decided per row, so that
// threshold does not apply to this query -- unless the query's `--where`
// pins that dimension to one value (`--where 'region = "EMEA"'`): then the
// `for` is decided with that value, for every row.

import type { Expr } from '../syntax/ast.ts';
import type { LiteralValue, RExpr, TargetTable, Threshold } from '../semantic/model.ts';
import { SCALAR_FUNCTIONS } from '../semantic/model.ts';
import { literalDecimal } from '../semantic/decimal.ts';
import type { PlannedSegment } from './plan.ts';
import { nameKey } from '../semantic/names.ts';

export interface PlannedThreshold {
  readonly threshold: Threshold;
  /** Over segment columns: `column` references name the segment's result column. */
  readonly when?: RExpr;
  /** A target table's row per period: how its dimensions meet the query's segments. */
  readonly table?: PlannedTargetTable;
}

/**
 * `target >= nps_targets.target`: the row of the period whose dimensions
 * match the row's segments (a null in the table matches every value); a
 * dimension the query is not segmented by matches only a null.
 */
export interface PlannedTargetTable {
  /** The table's dimensions (by index in `TargetTable.dimensions`) the query is segmented by, with the segment column. */
  readonly matched: readonly { readonly index: number; readonly segment: string }[];
  /** The table's dimensions the query is not segmented by: only rows with null there apply. */
  readonly unmatched: readonly number[];
}

/** Per level, the thresholds that can apply to a query, most specific first. */
export type PlannedThresholds = Readonly<Record<Threshold['level'], readonly PlannedThreshold[]>>;

/** Dimension (lower-cased name) -> the literal a query's `where` pins it to, by a top-level `and` term `dim = literal`. */
export type Pinned = ReadonlyMap<string, Expr>;

export function pinnedByWhere(where: Expr | undefined): Pinned {
  const pinned = new Map<string, Expr>();
  const stack = where ? [where] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'binary' && e.op === 'and') stack.push(e.left, e.right);
    else if (e.kind === 'binary' && e.op === '=') {
      const [ref, value] = e.left.kind === 'ref' ? [e.left, e.right] : [e.right, e.left];
      if (ref.kind === 'ref' && isLiteral(value)) pinned.set(nameKey(ref.name.text), value);
    }
  }
  return pinned;
}

function isLiteral(e: Expr): boolean {
  return (
    e.kind === 'string' || e.kind === 'number' || e.kind === 'boolean' || e.kind === 'date' || e.kind === 'timestamp'
  );
}

export function planAllThresholds(
  thresholds: readonly Threshold[],
  segments: readonly PlannedSegment[],
  hasPeriod = false,
  pinned: Pinned = new Map(),
): PlannedThresholds {
  return {
    target: planThresholds(thresholds, 'target', segments, hasPeriod, pinned),
    warn: planThresholds(thresholds, 'warn', segments, hasPeriod, pinned),
    critical: planThresholds(thresholds, 'critical', segments, hasPeriod, pinned),
  };
}

/** The thresholds of a level that can apply to this query, most specific first. */
export function planThresholds(
  thresholds: readonly Threshold[],
  level: Threshold['level'],
  segments: readonly PlannedSegment[],
  hasPeriod = false,
  pinned: Pinned = new Map(),
): PlannedThreshold[] {
  const candidates: { planned: PlannedThreshold; rank: number; from: string; order: number }[] = [];
  thresholds.forEach((threshold, order) => {
    if (threshold.level !== level) return;
    // A dated threshold (`from 2025-01-01`) or a table's is decided per period; a query without periods cannot use it.
    if ((threshold.from || threshold.table) && !hasPeriod) return;
    const since = threshold.from ? sinceSql(threshold.from, threshold.span) : undefined;
    // A table's target applies where the table has a row, so it goes before a plain number of the same level.
    const table = threshold.table ? { table: planTargetTable(threshold.table, segments) } : {};
    const tableRank = threshold.table ? 0.5 : 0;
    if (!threshold.for) {
      candidates.push({
        planned: since ? { threshold, when: since, ...table } : { threshold, ...table },
        rank: tableRank,
        from: threshold.from ?? '',
        order,
      });
      return;
    }
    const segment = overSegments(threshold.for, segments, pinned);
    if (!segment) return;
    const when: RExpr = since
      ? { kind: 'binary', op: 'and', left: segment, right: since, type: 'unknown', span: threshold.span }
      : segment;
    candidates.push({
      planned: { threshold, when, ...table },
      rank: 1 + countConjuncts(threshold.for) + tableRank,
      from: threshold.from ?? '',
      order,
    });
  });
  // Most specific `for` first; among equals, the latest `from` in force; then the later declaration.
  return candidates
    .sort((a, b) => b.rank - a.rank || (a.from < b.from ? 1 : a.from > b.from ? -1 : 0) || b.order - a.order)
    .map((c) => c.planned);
}

function planTargetTable(table: TargetTable, segments: readonly PlannedSegment[]): PlannedTargetTable {
  const matched: { index: number; segment: string }[] = [];
  const unmatched: number[] = [];
  table.dimensions.forEach((dimension, index) => {
    const segment = segments.find((s) => nameKey(s.name) === nameKey(dimension.name));
    if (segment) matched.push({ index, segment: segment.name });
    else unmatched.push(index);
  });
  return { matched, unmatched };
}

/** `"period" >= date '2025-01-01'`: the threshold is in force for this period. */
function sinceSql(from: string, span: Threshold['span']): RExpr {
  const period: RExpr = { kind: 'column', source: '', column: 'period', path: [], type: 'unknown', span };
  return {
    kind: 'binary',
    op: '>=',
    left: period,
    right: { kind: 'literal', value: { kind: 'date', value: from }, type: 'unknown', span },
    type: 'unknown',
    span,
  };
}

function countConjuncts(expr: Expr): number {
  return expr.kind === 'binary' && expr.op === 'and' ? countConjuncts(expr.left) + countConjuncts(expr.right) : 1;
}

/** The predicate over segment columns; undefined when it names something that is not a segment of the query. */
function overSegments(expr: Expr, segments: readonly PlannedSegment[], pinned: Pinned): RExpr | undefined {
  const span = expr.span;
  const all = (list: readonly Expr[]) => {
    const out = list.map((e) => overSegments(e, segments, pinned));
    return out.every((e) => e !== undefined) ? (out as RExpr[]) : undefined;
  };
  const lit = (value: LiteralValue): RExpr => ({ kind: 'literal', value, type: 'unknown', span });
  switch (expr.kind) {
    case 'ref': {
      const segment = segments.find(
        (s) =>
          nameKey(s.name) === nameKey(expr.name.text) &&
          (!expr.qualifier ||
            !s.dimension.qualifier ||
            nameKey(s.dimension.qualifier) === nameKey(expr.qualifier.text)),
      );
      if (segment) return { kind: 'column', source: '', column: segment.name, path: [], type: 'unknown', span };
      const value = pinned.get(nameKey(expr.name.text));
      return value && overSegments(value, segments, pinned);
    }
    case 'number':
      return lit({ kind: 'number', text: literalDecimal(expr.text, expr.percent) });
    case 'string':
      return lit({ kind: 'string', value: expr.value });
    case 'boolean':
      return lit({ kind: 'boolean', value: expr.value });
    case 'null':
      return lit({ kind: 'null' });
    case 'date':
      return lit({ kind: 'date', value: expr.value });
    case 'timestamp':
      return lit({ kind: 'timestamp', value: expr.value });
    case 'duration':
      return lit({ kind: 'duration', amount: expr.amount, unit: expr.unit });
    case 'unary': {
      const operand = overSegments(expr.operand, segments, pinned);
      return operand && { kind: 'unary', op: expr.op, operand, type: 'unknown', span };
    }
    case 'binary': {
      const [left, right] = all([expr.left, expr.right]) ?? [];
      return left && right && { kind: 'binary', op: expr.op, left, right, type: 'unknown', span };
    }
    case 'in': {
      const [operand, ...values] = all([expr.operand, ...expr.values]) ?? [];
      return operand && { kind: 'in', operand, values, negated: expr.negated, type: 'unknown', span };
    }
    case 'between': {
      const [operand, low, high] = all([expr.operand, expr.low, expr.high]) ?? [];
      return (
        operand && low && high && { kind: 'between', operand, low, high, negated: expr.negated, type: 'unknown', span }
      );
    }
    case 'is-null': {
      const operand = overSegments(expr.operand, segments, pinned);
      return operand && { kind: 'is-null', operand, negated: expr.negated, type: 'unknown', span };
    }
    case 'case': {
      const parts = all(expr.whens.flatMap((w) => [w.when, w.then]));
      const otherwise = expr.else ? overSegments(expr.else, segments, pinned) : undefined;
      if (!parts || (expr.else && !otherwise)) return undefined;
      const whens = expr.whens.map((_, i) => ({ when: parts[2 * i]!, then: parts[2 * i + 1]! }));
      return { kind: 'case', whens, ...(otherwise ? { else: otherwise } : {}), type: 'unknown', span };
    }
    case 'call': {
      const args = all(expr.args);
      if (!SCALAR_FUNCTIONS.includes(expr.callee.text.toLowerCase())) return undefined;
      return args && { kind: 'call', func: expr.callee.text.toLowerCase(), args, type: 'unknown', span };
    }
  }
}
