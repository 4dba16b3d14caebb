// Aggregate functions of the language in SQL.

import { sql } from 'kysely';
import type { AggFunc } from '../semantic/model.ts';
import type { Dialect } from '../plan/query.ts';
import type { Sql } from './expr.ts';
import { numberSql } from './literal.ts';

/**
 * `count()` -> `count(*)`, `count_distinct(x)` -> `count(distinct x)`,
 * `median(x)` -> `median(x)` (DuckDB) or `percentile_cont(0.5) within group
 * (order by x)` (Postgres); a measure's `where` becomes `filter (where ...)`.
 */
export function aggregateSql(func: AggFunc, arg: Sql | undefined, percentile: string | undefined, filter: Sql | undefined, dialect: Dialect): Sql {
  const call = aggregateCall(func, arg, percentile, dialect);
  return filter ? sql`${call} filter (where ${filter})` : call;
}

function aggregateCall(func: AggFunc, arg: Sql | undefined, percentile: string | undefined, dialect: Dialect): Sql {
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
      return dialect === 'postgres' ? sql`percentile_cont(0.5) within group (order by ${arg})` : sql`median(${arg})`;
    case 'percentile': {
      const p = numberSql(percentile ?? '0.5');
      return dialect === 'postgres' ? sql`percentile_cont(${p}) within group (order by ${arg})` : sql`quantile_cont(${arg}, ${p})`;
    }
  }
}

/** Aggregates that count: a missing value is 0, not null. */
export function isCounting(func: AggFunc): boolean {
  return func === 'count' || func === 'count_distinct';
}
