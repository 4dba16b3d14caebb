// The result formats of `kpic run`: the same columns, in the same order, in every one.

import { formatCsv } from './csv.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatTable } from './table.ts';
import type { ResultTable } from './values.ts';

export type ResultFormat = 'table' | 'csv' | 'json' | 'markdown';
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'csv', 'json', 'markdown'];

export type { ResultTable } from './values.ts';
export { formatExcluded } from './table.ts';

/** Print a result in one of the formats; colour applies to `table` only. */
export function formatResult(
  table: ResultTable,
  format: ResultFormat,
  options: { color: boolean } = { color: false },
): string {
  switch (format) {
    case 'table':
      return formatTable(table, options);
    case 'csv':
      return formatCsv(table);
    case 'json':
      return formatJson(table);
    case 'markdown':
      return formatMarkdown(table);
  }
}
