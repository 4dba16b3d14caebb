// A GitHub-flavoured Markdown table, for pasting into a pull request or a wiki page.

import { escapeControls } from '../../compiler/index.ts';
import { displayText, isNumericType } from './values.ts';
import type { ResultTable } from './values.ts';

/** Numeric columns right-aligned; `|` escaped, line breaks as `<br>`, other control characters as `\x1b`. */
export function formatMarkdown(table: ResultTable): string {
  const numeric = table.types.map(isNumericType);
  const header = `| ${table.columns.map(escapeCell).join(' | ')} |`;
  const rule = `| ${table.columns.map((_, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.map((v) => escapeCell(displayText(v))).join(' | ')} |`);
  return `${[header, rule, ...rows].join('\n')}\n`;
}

function escapeCell(text: string): string {
  return escapeControls(text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>'));
}
