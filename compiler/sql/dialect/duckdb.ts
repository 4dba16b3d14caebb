// DuckDB: the embedded engine. Its SQL is close to PostgreSQL's; the
// differences are functions (`median`, `quantile_cont`, `try_cast`,
// `date_diff`, `contains`) and reading files directly.

import { sql, type RawBuilder } from 'kysely';
import { type PhysicalRelation, writableDialect } from '../../semantic/catalog.ts';
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
  sameKey: (a, b) => sql`${a} is not distinct from ${b}`,
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
  readFile: (relation, path) => {
    const options = readOptions(relation);
    if (options.length === 0) return sql`${sql.raw(READERS[relation.format])}(${sql.lit(path)})`;
    const reader = sql`${sql.raw(READERS[relation.format])}(${sql.lit(path)}, ${sql.join(options)})`;
    // The engine converts only the columns a query reads, so a row bad in another column would
    // still count; naming the whole row makes it convert (and skip) every column, for every measure alike.
    return relation.read?.skipMalformed
      ? sql`(select * from ${reader} as kpic_row where kpic_row is not null)`
      : reader;
  },
};

/**
 * The reader's options: the CSV dialect detected once when the file was
 * described (`delim = ',', quote = '"', escape = '"', header = true`), and,
 * for a CSV file with malformed rows, the column types the data really has
 * (`types = {'amount': 'DOUBLE'}`) and `ignore_errors` when its malformed
 * rows are skipped. Every value is a string literal (`sql.lit` doubles `'`;
 * DuckDB reads a backslash as itself); a dialect that cannot be written as
 * one is left out, and the engine detects it again.
 */
function readOptions(relation: Extract<PhysicalRelation, { kind: 'file' }>): RawBuilder<unknown>[] {
  const { read } = relation;
  const options: RawBuilder<unknown>[] = [];
  const dialect = relation.format === 'csv' ? read?.dialect : undefined;
  if (dialect && writableDialect(dialect)) {
    options.push(
      sql`delim = ${sql.lit(dialect.delimiter)}`,
      sql`quote = ${sql.lit(dialect.quote)}`,
      sql`escape = ${sql.lit(dialect.escape)}`,
      sql`header = ${sql.raw(dialect.header ? 'true' : 'false')}`,
    );
    if (dialect.skip !== undefined) options.push(sql`skip = ${sql.raw(String(dialect.skip))}`);
    if (dialect.comment !== undefined) options.push(sql`comment = ${sql.lit(dialect.comment)}`);
  }
  if (read?.types && read.types.length > 0) {
    const entries = read.types.map(([name, type]) => sql`${sql.lit(name)}: ${sql.lit(type)}`);
    options.push(sql`types = {${sql.join(entries)}}`);
  }
  if (read?.skipMalformed) options.push(sql`ignore_errors = true`);
  return options;
}
