// The terminal table: aligned columns, numbers on the right, a footnote on excluded rows.

import Table from 'cli-table3';
import { createColors } from 'picocolors';
import { escapeControls } from '../../compiler/index.ts';
import { displayText, isNumericType } from './values.ts';
import type { ResultTable } from './values.ts';

/** A boxed table; `(no rows)` when the query returned none; then one footnote line per check that excluded rows. */
export function formatTable(table: ResultTable, options: { color: boolean }): string {
  const numeric = table.types.map(isNumericType);
  const out = new Table({
    head: table.columns.map(escapeControls),
    colAligns: numeric.map((n) => (n ? 'right' : 'left')),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    // One line per row: separators between rows double the height for nothing.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  // A data value is shown, never obeyed: control characters print as escapes (`\x1b`).
  const status = options.color ? table.columns.indexOf('status') : -1;
  const paint = createColors(options.color);
  const STATUS_COLORS: Readonly<Record<string, (text: string) => string>> = {
    ok: paint.green,
    warn: paint.yellow,
    critical: paint.red,
    insufficient: paint.dim,
  };
  for (const row of table.rows) {
    out.push(
      row.map((v, i) => {
        const text = escapeControls(displayText(v));
        // A status reads at a glance on a terminal: ok green, warn yellow, critical red.
        return i === status ? (STATUS_COLORS[text]?.(text) ?? text) : text;
      }),
    );
  }
  const lines = [out.toString()];
  if (table.rows.length === 0) lines.push('(no rows)');
  lines.push(...formatExcluded(table));
  return `${lines.join('\n')}\n`;
}

/** "* 3 rows of `surveys` excluded by check `nps_range`", one line per check with excluded rows. */
export function formatExcluded(table: ResultTable): string[] {
  return table.excluded
    .filter((e) => e.excluded > 0n)
    .map(
      (e) => `* ${e.excluded} row${e.excluded === 1n ? '' : 's'} of \`${e.source}\` excluded by check \`${e.check}\``,
    );
}
