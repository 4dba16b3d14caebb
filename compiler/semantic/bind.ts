// Binding a dimension expression at a source, for the planner: a KPI's
// `where`, a query's `--where`, a `segment by` name.

import type { Diagnostic } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import type { BindContext } from './bind-ref.ts';
import { bindRow, expectBoolean } from './bind-expr.ts';
import type { DimensionName, Model, RExpr } from './model.ts';
import type { Scope } from './scope.ts';
import { scopeOfModel } from './scope.ts';

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
  return bindAtRoot(scopeOfModel(model), root.toLowerCase(), expr, file, options);
}

/** `bindExpr` over any scope (the resolver's, while the model is built). */
export function bindAtRoot(scope: Scope, root: string, expr: Expr, file: string, options: BindOptions = {}): BoundExpr {
  const diagnostics: Diagnostic[] = [];
  const unreachable: DimensionName[] = [];
  if (!scope.sources.has(root)) return { unreachable, diagnostics };
  const kept: RExpr[] = [];
  for (const conjunct of splitConjuncts(expr)) {
    const ctx: BindContext = { scope, root, file, sink: diagnostics, unreachable: 'collect', unknownCode: 'unknown-dimension', collected: [] };
    const bound = bindRow(ctx, conjunct);
    unreachable.push(...ctx.collected);
    if (ctx.collected.length > 0 || !bound) continue;
    const checked = options.predicate ? expectBoolean(ctx, bound, 'a filter') : bound;
    if (checked) kept.push(checked);
  }
  if (diagnostics.length > 0 || kept.length === 0) return { unreachable, diagnostics };
  return { value: kept.reduce(andOf), unreachable, diagnostics };
}

/** The top-level `and`-ed conditions of an expression, in order. */
function splitConjuncts(expr: Expr): Expr[] {
  if (expr?.kind === 'binary' && expr.op === 'and') return [...splitConjuncts(expr.left), ...splitConjuncts(expr.right)];
  return [expr];
}

function andOf(left: RExpr, right: RExpr): RExpr {
  return { kind: 'binary', op: 'and', left, right, type: 'boolean', span: { start: left.span.start, end: right.span.end } };
}
