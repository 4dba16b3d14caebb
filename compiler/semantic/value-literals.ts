// Text literals compared with a column, checked against the column's values.
//
// `critical < 10 for region = "Emea"` never applies when the data spells it
// `EMEA`, and `--where 'region = "emea"'` keeps no row: both pass every
// check of names and types. Where the data (or a schema snapshot holding a
// column's values) is at hand, each text literal compared with `=`, `!=` or
// `in` with a text column of low cardinality is looked up among the
// column's distinct values; one that is not there is `unknown-value`, at the
// literal, with a did-you-mean. The compiler only finds the literals and
// judges them; the runtime reads the values (one small query per column a
// literal needs) and hands them in.

import type { Diagnostic } from '../diagnostics.ts';
import { suggest } from '../diagnostics.ts';
import type { Expr, Span } from '../syntax/ast.ts';
import type { Model, RExpr } from './model.ts';
import { nameKey } from './names.ts';
import { expressionNodes } from './depth.ts';

/**
 * At most this many distinct values are read from a column (and stored in a
 * schema snapshot); a column with more is not a low-cardinality one, and its
 * literals are not checked.
 */
export const MAX_DISTINCT_VALUES = 100;
/** A column with a value longer than this (in characters) is free text, not a category: not checked. */
export const MAX_VALUE_LENGTH = 200;

/** A text column of a source's physical relation. */
export interface ValueColumn {
  /** The source's key (lower-cased name). */
  readonly source: string;
  /** The column as the data spells it. */
  readonly column: string;
}

/** A text literal compared with `column`. */
export interface ValueLiteral extends ValueColumn {
  readonly value: string;
  /** `!=`, `not in`: the comparison is true of every row rather than of none. */
  readonly negated: boolean;
  readonly file: string;
  readonly span: Span;
}

/**
 * The text literals of the model compared with a column: in measures' and
 * dimensions' `where`, checks, KPIs' `where`, thresholds' `for` and alerts'
 * `where`. A name in an unbound predicate (`where`, `for`) is looked up as a
 * column dimension of any source (`tier` -> `customers.tier`).
 */
export function valueLiteralsOfModel(model: Model): ValueLiteral[] {
  const out: ValueLiteral[] = [];
  for (const measure of model.measures.values())
    if (measure.where) out.push(...boundLiterals(model, measure.where, measure.file));
  for (const source of model.sources.values()) {
    for (const check of source.checks) out.push(...boundLiterals(model, check.predicate, check.file));
    for (const dimension of source.dimensions.values()) {
      if (dimension.kind === 'computed') out.push(...boundLiterals(model, dimension.expr, dimension.file));
      if (dimension.kind === 'aggregated' && dimension.where)
        out.push(...boundLiterals(model, dimension.where, dimension.file));
    }
  }
  for (const kpi of model.kpis.values()) {
    if (kpi.where) out.push(...writtenLiterals(model, kpi.where, kpi.file));
    for (const threshold of kpi.thresholds)
      if (threshold.for) out.push(...writtenLiterals(model, threshold.for, threshold.file));
    for (const alert of kpi.alerts ?? []) if (alert.where) out.push(...writtenLiterals(model, alert.where, kpi.file));
  }
  return out;
}

/** The text literals of a query's `--where` (file `<query>`). */
export function valueLiteralsOfWhere(model: Model, where: Expr, file: string): ValueLiteral[] {
  return writtenLiterals(model, where, file);
}

