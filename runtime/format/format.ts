// The result formats of `kpic run`: the same columns, in the same order, in every one.

import { csvWriter, formatCsv } from './csv.ts';
import { formatJson, jsonWriter } from './json.ts';
import { formatMarkdown, markdownWriter } from './markdown.ts';
import { formatTable, tableWriter } from './table.ts';
import type { ResultTable, ResultWriter } from './values.ts';

export type ResultFormat = 'table' | 'csv' | 'json' | 'markdown';
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'csv', 'json', 'markdown'];

export type { ResultTable, ResultWriter } from './values.ts';
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

/** A writer of one of the formats, for a result streamed a batch of rows at a time; the same text as `formatResult`. */
export function resultWriter(
  format: ResultFormat,
  columns: readonly string[],
  types: readonly string[],
  options: { color: boolean } = { color: false },
): ResultWriter {
  switch (format) {
    case 'table':
      return tableWriter(columns, types, options);
    case 'csv':
      return csvWriter(columns);
    case 'json':
      return jsonWriter(columns, types);
    case 'markdown':
      return markdownWriter(columns, types);
  }
}
