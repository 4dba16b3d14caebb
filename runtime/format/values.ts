// Result values as text: exact for machines (csv, json), readable for people (table, markdown).

import type { Value } from '../engine/values.ts';

/** A result to print: column names in order, each column's engine type, the rows. */
export interface ResultTable {
  readonly columns: readonly string[];
  /** The engine's type name per column (`BIGINT`, `DECIMAL(18,3)`, `DOUBLE`, `VARCHAR`, `DATE`...). */
  readonly types: readonly string[];
  readonly rows: readonly (readonly Value[])[];
  /** Rows that checks excluded, per source and check, for the footnote. */
  readonly excluded: readonly { readonly source: string; readonly check: string; readonly excluded: bigint }[];
  /** Malformed rows of CSV files skipped (`data.skip_malformed_rows`), for the footnote. */
  readonly skipped?: readonly { readonly file: string; readonly rows: number; readonly line: number }[];
}

/**
 * A format written a batch of rows at a time, so a result of any size is
 * printed without being held whole: `start`, then `rows` per batch, then
 * `end` with the check footnotes (only the table prints them). The text of
 * `start() + rows(all) + end()` is the same however the rows are batched.
 */
export interface ResultWriter {
  start(): string;
  rows(rows: readonly (readonly Value[])[]): string;
  end(excluded: ResultTable['excluded'], skipped?: ResultTable['skipped']): string;
}

/** Columns whose values are numbers, including DECIMALs that arrive as exact text. */
export function isNumericType(sqlType: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL|NUMERIC)/i.test(
    sqlType,
  );
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * The exact text of a number: integers digit for digit, decimals as the
 * engine wrote them, doubles as the shortest text that reads back as the same
 * double, in plain notation (no exponent). Non-finite doubles give `undefined`.
 */
export function exactNumberText(value: number | bigint | string): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return DECIMAL_TEXT.test(value) ? value : undefined;
  if (!Number.isFinite(value)) return undefined;
  if (Object.is(value, -0)) return '0';
  return plainNotation(String(value));
}

/** `1.5e-7` -> `0.00000015`, `1e+21` -> `1000000000000000000000`: the same digits without an exponent. */
function plainNotation(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exp] = match;
  const digits = `${whole}${fraction}`;
  const point = whole!.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Full precision text for csv: empty for null. */
export function exactText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  return exactNumberText(value) ?? String(value);
}

/**
 * Text for people: doubles rounded to 4 decimals (more for small values, so
 * 0.00012 keeps its digits); integers and decimals exact; null empty.
 */
export function displayText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
    const magnitude = Math.floor(Math.log10(Math.abs(value)));
    const decimals = Math.min(20, Math.max(4, 3 - magnitude));
    return exactNumberText(Number(value.toFixed(decimals))) ?? String(value);
  }
  return exactText(value);
}
