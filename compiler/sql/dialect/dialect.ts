// What differs between SQL engines, behind one interface: the emitters call
// these methods and never test which engine they write for. A new engine is
// one file implementing `SqlDialect` plus its entry in `dialects.ts`.
//
// Everything not here is written once for every dialect: standard SQL
// (`cast`, `case`, `extract`, `filter (where ...)`,
// window functions, `interval '3 months'`, `generate_series` over
// timestamps) that every supported engine reads the same way. Identifiers
// and literals are quoted by the shared Kysely compiler (`sql/kysely.ts`):
// `"` doubled in names, `'` doubled in strings, in every dialect so far.

import type { RawBuilder } from 'kysely';
import type { PhysicalRelation } from '../../semantic/catalog.ts';
import type { DurationUnit } from '../../syntax/ast.ts';

export type Sql = RawBuilder<unknown>;

/** The language's casts: `number(x)`, `text(x)`, `date(x)`, `timestamp(x)`. */
export type CastType = 'number' | 'text' | 'date' | 'timestamp' | 'boolean';

/** Units of `date_diff`. */
export type DiffUnit = DurationUnit;

export interface SqlDialect {
  /** The name used by `--dialect` and `engine:`. */
  readonly name: string;
  /** `cast(x as <type>)` for the language's casts; `number` is an inexact double. */
  cast(value: Sql, type: CastType): Sql;
  /** The `try_*` functions: the cast, or null when the value does not convert. */
  tryCast(value: Sql, type: 'number' | 'date' | 'timestamp'): Sql;
  /** `median(x)` as an aggregate. */
  median(arg: Sql): Sql;
  /** The continuous percentile `p` (0..1, a number literal) of `x` as an aggregate. */
  percentile(arg: Sql, p: Sql): Sql;
  /** Whether the text `b` occurs in `a`. */
  contains(a: Sql, b: Sql): Sql;
  /**
   * `date_diff(unit, a, b)`: the number of unit boundaries crossed from `a`
   * to `b` (calendar months, quarters and years; days between the dates;
   * weeks as whole 7-day spans of the days; hour boundaries), a BIGINT.
   */
  dateDiff(unit: DiffUnit, a: Sql, b: Sql): Sql;
  /** `date_trunc(unit, t)`; the caller casts to DATE when it wants a date. */
  truncate(unit: DiffUnit, value: Sql): Sql;
  /** A timestamp or TIMESTAMPTZ as the wall time of `zone` (a naive TIMESTAMP read as UTC). */
  wallTime(zone: Sql, value: Sql): Sql;
  /** `round(x, digits)` (digits optional). */
  round(args: readonly Sql[]): Sql;
  /**
   * A FROM item producing one timestamp column `s` per step from `start` to
   * `end` inclusive, under the alias `series`.
   */
  timeSeries(start: Sql, end: Sql, step: Sql): Sql;
  /** A select-list item producing the rows 0..n of one integer column (a set-returning expression). */
  integerSeries(n: Sql): Sql;
  /**
   * The join condition "`a` and `b` are the same key, null matching null"
   * (`is not distinct from`), written so that the engine can hash-join on it.
   */
  sameKey(a: Sql, b: Sql): Sql;
  /** The FROM item reading a data file, or undefined when the engine cannot read files. */
  readFile(relation: Extract<PhysicalRelation, { kind: 'file' }>, path: string): Sql | undefined;
}
