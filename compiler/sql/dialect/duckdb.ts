// DuckDB: the embedded engine. Its SQL is close to PostgreSQL's; the
// differences are functions (`median`, `quantile_cont`, `try_cast`,
// `date_diff`, `contains`) and reading files directly.

import { sql } from 'kysely';
import type { CastType, SqlDialect } from './dialect.ts';

const TYPES: Record<CastType, string> = {
  number: 'double',
  text: 'varchar',
  date: 'date',
  timestamp: 'timestamp',
  boolean: 'boolean',
};
const READERS = { csv: 'read_csv', parquet: 'read_parquet', json: 'read_json' } as const;

export const duckdb: SqlDialect = {
  name: 'duckdb',
  cast: (value, type) => sql`cast(${value} as ${sql.raw(TYPES[type])})`,
  tryCast: (value, type) => sql`try_cast(${value} as ${sql.raw(TYPES[type])})`,
  median: (arg) => sql`median(${arg})`,
  percentile: (arg, p) => sql`quantile_cont(${arg}, ${p})`,
  contains: (a, b) => sql`contains(${a}, ${b})`,
  dateDiff: (unit, a, b) => sql`date_diff(${sql.lit(unit)}, ${a}, ${b})`,
  truncate: (unit, value) => sql`date_trunc(${sql.lit(unit)}, ${value})`,
  wallTime: (zone, value) => sql`timezone(${zone}, cast(${value} as timestamptz))`,
  round: (args) => sql`round(${sql.join(args)})`,
  timeSeries: (start, end, step) => sql`generate_series(${start}, ${end}, ${step})`,
  integerSeries: (n) => sql`unnest(generate_series(0, ${n}))`,
  readFile: (relation, path) => sql`${sql.raw(READERS[relation.format])}(${sql.lit(path)})`,
};
