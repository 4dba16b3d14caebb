// Aggregate functions of the language in SQL.

import { sql } from 'kysely';
import type { AggFunc } from '../semantic/model.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import type { Sql } from './expr.ts';
import { numberSql } from './literal.ts';

/**
 * `count()` -> `count(*)`, `count_distinct(x)` -> `count(distinct x)`,
 * `median(x)` and `percentile(x, p)` as
 * the dialect writes them; a measure's `where` becomes `filter (where ...)`.
 */
export function aggregateSql(
  func: AggFunc,
  arg: Sql | undefined,
  percentile: string | undefined,
  filter: Sql | undefined,
  dialect: SqlDialect,
): Sql {
  const call = aggregateCall(func, arg, percentile, dialect);
  return filter ? sql`${call} filter (where ${filter})` : call;
}

function aggregateCall(func: AggFunc, arg: Sql | undefined, percentile: string | undefined, dialect: SqlDialect): Sql {
  if (func === 'count') return arg ? sql`count(${arg})` : sql`count(*)`;
  if (!arg) throw new Error(`compiler bug: ${func} without an argument`);
  switch (func) {
    case 'count_distinct':
      return sql`count(distinct ${arg})`;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return sql`${sql.raw(func)}(${arg})`;
    case 'median':
      return dialect.median(arg);
    case 'percentile': {
      return dialect.percentile(arg, numberSql(percentile ?? '0.5'));
    }
  }
}

/** Aggregates that count: a missing value is 0, not null. */
export function isCounting(func: AggFunc): boolean {
  return func === 'count' || func === 'count_distinct';
}