/** The columns whose values `literals` need, each once, in a stable order. */
export function columnsOfLiterals(literals: readonly ValueLiteral[]): ValueColumn[] {
  const seen = new Map<string, ValueColumn>();
  for (const l of literals) {
    const id = `${l.source}\u0000${l.column.toLowerCase()}`;
    if (!seen.has(id)) seen.set(id, { source: l.source, column: l.column });
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

/**
 * `unknown-value` for each literal that none of its column's values equals.
 * `valuesOf` gives a column's distinct values, or undefined when they are
 * not known (no data, a column of too many values): then it is not checked.
 * A literal that names several columns (a dimension of two sources) is
 * unknown only when none of them has it.
 */
export function checkValueLiterals(
  model: Model,
  literals: readonly ValueLiteral[],
  valuesOf: (column: ValueColumn) => readonly string[] | undefined,
): Diagnostic[] {
  const groups = new Map<string, ValueLiteral[]>();
  for (const l of literals) {
    const id = `${l.file}\u0000${l.span.start.offset}\u0000${l.span.end.offset}`;
    groups.set(id, [...(groups.get(id) ?? []), l]);
  }
  const out: Diagnostic[] = [];
  for (const group of groups.values()) {
    const known = group.map((l) => ({ literal: l, values: valuesOf(l) }));
    if (known.some((k) => k.values === undefined || k.values.includes(k.literal.value))) continue;
    const first = group[0]!;
    const values = [...new Set(known.flatMap((k) => k.values!))];
    const columns = group.map((l) => `\`${model.sources.get(l.source)?.name ?? l.source}.${l.column}\``);
    const lower = first.value.toLowerCase();
    const guess = values.find((v) => v.toLowerCase() === lower) ?? suggest(first.value, values);
    const shown = [...values].sort().slice(0, 12);
    out.push({
      code: 'unknown-value',
      severity: 'warn',
      file: first.file,
      span: first.span,
      message: `${JSON.stringify(first.value)} is not a value of ${columns.join(' or ')} in the data, so this comparison ${first.negated ? 'is true of every row' : 'matches no row'}.`,
      help:
        guess !== undefined
          ? `did you mean ${JSON.stringify(guess)}? (values compare with their case)`
          : values.length === 0
            ? 'the column has no value in the data yet'
            : `its values are: ${shown.map((v) => JSON.stringify(v)).join(', ')}${values.length > shown.length ? `, ... (${values.length} in all)` : ''}`,
    });
  }
  return out.sort((a, b) => (a.file === b.file ? a.span.start.offset - b.span.start.offset : a.file < b.file ? -1 : 1));
}

/** Literals compared with a column in a bound expression (a measure's `where`, a check). */
function boundLiterals(model: Model, expr: RExpr, file: string): ValueLiteral[] {
  const out: ValueLiteral[] = [];
  for (const e of expressionNodes(expr)) {
    if (e.kind === 'binary' && (e.op === '=' || e.op === '!=')) {
      pairBound(model, e.left, e.right, e.op === '!=', file, out);
      pairBound(model, e.right, e.left, e.op === '!=', file, out);
    } else if (e.kind === 'in') {
      for (const v of e.values) pairBound(model, e.operand, v, e.negated, file, out);
    }
  }
  return out;
}

function pairBound(model: Model, side: RExpr, other: RExpr, negated: boolean, file: string, out: ValueLiteral[]): void {
  if (other.kind !== 'literal' || other.value.kind !== 'string') return;
  const column =
    side.kind === 'column'
      ? { source: side.source, column: side.column }
      : side.kind === 'dimension'
        ? columnOfDimension(model, side.source, side.name)
        : undefined;
  if (column && isPhysical(model, column.source))
    out.push({ ...column, value: other.value.value, negated, file, span: other.span });
}

/** Literals compared with a name in a predicate as written (`where`, `for`, `--where`). */
function writtenLiterals(model: Model, expr: Expr, file: string): ValueLiteral[] {
  const out: ValueLiteral[] = [];
  for (const e of expressionNodes(expr)) {
    if (e.kind === 'binary' && (e.op === '=' || e.op === '!=' || (e.op as string) === '<>')) {
      const negated = e.op !== '=';
      pairWritten(model, e.left, e.right, negated, file, out);
      pairWritten(model, e.right, e.left, negated, file, out);
    } else if (e.kind === 'in') {
      for (const v of e.values) pairWritten(model, e.operand, v, e.negated, file, out);
    }
  }
  return out;
}

function pairWritten(model: Model, side: Expr, other: Expr, negated: boolean, file: string, out: ValueLiteral[]): void {
  if (other.kind !== 'string' || side.kind !== 'ref' || !side.name?.text) return;
  for (const column of columnsNamed(model, side.qualifier?.text, side.name.text))
    out.push({ ...column, value: other.value, negated, file, span: other.span });
}

/** The columns a written name may mean: a column dimension of that name (of the qualifier's source when given). */
function columnsNamed(model: Model, qualifier: string | undefined, name: string): ValueColumn[] {
  const key = nameKey(name);
  const sources = qualifier
    ? [model.sources.get(nameKey(qualifier))].filter((s) => s !== undefined)
    : [...model.sources.values()];
  const out: ValueColumn[] = [];
  for (const source of sources) {
    const sourceKey = nameKey(source.name);
    const column = columnOfDimension(model, sourceKey, key);
    if (column && isPhysical(model, column.source)) out.push(column);
    else if (qualifier && !source.dimensions.has(key)) {
      const plain = source.columns.get(key);
      if (plain && isPhysical(model, sourceKey)) out.push({ source: sourceKey, column: plain.name });
    }
  }
  return out;
}

/** The column behind a dimension that is a column, or renames one (`dimension contract = Contract`). */
function columnOfDimension(model: Model, source: string, name: string): ValueColumn | undefined {
  const dimension = model.sources.get(source)?.dimensions.get(nameKey(name));
  if (dimension?.kind === 'column') return { source, column: dimension.column };
  if (dimension?.kind === 'computed' && dimension.expr.kind === 'column' && dimension.expr.path.length === 0)
    return { source: dimension.expr.source, column: dimension.expr.column };
  return undefined;
}

function isPhysical(model: Model, source: string): boolean {
  const s = model.sources.get(source);
  return s !== undefined && s.relation.kind !== 'derived';
}
