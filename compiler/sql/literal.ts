// Literals the compiler writes into SQL. Strings go through Kysely's literal
// escaping; numbers, dates and intervals are validated here first, so their
// text is known to be plain digits before it reaches the SQL.

import { sql, type RawBuilder } from 'kysely';
import type { DurationUnit } from '../syntax/ast.ts';

const NUMBER = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?$/;

/** An exact decimal number, written as is: `0.02`, `-5`, `100`. */
export function numberSql(text: string): RawBuilder<unknown> {
  if (!NUMBER.test(text)) throw new Error(`compiler bug: not a decimal number: ${JSON.stringify(text)}`);
  // A negative literal is parenthesised so that `x - -5` never reads as a comment `--`.
  return text.startsWith('-') ? sql`(${sql.raw(text)})` : sql.raw(text);
}

/** A string literal, quotes doubled by Kysely. */
export function stringSql(value: string): RawBuilder<unknown> {
  return sql.lit(value);
}

/** `date '2024-01-31'` */
export function dateSql(value: string): RawBuilder<unknown> {
  if (!DATE.test(value)) throw new Error(`compiler bug: not a date: ${JSON.stringify(value)}`);
  return sql`date ${sql.lit(value)}`;
}

/** `timestamp '2024-01-31 12:00:00'` */
export function timestampSql(value: string): RawBuilder<unknown> {
  if (!TIMESTAMP.test(value)) throw new Error(`compiler bug: not a timestamp: ${JSON.stringify(value)}`);
  return sql`timestamp ${sql.lit(value.replace('T', ' '))}`;
}

/** A date or timestamp literal, by the form of the text. */
export function instantSql(value: string): RawBuilder<unknown> {
  return DATE.test(value) ? dateSql(value) : timestampSql(value);
}

const UNIT_TEXT: Record<DurationUnit, string> = {
  hour: 'hour',
  day: 'day',
  week: 'day',
  month: 'month',
  quarter: 'month',
  year: 'year',
};

/** `interval '3 months'`; weeks become days and quarters months, which both dialects read. */
export function intervalSql(amount: string | number, unit: DurationUnit): RawBuilder<unknown> {
  const n = Number(amount);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`compiler bug: not a duration amount: ${amount}`);
  const scaled = unit === 'week' ? n * 7 : unit === 'quarter' ? n * 3 : n;
  return sql`interval ${sql.lit(`${scaled} ${UNIT_TEXT[unit]}${scaled === 1 ? '' : 's'}`)}`;
}

export function isDateText(value: string): boolean {
  return DATE.test(value);
}

export function isTimestampText(value: string): boolean {
  return TIMESTAMP.test(value);
}
