// A GitHub-flavoured Markdown table, for pasting into a pull request or a wiki page.

import { escapeControls } from '../../compiler/index.ts';
import type { Value } from '../engine/values.ts';
import { displayText, isNumericType } from './values.ts';
import type { ResultTable, ResultWriter } from './values.ts';

/** Numeric columns right-aligned; `|` escaped, line breaks as `<br>`, other control characters as `\x1b`. */
export function formatMarkdown(table: ResultTable): string {
  const writer = markdownWriter(table.columns, table.types);
  return writer.start() + writer.rows(table.rows) + writer.end(table.excluded);
}

/** The header and rule first, then one line per row: no widths to know ahead. */
export function markdownWriter(columns: readonly string[], types: readonly string[]): ResultWriter {
  const numeric = types.map(isNumericType);
  return {
    start: () =>
      `| ${columns.map(escapeCell).join(' | ')} |\n| ${columns.map((_, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |\n`,
    rows: (rows: readonly (readonly Value[])[]) => {
      let text = '';
      for (const row of rows) text += `| ${row.map((v) => escapeCell(displayText(v))).join(' | ')} |\n`;
      return text;
    },
    end: () => '',
  };
}

function escapeCell(text: string): string {
  return escapeControls(text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>'));
}
