// How a physical relation reads in SQL.

import { sql, type RawBuilder } from 'kysely';
import type { PhysicalRelation } from '../semantic/catalog.ts';
import { db, sqlText } from './kysely.ts';

const READERS = { csv: 'read_csv', parquet: 'read_parquet', json: 'read_json' } as const;

/**
 * The relation as a FROM item: `read_csv('/data/surveys.csv')` for a file
 * (under the absolute data root), `"sales"."orders"` for a table.
 */
export function relationSql(relation: PhysicalRelation, dataRoot: string): RawBuilder<unknown> {
  if (relation.kind === 'table') {
    return relation.schema ? sql.id(relation.schema, relation.table) : sql.id(relation.table);
  }
  const root = dataRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  const path = relation.path.replace(/^\.\//, '');
  return sql`${sql.raw(READERS[relation.format])}(${sql.lit(`${root}/${path}`)})`;
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
