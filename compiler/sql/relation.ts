// How a physical relation reads in SQL.

import { sql, type RawBuilder } from 'kysely';
import type { PhysicalRelation } from '../semantic/catalog.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { duckdb } from './dialect/duckdb.ts';
import { dialectOf } from './dialect/dialects.ts';
import type { Dialect } from '../plan/query.ts';
import { db, sqlText } from './kysely.ts';

/**
 * The relation as a FROM item: `read_csv('/data/surveys.csv')` for a file
 * (under the absolute data root), `"sales"."orders"` for a table.
 */
export function relationSql(relation: PhysicalRelation, dataRoot: string): RawBuilder<unknown> {
  return dialectRelationSql(relation, dataRoot, duckdb)!;
}

/** The relation in a dialect; undefined for a file the dialect cannot read. */
export function dialectRelationSql(
  relation: PhysicalRelation,
  dataRoot: string,
  dialect: SqlDialect,
): RawBuilder<unknown> | undefined {
  if (relation.kind === 'table') {
    return relation.schema ? sql.id(relation.schema, relation.table) : sql.id(relation.table);
  }
  const root = dataRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  const path = relation.path.replace(/^\.\//, '');
  return dialect.readFile(relation, `${root}/${path}`);
}

/**
 * `DESCRIBE SELECT * FROM <relation>`: what the runtime asks DuckDB to learn a
 * relation's columns for the catalog.
 *
 *   describeSql({ kind: 'file', path: 'data/a.csv', format: 'csv' }, '/p')
 *   -> describe select * from read_csv('/p/data/a.csv')
 */
export function describeSql(relation: PhysicalRelation, dataRoot: string): string {
  return sqlText(sql`describe select * from ${relationSql(relation, dataRoot)}`.compile(db));
}

/**
 * The distinct non-null values of a text column, at most `limit` of them:
 * what `unknown-value` checks a literal against (compiler/semantic/value-literals.ts).
 *
 *   distinctValuesSql(customers.csv, 'region', '/p', DUCKDB, 101)
 *   -> select distinct cast("t"."region" as varchar) as "value" from read_csv('/p/customers.csv') as "t"
 *      where "t"."region" is not null limit 101
 */
export function distinctValuesSql(
  relation: PhysicalRelation,
  column: string,
  dataRoot: string,
  dialectName: Dialect,
  limit: number,
): string | undefined {
  const dialect = dialectOf(dialectName);
  const from = dialectRelationSql(relation, dataRoot, dialect);
  if (!from) return undefined;
  const value = sql.id('t', column);
  return sqlText(
    sql`select distinct ${dialect.cast(value, 'text')} as ${sql.id('value')} from ${from} as ${sql.id('t')} where ${value} is not null limit ${sql.lit(limit)}`.compile(
      db,
    ),
  );
}
