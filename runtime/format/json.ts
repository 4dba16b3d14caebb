// JSON: an array of objects keyed by the result's column names.
//
// Written by hand rather than through JSON.stringify: a BIGINT beyond 2^53
// or a DECIMAL must reach the reader as the exact number the engine computed,
// and going through a JavaScript double would round it.

import { exactNumberText, isNumericType } from './values.ts';
import type { ResultTable } from './values.ts';
import type { Value } from '../engine/values.ts';

/** One object per row on its own line; numbers exact; a non-finite double is `null`. */
export function formatJson(table: ResultTable): string {
  if (table.rows.length === 0) return '[]\n';
  const keys = table.columns.map((name) => JSON.stringify(name));
  const numeric = table.types.map(isNumericType);
  const objects = table.rows.map(
    (row) => `  {${row.map((value, i) => `${keys[i]}: ${jsonValue(value, numeric[i] ?? false)}`).join(', ')}}`,
  );
  return `[\n${objects.join(',\n')}\n]\n`;
}

function jsonValue(value: Value, numeric: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && !numeric) return JSON.stringify(value);
  return exactNumberText(value) ?? (typeof value === 'string' ? JSON.stringify(value) : 'null');
}
