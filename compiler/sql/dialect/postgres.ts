// PostgreSQL (15 and later). Ordered-set aggregates for median and
// percentile; `date_diff` from calendar fields (PostgreSQL has no such
// function); the `try_*` casts as a pattern check before the cast, since
// PostgreSQL 15 has no cast that returns null on bad input
// (`pg_input_is_valid` is 16+). No file reading: sources are tables.
//
// Results depend on the session time zone only where a naive timestamp is
// read as an instant (`cast(t as timestamptz)`) or a date is truncated; the
// engine sets the session zone to UTC, like DuckDB's, so a query gives the
// same answer whatever the server's or the user's zone.

import { sql } from 'kysely';
import type { CastType, DiffUnit, Sql, SqlDialect } from './dialect.ts';

const TYPES: Record<CastType, string> = {
  number: 'double precision',
  text: 'varchar',
  date: 'date',
  timestamp: 'timestamp',
  boolean: 'boolean',
};

// What DuckDB's try_cast accepts, as far as kpic's tests reach: decimal and
// scientific numbers (no `inf`/`nan`), ISO dates with an optional time.
// Lengths are bounded so that no accepted text overflows a double.
const NUMBER = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,2})?\\s*$';
const TIME = '([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?';
const INSTANT = `^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T]${TIME})?\\s*$`;

function field(text: Sql, pattern: string): Sql {
  return sql`cast(substring(${text} from ${sql.lit(pattern)}) as integer)`;
}

/** A `YYYY-M-D[ time]` text whose date is on the calendar: nested cases, because `and` does not short-circuit. */
function tryInstant(value: Sql, type: 'date' | 'timestamp'): Sql {
  const t = sql`cast(${value} as text)`;
  const y = field(t, '^\\s*([0-9]{4})');
  const m = field(t, '^\\s*[0-9]{4}-([0-9]{1,2})');
  const d = field(t, '^\\s*[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})');
  const days = sql`extract(day from make_date(${y}, ${m}, 1) + interval '1 month' - interval '1 day')`;
  const cast = sql`cast(trim(${t}) as ${sql.raw(TYPES[type])})`;
  return sql`case when ${t} ~ ${sql.lit(INSTANT)} then case when ${y} >= 1 and ${m} between 1 and 12 then case when ${d} between 1 and ${days} then ${cast} end end end`;
}

function dateDiff(unit: DiffUnit, a: Sql, b: Sql): Sql {
  const part = (name: string, v: Sql) => sql`extract(${sql.raw(name)} from ${v})`;
  const months = (v: Sql) => sql`(${part('year', v)} * 12 + ${part('month', v)})`;
  const quarters = (v: Sql) => sql`(${part('year', v)} * 4 + ${part('quarter', v)})`;
  const days = sql`(cast(${b} as date) - cast(${a} as date))`;
  const hours = (v: Sql) => sql`floor(${part('epoch', sql`cast(${v} as timestamp)`)} / 3600)`;
  switch (unit) {
    case 'year':
      return sql`cast(${part('year', b)} - ${part('year', a)} as bigint)`;
    case 'quarter':
      return sql`cast(${quarters(b)} - ${quarters(a)} as bigint)`;
    case 'month':
      return sql`cast(${months(b)} - ${months(a)} as bigint)`;
    case 'week':
      return sql`cast(${days} / 7 as bigint)`;
    case 'day':
      return sql`cast(${days} as bigint)`;
    case 'hour':
      return sql`cast(${hours(b)} - ${hours(a)} as bigint)`;
  }
}

export const postgres: SqlDialect = {
  name: 'postgres',
  cast: (value, type) => sql`cast(${value} as ${sql.raw(TYPES[type])})`,
  tryCast: (value, type) =>
    type === 'number'
      ? sql`case when cast(${value} as text) ~ ${sql.lit(NUMBER)} and length(cast(${value} as text)) <= 100 then cast(cast(${value} as text) as double precision) end`
      : tryInstant(value, type),
  // PostgreSQL joins on `is not distinct from` only by comparing every pair of
  // rows with the same period (minutes for per-customer keys). The text of
  // the keys, null as '', is an equality it can hash on; the exact
  // `is not distinct from` still decides (docs/postgres.md).
  sameKey: (a, b) => {
    const text = (x: Sql) => sql`coalesce(cast(${x} as text), '')`;
    return sql`${text(a)} = ${text(b)} and ${a} is not distinct from ${b}`;
  },
  median: (arg) => sql`percentile_cont(0.5) within group (order by ${arg})`,
  percentile: (arg, p) => sql`percentile_cont(${p}) within group (order by ${arg})`,
  contains: (a, b) => sql`(strpos(${a}, ${b}) > 0)`,
  dateDiff,
  truncate: (unit, value) => sql`date_trunc(${sql.lit(unit)}, ${value})`,
  wallTime: (zone, value) => sql`timezone(${zone}, cast(${value} as timestamptz))`,
  // round(double, n) does not exist: rounding to digits is on numeric, and back to a double as on DuckDB.
  round: (args) =>
    args.length > 1
      ? sql`cast(round(cast(${args[0]} as numeric), ${args[1]}) as double precision)`
      : sql`round(${args[0]})`,
  timeSeries: (start, end, step) => sql`generate_series(${start}, ${end}, ${step})`,
  integerSeries: (n) => sql`generate_series(0, ${n})`,
  readFile: () => undefined,
};
