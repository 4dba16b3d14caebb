// Result values as JSON for agents and apps: numbers as JSON numbers when a
// double holds them exactly, otherwise as their exact text, so no digit the
// engine computed is lost on the way.

import type { Value } from '../engine/values.ts';
import { isNumericType } from '../format/values.ts';

export type JsonValue = null | boolean | number | string;

/** One value of a column of engine type `sqlType`. */
export function jsonValue(value: Value, sqlType: string): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (!isNumericType(sqlType)) return value;
  // DECIMAL text: a number when reading it as a double loses nothing.
  const number = Number(value);
  return Number.isFinite(number) && String(number) === trimDecimal(value) ? number : value;
}

/** `100.0000` -> `100`, `-0.5000` -> `-0.5`, `0.000` -> `0`. */
function trimDecimal(text: string): string {
  if (!text.includes('.')) return text.replace(/^-0$/, '0');
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** Rows as objects keyed by column name. */
export function rowObjects(
  columns: readonly string[],
  types: readonly string[],
  rows: readonly (readonly Value[])[],
): Record<string, JsonValue>[] {
  return rows.map((row) =>
    Object.fromEntries(columns.map((name, i) => [name, jsonValue(row[i] ?? null, types[i] ?? 'VARCHAR')])),
  );
}
