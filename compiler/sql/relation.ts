// How a physical relation reads in SQL.

import { sql, type RawBuilder } from 'kysely';
import type { PhysicalRelation } from '../semantic/catalog.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { duckdb } from './dialect/duckdb.ts';
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
