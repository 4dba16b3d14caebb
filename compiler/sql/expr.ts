// Resolved expressions (RExpr) to SQL fragments.
//
// References are not this module's business: the scope says what a column or
// a dimension at a join path reads as (an alias of the scan, an inlined
// computed dimension, a joined aggregated-dimension CTE). Everything else is
// a fixed translation of the language's operators and functions.

import { sql, type RawBuilder } from 'kysely';
import type { JoinPath, LiteralValue, RExpr } from '../semantic/model.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import type { DurationUnit } from '../syntax/ast.ts';
import { dateSql, intervalSql, numberSql, stringSql, timestampSql } from './literal.ts';

export type Sql = RawBuilder<unknown>;

export interface ExprScope {
  readonly dialect: SqlDialect;
  column(path: JoinPath, source: string, column: string): Sql;
  dimension(path: JoinPath, source: string, name: string): Sql;
}

/** SQL for a resolved expression: `nps >= 9` -> `"surveys"."nps" >= 9`. */
export function emitExpr(expr: RExpr, scope: ExprScope): Sql {
  switch (expr.kind) {
    case 'column':
      return scope.column(expr.path, expr.source, expr.column);
    case 'dimension':
      return scope.dimension(expr.path, expr.source, expr.name);
    case 'literal':
      return emitLiteral(expr.value);
    case 'unary':
      return expr.op === 'not' ? sql`not ${operand(expr.operand, scope)}` : sql`-${operand(expr.operand, scope)}`;
    case 'binary':
      return emitBinary(expr, scope);
    case 'in': {
      const values = sql.join(expr.values.map((v) => emitExpr(v, scope)));
      return sql`${operand(expr.operand, scope)} ${sql.raw(expr.negated ? 'not in' : 'in')} (${values})`;
    }
    case 'between':
      return sql`${operand(expr.operand, scope)} ${sql.raw(expr.negated ? 'not between' : 'between')} ${operand(expr.low, scope)} and ${operand(expr.high, scope)}`;
    case 'is-null':
      return sql`${operand(expr.operand, scope)} ${sql.raw(expr.negated ? 'is not null' : 'is null')}`;
    case 'case': {
      const whens = expr.whens.map((w) => sql`when ${emitExpr(w.when, scope)} then ${emitExpr(w.then, scope)}`);
      const otherwise = expr.else ? sql` else ${emitExpr(expr.else, scope)}` : sql``;
      return sql`case ${sql.join(whens, sql` `)}${otherwise} end`;
    }
    case 'call':
      return emitCall(expr, scope);
  }
}

/** An operand of an operator: parenthesised unless it is atomic. */
function operand(expr: RExpr, scope: ExprScope): Sql {
  const inner = emitExpr(expr, scope);
  const atomic =
    expr.kind === 'column' ||
    expr.kind === 'dimension' ||
    expr.kind === 'call' ||
    expr.kind === 'case' ||
    (expr.kind === 'literal' && !(expr.value.kind === 'number' && expr.value.text.startsWith('-')));
  return atomic ? inner : sql`(${inner})`;
}

function emitBinary(expr: Extract<RExpr, { kind: 'binary' }>, scope: ExprScope): Sql {
  const left = operand(expr.left, scope);
  const right = operand(expr.right, scope);
  if (expr.op === '/') return divide(left, right, scope.dialect);
  return sql`${left} ${sql.raw(operatorSql(expr.op))} ${right}`;
}

const OPERATORS: Readonly<Record<string, string>> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  and: 'and',
  or: 'or',
  like: 'like',
};

/** The SQL of a language operator; only these fixed strings reach the SQL. */
export function operatorSql(op: string): string {
  const text = OPERATORS[op];
  if (text === undefined) throw new Error(`compiler bug: unknown operator ${JSON.stringify(op)}`);
  return text;
}

/** `a / b` never divides integers and gives null on a zero divisor. */
export function divide(left: Sql, right: Sql, dialect: SqlDialect): Sql {
  return sql`${dialect.cast(left, 'number')} / nullif(${right}, 0)`;
}

/** A typed null number: the value of a column that has none. */
export function nullNumber(dialect: SqlDialect): Sql {
  return dialect.cast(sql`null`, 'number');
}

export function emitLiteral(value: LiteralValue): Sql {
  switch (value.kind) {
    case 'number':
      return numberSql(value.text);
    case 'string':
      return stringSql(value.value);
    case 'boolean':
      return sql.raw(value.value ? 'true' : 'false');
    case 'null':
      return sql.raw('null');
    case 'date':
      return dateSql(value.value);
    case 'timestamp':
      return timestampSql(value.value);
    case 'duration':
      return intervalSql(value.amount, value.unit);
  }
}

const SAME_NAME = new Set([
  'coalesce',
  'nullif',
  'abs',
  'floor',
  'ceil',
  'least',
  'greatest',
  'lower',
  'upper',
  'trim',
  'length',
  'starts_with',
]);
const EXTRACT = new Set(['year', 'quarter', 'month', 'week', 'day', 'hour']);
const CASTS = new Set(['number', 'text', 'date', 'timestamp']);
const UNITS = new Set<DurationUnit>(['day', 'week', 'month', 'quarter', 'year', 'hour']);

function emitCall(expr: Extract<RExpr, { kind: 'call' }>, scope: ExprScope): Sql {
  const func = expr.func.toLowerCase();
  const args = expr.args.map((a) => emitExpr(a, scope));
  const [a, b, c] = args;
  if (SAME_NAME.has(func)) return sql`${sql.raw(func)}(${sql.join(args)})`;
  if (EXTRACT.has(func) && a) return sql`extract(${sql.raw(func)} from ${a})`;
  if (func === 'if' && a && b && c) return sql`case when ${a} then ${b} else ${c} end`;
  if (func === 'round') return scope.dialect.round(args);
  if (func === 'contains' && a && b) return scope.dialect.contains(a, b);
  if ((func === 'date_trunc' || func === 'date_diff') && a) {
    const unit = unitOf(expr.args[0]);
    if (unit === undefined) throw new Error(`compiler bug: ${func} without a unit literal`);
    if (func === 'date_diff' && b && c) return scope.dialect.dateDiff(unit, b, c);
    const call = scope.dialect.truncate(unit, b!);
    // Both engines truncate a DATE to a TIMESTAMP; the resolver types a truncated date as a date, so it stays one.
    return expr.type === 'date' ? scope.dialect.cast(call, 'date') : call;
  }
  if (CASTS.has(func) && a) return scope.dialect.cast(a, func as 'number' | 'text' | 'date' | 'timestamp');
  if ((func === 'try_number' || func === 'try_date' || func === 'try_timestamp') && a) {
    return scope.dialect.tryCast(a, func.slice(4) as 'number' | 'date' | 'timestamp');
  }
  throw new Error(`compiler bug: unknown function ${func}`);
}

function unitOf(arg: RExpr | undefined): DurationUnit | undefined {
  if (arg?.kind !== 'literal' || arg.value.kind !== 'string') return undefined;
  const unit = arg.value.value.toLowerCase() as DurationUnit;
  return UNITS.has(unit) ? unit : undefined;
}
