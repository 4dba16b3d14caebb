// A tiny AST builder for tests that must not depend on the parser. Every
// node gets a distinct span (line = a running counter) so diagnostics can
// be told apart.

import type * as A from '../../compiler/syntax/ast.ts';

let counter = 0;
export function span(): A.Span {
  counter += 1;
  return {
    start: { offset: counter * 10, line: counter, column: 1 },
    end: { offset: counter * 10 + 5, line: counter, column: 6 },
  };
}

export const name = (text: string): A.Name => ({ kind: 'name', text, quoted: false, span: span() });

/** `ref('tier')` or `ref('customers.tier')` */
export function ref(text: string): A.ColumnRef {
  const parts = text.split('.');
  return parts.length === 2
    ? { kind: 'ref', qualifier: name(parts[0]!), name: name(parts[1]!), span: span() }
    : { kind: 'ref', name: name(text), span: span() };
}
export const num = (text: string, percent = false): A.NumberLit => ({ kind: 'number', text, percent, span: span() });
export const str = (value: string): A.StringLit => ({ kind: 'string', value, span: span() });
export const call = (callee: string, ...args: A.Expr[]): A.CallExpr => ({
  kind: 'call',
  callee: name(callee),
  args,
  span: span(),
});
export const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.BinaryExpr => ({
  kind: 'binary',
  op,
  left,
  right,
  span: span(),
});
export const not = (operand: A.Expr): A.UnaryExpr => ({ kind: 'unary', op: 'not', operand, span: span() });
export const between = (operand: A.Expr, low: A.Expr, high: A.Expr): A.BetweenExpr => ({
  kind: 'between',
  operand,
  low,
  high,
  negated: false,
  span: span(),
});

export const fileRef = (path: string): A.SourceRef => ({ kind: 'file-ref', path, span: span() });
export const sourceRef = (source: string): A.SourceRef => ({ kind: 'source-ref', source: name(source), span: span() });

export function source(nameText: string, from: A.SourceRef, items: A.SourceItem[], isCustomer = false): A.SourceDecl {
  return { kind: 'source', isCustomer, name: name(nameText), from, items, span: span() };
}
export const key = (column: string): A.KeyItem => ({ kind: 'key', column: name(column), span: span() });
export const customerLink = (column: string): A.CustomerLinkItem => ({
  kind: 'customer-link',
  column: name(column),
  span: span(),
});
export const join = (target: string, column: string, targetColumn?: string): A.JoinItem =>
  targetColumn
    ? { kind: 'join', target: name(target), column: name(column), targetColumn: name(targetColumn), span: span() }
    : { kind: 'join', target: name(target), column: name(column), span: span() };
export const time = (column: string): A.TimeItem => ({ kind: 'time', column: name(column), span: span() });
export const valid = (from: string, to: string): A.ValidItem => ({
  kind: 'valid',
  from: name(from),
  to: name(to),
  span: span(),
});
export const dims = (...names: string[]): A.DimensionsItem => ({
  kind: 'dimensions',
  names: names.map(name),
  internal: false,
  span: span(),
});
export const dim = (nameText: string, expr: A.Expr, where?: A.Expr): A.ComputedDimensionItem =>
  where
    ? { kind: 'computed-dimension', name: name(nameText), expr, where, internal: false, span: span() }
    : { kind: 'computed-dimension', name: name(nameText), expr, internal: false, span: span() };
export function measure(
  nameText: string,
  aggregate: A.Expr,
  options: Partial<Pick<A.MeasureItem, 'where' | 'time' | 'cumulative' | 'at' | 'side'>> = {},
): A.MeasureItem {
  return { kind: 'measure', name: name(nameText), aggregate, cumulative: false, ...options, span: span() };
}
export const check = (predicate: A.Expr, as?: string): A.CheckItem =>
  as ? { kind: 'check', predicate, name: name(as), span: span() } : { kind: 'check', predicate, span: span() };

export const kpi = (nameText: string, items: A.KpiItem[]): A.KpiDecl => ({
  kind: 'kpi',
  name: name(nameText),
  items,
  span: span(),
});
export const kexpr = (field: A.KpiExprItem['field'], expr: A.Expr): A.KpiExprItem => ({
  kind: 'kpi-expr',
  field,
  expr,
  span: span(),
});
export const kword = (field: A.KpiWordItem['field'], value: string): A.KpiWordItem => ({
  kind: 'kpi-word',
  field,
  value: name(value),
  span: span(),
});
export const segment = (...refs: string[]): A.KpiSegmentItem => ({
  kind: 'kpi-segment',
  dimensions: refs.map(ref),
  span: span(),
});
export const threshold = (
  level: A.KpiThresholdItem['level'],
  op: A.ComparisonOp,
  value: A.Expr,
  forExpr?: A.Expr,
): A.KpiThresholdItem =>
  forExpr
    ? { kind: 'kpi-threshold', level, op, value, for: forExpr, span: span() }
    : { kind: 'kpi-threshold', level, op, value, span: span() };

export function file(path: string, declarations: A.Declaration[]): A.KpiFile {
  return { kind: 'file', path, declarations, comments: [], span: span() };
}
