// A KPI's `format` applied to the result for people (table, markdown):
// `format percent` prints 0.045 as `4.5%`; csv and json keep the raw
// number (docs/language.md, docs/cli.md).

import type { ValueFormat } from '../../compiler/index.ts';
import type { Value } from '../engine/values.ts';
import type { ResultTable } from './values.ts';

/** The columns in the KPI's unit; `change_pct` is a fraction of its own and stays as it is. */
const VALUE_COLUMNS = ['value', 'previous_value', 'change'];

/** The table with the value columns as display text; other columns untouched. */
export function applyDisplayFormat(table: ResultTable, format: ValueFormat | undefined): ResultTable {
  const display = displayRows(table.columns, format);
  return display === undefined ? table : { ...table, rows: display(table.rows) };
}

/** The same for rows that come a batch at a time; `undefined` when nothing changes. */
export function displayRows(
  columns: readonly string[],
  format: ValueFormat | undefined,
): ((rows: ResultTable['rows']) => ResultTable['rows']) | undefined {
  if (format === undefined) return undefined;
  const at = columns.map((c, i) => (VALUE_COLUMNS.includes(c) ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return undefined;
  return (rows) => rows.map((row) => row.map((v, i) => (at.includes(i) ? formatValue(v, format) : v)));
}

/** One value as people read it; null stays null (an empty cell). */
export function formatValue(value: Value, format: ValueFormat): Value {
  if (value === null || typeof value === 'boolean') return value;
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  switch (format.style) {
    case 'percent':
      return `${fixed(n * 100, format.decimals, 2)}%`;
    case 'number':
      return format.decimals === undefined ? value : fixed(n, format.decimals, 0);
    case 'currency':
      return `${fixed(n, format.decimals ?? 2, 2)}${format.currency ? ` ${format.currency}` : ''}`;
  }
}

/** `decimals` digits exactly when given; otherwise at most `max`, trailing zeros dropped. */
function fixed(n: number, decimals: number | undefined, max: number): string {
  const text = decimals !== undefined ? n.toFixed(decimals) : String(Number(n.toFixed(max)));
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}
