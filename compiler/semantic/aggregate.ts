// Binding an aggregate call: a measure's `AGG(...)` or an aggregated dimension's.

import type { CallExpr, Expr } from '../syntax/ast.ts';
import type { ScalarType } from './catalog.ts';
import { isUnitInterval, literalDecimal } from './decimal.ts';
import { AGGREGATE_ARITY, aggregateAccepts, aggregateArgumentNeed, aggregateType } from './functions.ts';
import type { AggFunc, RExpr } from './model.ts';
import { AGG_FUNCS } from './model.ts';
import type { BindContext } from './bind-ref.ts';
import { bindRow } from './bind-expr.ts';
import { reportError } from './report.ts';
import { describeType } from './types.ts';

export interface BoundAggregate {
  readonly aggregate: AggFunc;
  readonly arg?: RExpr;
  readonly percentile?: string;
  readonly type: ScalarType;
}

/** The aggregate an expression calls at its top, if any. */
export function aggregateOf(expr: Expr | undefined): AggFunc | undefined {
  if (expr?.kind !== 'call') return undefined;
  const name = expr.callee?.text?.toLowerCase();
  return (AGG_FUNCS as readonly string[]).includes(name ?? '') ? (name as AggFunc) : undefined;
}

/** Bind `AGG(arg[, p])` with the argument rooted at `ctx.root`. */
export function bindAggregate(ctx: BindContext, call: CallExpr, aggregate: AggFunc): BoundAggregate | undefined {
  const args = call.args ?? [];
  const [min, max] = AGGREGATE_ARITY[aggregate];
  if (args.length < min || args.length > max) {
    const expected = aggregate === 'count' ? '0 or 1' : aggregate === 'percentile' ? '2 (the value and p)' : '1';
    reportError(
      ctx.sink,
      'wrong-arity',
      ctx.file,
      call.span,
      `\`${aggregate}\` takes ${expected} argument(s), not ${args.length}.`,
      {
        help:
          aggregate === 'percentile'
            ? 'write `percentile(amount, 0.9)`'
            : aggregate === 'count'
              ? 'write `count()` to count rows, or `count(x)` to count non-null values'
              : `write \`${aggregate}(amount)\``,
      },
    );
    return undefined;
  }
  const arg = args[0] ? bindRow(ctx, args[0]) : undefined;
  if (args[0] && !arg) return undefined;
  if (arg && !aggregateAccepts(aggregate, arg.type)) {
    const need = aggregateArgumentNeed(aggregate) === 'number' ? 'numbers' : 'numbers, dates or timestamps';
    reportError(
      ctx.sink,
      'type-mismatch',
      ctx.file,
      arg.span,
      `\`${aggregate}\` needs ${need}, but this is ${describeType(arg.type)}.`,
      {
        help:
          aggregate === 'sum' || aggregate === 'avg'
            ? 'count values with `count(...)` or `count_distinct(...)`, or cast with `number(...)`'
            : 'aggregate a number, date or timestamp column, or cast with `number(...)`',
      },
    );
    return undefined;
  }
  const type = aggregateType(aggregate, arg?.type);
  if (aggregate !== 'percentile') return arg ? { aggregate, arg, type } : { aggregate, type };
  const p = args[1]!;
  if (p.kind !== 'number') {
    reportError(
      ctx.sink,
      'invalid-percentile',
      ctx.file,
      p.span,
      'the second argument of `percentile` must be a number between 0 and 1.',
      { help: 'write `percentile(amount, 0.9)` or `percentile(amount, 90%)`' },
    );
    return undefined;
  }
  const percentile = literalDecimal(p.text, p.percent);
  if (!isUnitInterval(percentile)) {
    reportError(
      ctx.sink,
      'invalid-percentile',
      ctx.file,
      p.span,
      `the percentile must be between 0 and 1, not ${percentile}.`,
      { help: 'the 90th percentile is `0.9` (or `90%`)' },
    );
    return undefined;
  }
  return { aggregate, arg: arg!, percentile, type };
}
