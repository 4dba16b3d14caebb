// RFC 4180 CSV: a header row, CRLF line ends, fields quoted only when they must be.

import { exactText } from './values.ts';
import type { ResultTable } from './values.ts';

/** Full precision; null is an empty field. */
export function formatCsv(table: ResultTable): string {
  const lines = [table.columns.map(quoteField), ...table.rows.map((row) => row.map((v) => quoteField(exactText(v))))];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
