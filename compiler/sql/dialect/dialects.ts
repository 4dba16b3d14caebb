// The dialects by name: what `--dialect` and the engine choose from.

import type { Dialect } from '../../plan/query.ts';
import type { SqlDialect } from './dialect.ts';
import { duckdb } from './duckdb.ts';
import { postgres } from './postgres.ts';

const DIALECTS: Readonly<Record<Dialect, SqlDialect>> = { duckdb, postgres };

export function dialectOf(name: Dialect): SqlDialect {
  return DIALECTS[name];
}
