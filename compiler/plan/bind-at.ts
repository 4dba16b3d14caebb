// Binding a KPI's `where`, a query's `--where` and segment names at one
// measure source. The planner needs three answers: bound, unreachable from
// this source (the term is broadcast: not applied, the dimension not broken
// down), or wrong (diagnostics).

import type { Diagnostic } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import type { DimensionName, Model, RExpr } from '../semantic/model.ts';
import { bindExpr } from '../semantic/bind.ts';

export type Binding =
  | { readonly kind: 'bound'; readonly expr: RExpr }
  | { readonly kind: 'unreachable'; readonly names: readonly DimensionName[] }
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[] };

/** Bind one filter term (`predicate`) or a segment name rooted at `source`. */
export function bindAt(model: Model, source: string, expr: Expr, file: string, predicate: boolean): Binding {
  const bound = bindExpr(model, source, expr, file, { predicate });
  if (bound.diagnostics.length > 0) return { kind: 'error', diagnostics: bound.diagnostics };
  if (bound.unreachable.length > 0 || !bound.value) return { kind: 'unreachable', names: bound.unreachable };
  return { kind: 'bound', expr: bound.value };
}

/** A segment name as an expression: `customers.tier` is a qualified reference. */
export function segmentExpr(name: DimensionName): Expr {
  const part = (text: string) => ({ kind: 'name' as const, text, quoted: false, span: name.span });
  return name.qualifier
    ? { kind: 'ref', qualifier: part(name.qualifier), name: part(name.name), span: name.span }
    : { kind: 'ref', name: part(name.name), span: name.span };
}
