// JSON: an array of objects keyed by the result's column names.
//
// Written by hand rather than through JSON.stringify: a BIGINT beyond 2^53
// or a DECIMAL must reach the reader as the exact number the engine computed,
// and going through a JavaScript double would round it. Written a row at a
// time, so a result of any size streams as one valid JSON array.

import { exactNumberText, isNumericType } from './values.ts';
import type { ResultTable, ResultWriter } from './values.ts';
import type { Value } from '../engine/values.ts';

/** One object per row on its own line; numbers exact; a non-finite double is `null`. */
export function formatJson(table: ResultTable): string {
  const writer = jsonWriter(table.columns, table.types);
  return writer.start() + writer.rows(table.rows) + writer.end(table.excluded);
}

/** The array's `[` with the first row, `,` before each later one, `]` at the end (`[]` when there were none). */
export function jsonWriter(columns: readonly string[], types: readonly string[]): ResultWriter {
  const keys = columns.map((name) => JSON.stringify(name));
  const numeric = types.map(isNumericType);
  let first = true;
  return {
    start: () => '',
    rows: (rows: readonly (readonly Value[])[]) => {
      let text = '';
      for (const row of rows) {
        text += `${first ? '[\n' : ',\n'}  {${row.map((value, i) => `${keys[i]}: ${jsonValue(value, numeric[i] ?? false)}`).join(', ')}}`;
        first = false;
      }
      return text;
    },
    end: () => (first ? '[]\n' : '\n]\n'),
  };
}

function jsonValue(value: Value, numeric: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && !numeric) return JSON.stringify(value);
  return exactNumberText(value) ?? (typeof value === 'string' ? JSON.stringify(value) : 'null');
}
