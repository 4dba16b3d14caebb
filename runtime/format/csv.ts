// RFC 4180 CSV: a header row, CRLF line ends, fields quoted only when they must be.

import type { Value } from '../engine/values.ts';
import { exactText } from './values.ts';
import type { ResultTable, ResultWriter } from './values.ts';

/** Full precision; null is an empty field. */
export function formatCsv(table: ResultTable): string {
  const writer = csvWriter(table.columns);
  return writer.start() + writer.rows(table.rows) + writer.end(table.excluded);
}

/** CSV a batch of rows at a time: the header first, nothing after the last row. */
export function csvWriter(columns: readonly string[]): ResultWriter {
  return {
    start: () => line(columns.map(quoteField)),
    rows: (rows: readonly (readonly Value[])[]) => {
      let text = '';
      for (const row of rows) text += line(row.map((v) => quoteField(exactText(v))));
      return text;
    },
    end: () => '',
  };
}

function line(fields: readonly string[]): string {
  return `${fields.join(',')}\r\n`;
}

function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
