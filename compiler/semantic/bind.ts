// Binding a dimension expression at a source, for the planner: a KPI's
// `where`, a query's `--where`, a `segment by` name.

import type { Diagnostic } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import type { BindContext } from './bind-ref.ts';
import { bindRow, expectBoolean } from './bind-expr.ts';
import { checkDepth, expressionDepth } from './depth.ts';
import type { DimensionName, Model, RExpr } from './model.ts';
import type { Scope } from './scope.ts';
import { inlinedDepth, scopeOfModel } from './scope.ts';
import { nameKey } from './names.ts';

export interface BoundExpr {
  readonly value?: RExpr;
  readonly unreachable: readonly DimensionName[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface BindOptions {
  /** The expression is a filter: each `and`-ed condition must be a boolean. */
  readonly predicate?: boolean;
}

/**
 * Bind `expr` at the source `root` (a lower-cased source key). Names resolve
 * to the root's dimensions and columns, then to dimensions of the sources it
 * reaches by many-to-one links (`tier` from `surveys` is `customers.tier`
 * through `surveys.customer_id`).
 *
 * A name the model has but the root cannot reach goes to `unreachable`, not
 * to `diagnostics`: the measure is then not broken down or filtered by it.
 * For a filter, `value` keeps the top-level `and`-ed conditions that mention
 * no unreachable name (`tier = "gold" and feature = "x"` at a source that
 * cannot reach `feature` filters on `tier` only); `value` is absent when
 * nothing remains or when there are errors.
 */
export function bindExpr(model: Model, root: string, expr: Expr, file: string, options: BindOptions = {}): BoundExpr {
  return bindAtRoot(scopeOfModel(model), nameKey(root), expr, file, options);
}

/** `bindExpr` over any scope (the resolver's, while the model is built). */
export function bindAtRoot(scope: Scope, root: string, expr: Expr, file: string, options: BindOptions = {}): BoundExpr {
  const diagnostics: Diagnostic[] = [];
  const unreachable: DimensionName[] = [];
  if (!scope.sources.has(root)) return { unreachable, diagnostics };
  if (!checkDepth(diagnostics, file, expr, options.predicate ? 'this filter' : 'this expression'))
    return { unreachable, diagnostics };
  const kept: RExpr[] = [];
  for (const conjunct of splitConjuncts(expr)) {
    const ctx: BindContext = {
      scope,
      root,
      file,
      sink: diagnostics,
      unreachable: 'collect',
      unknownCode: 'unknown-dimension',
      collected: [],
    };
    const bound = bindRow(ctx, conjunct);
    unreachable.push(...ctx.collected);
    if (ctx.collected.length > 0 || !bound) continue;
    const checked = options.predicate ? expectBoolean(ctx, bound, 'a filter') : bound;
    if (checked) kept.push(checked);
  }
  if (diagnostics.length > 0 || kept.length === 0) return { unreachable, diagnostics };
  const value = kept.reduce(andOf);
  const depth = expressionDepth(value, (node) => inlinedDepth(scope, node));
  if (
    !checkDepth(diagnostics, file, expr, options.predicate ? 'this filter' : 'this expression', {
      depth,
      inlined: true,
    })
  )
    return { unreachable, diagnostics };
  return { value, unreachable, diagnostics };
}

/** The top-level `and`-ed conditions of an expression, in order (without recursion: `and` chains can be long). */
function splitConjuncts(expr: Expr): Expr[] {
  const conjuncts: Expr[] = [];
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next?.kind === 'binary' && next.op === 'and') pending.push(next.right, next.left);
    else conjuncts.push(next);
  }
  return conjuncts;
}

function andOf(left: RExpr, right: RExpr): RExpr {
  return {
    kind: 'binary',
    op: 'and',
    left,
    right,
    type: 'boolean',
    span: { start: left.span.start, end: right.span.end },
  };
}
