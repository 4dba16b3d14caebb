// `kpic run --sort COL[:asc|desc] --limit N`: order and cut the result rows
// after the query, for reading (the SQL keeps its own order: period, then
// segments). Empty values sort last either way; equal rows keep the query's
// order.

import type { ResultTable } from '../format/format.ts';
import { isNumericType } from '../format/values.ts';
import { UsageError } from './errors.ts';

export interface SortSpec {
  readonly column: string;
  readonly descending: boolean;
}

/** `value`, `value:desc`, `region:asc`; a usage error otherwise. */
export function parseSort(text: string): SortSpec {
  const match = /^([^:]+?)(?::(asc|desc))?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--sort: \`${text}\` is not COLUMN or COLUMN:asc|desc`, 'e.g. --sort value:desc');
  return { column: match[1]!, descending: match[2]?.toLowerCase() === 'desc' };
}

/** A positive whole number of rows. */
export function parseLimit(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--limit: \`${text}\` is not a whole number of rows above 0`, 'e.g. --limit 10');
  }
  return Number(text);
}

/** The table sorted by `sort` and cut to `limit` rows; the column must be one of the result's. */
export function sortAndLimit(table: ResultTable, sort: SortSpec | undefined, limit: number | undefined): ResultTable {
  let rows = table.rows;
  if (sort !== undefined) {
    const at = table.columns.findIndex((c) => c.toLowerCase() === sort.column.toLowerCase());
    if (at < 0)
      throw new UsageError(
        `--sort: the result has no column \`${sort.column}\``,
        `sort by one of: ${table.columns.join(', ')}`,
      );
    const numeric = isNumericType(table.types[at] ?? '');
    const sign = sort.descending ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const x = a[at] ?? null;
      const y = b[at] ?? null;
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return sign * compare(x, y, numeric);
    });
  }
  if (limit !== undefined) rows = rows.slice(0, limit);
  return { ...table, rows };
}

function compare(x: unknown, y: unknown, numeric: boolean): number {
  if (numeric) {
    const a = Number(x);
    const b = Number(y);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}
