// The terminal table: aligned columns, numbers on the right, a footnote on excluded rows.

import { createColors } from 'picocolors';
import stringWidth from 'string-width';
import { escapeControls } from '../../compiler/index.ts';
import { displayText, isNumericType } from './values.ts';
import type { Value } from '../engine/values.ts';
import type { ResultTable, ResultWriter } from './values.ts';

/**
 * Rows per box. The table is drawn here rather than by cli-table3, which
 * lays a box out in time and stack depth that grow faster than its rows
 * (40,000 rows took minutes, 150,000 overflowed the stack); a long result
 * prints as a series of boxes of this many rows, each with its header and
 * its own column widths: linear in rows, a box printed as soon as its rows
 * have arrived, memory bounded by one box whatever the result's size.
 */
export const TABLE_PAGE_ROWS = 1000;

/** A boxed table (in boxes of `TABLE_PAGE_ROWS`); `(no rows)` when the query returned none; then one footnote line per check that excluded rows. */
export function formatTable(table: ResultTable, options: { color: boolean }): string {
  const writer = tableWriter(table.columns, table.types, options);
  return writer.start() + writer.rows(table.rows) + writer.end(table.excluded, table.skipped);
}

/** The table a batch at a time: a box each time `TABLE_PAGE_ROWS` rows have come, the last (partial) box at the end. */
export function tableWriter(
  columns: readonly string[],
  types: readonly string[],
  options: { color: boolean },
): ResultWriter {
  let pending: (readonly Value[])[] = [];
  let boxes = 0;
  let rowCount = 0;
  const box = () => {
    const text = `${boxes > 0 ? '\n' : ''}${formatBox(columns, types, pending, options)}`;
    boxes += 1;
    pending = [];
    return text;
  };
  return {
    start: () => '',
    rows: (rows) => {
      let text = '';
      for (const row of rows) {
        pending.push(row);
        rowCount += 1;
        if (pending.length === TABLE_PAGE_ROWS) text += box();
      }
      return text;
    },
    end: (excluded, skipped) => {
      let text = pending.length > 0 || boxes === 0 ? box() : '';
      const notes = [
        ...(rowCount === 0 ? ['(no rows)'] : []),
        ...formatExcluded({ excluded, ...(skipped ? { skipped } : {}) }),
      ];
      for (const note of notes) text += `\n${note}`;
      return `${text}\n`;
    },
  };
}

/** One box: a top rule, the header, the rows, a bottom rule; numbers on the right. */
function formatBox(
  columns: readonly string[],
  types: readonly string[],
  rows: ResultTable['rows'],
  options: { color: boolean },
): string {
  const c = createColors(options.color);
  const right = types.map(isNumericType);
  const head = columns.map(cellText);
  // A data value is shown, never obeyed: control characters (line breaks too) print as escapes (`\x1b`, `\n`).
  const cells = rows.map((row) => row.map((v) => cellText(displayText(v))));
  const widths = head.map((h, i) => cells.reduce((w, row) => Math.max(w, widthOf(row[i] ?? '')), widthOf(h)));
  // Colour wraps the text itself, the padding stays plain (widths are of the text without colour codes).
  const pad = (text: string, i: number, painted: string) => {
    const fill = ' '.repeat(widths[i]! - widthOf(text));
    return right[i] ? fill + painted : painted + fill;
  };
  const bar = c.gray('│');
  // A status reads at a glance on a terminal: ok green, warn yellow, critical red.
  const status = options.color ? columns.indexOf('status') : -1;
  const statusColors: Readonly<Record<string, (text: string) => string>> = {
    ok: c.green,
    warn: c.yellow,
    critical: c.red,
    insufficient: c.dim,
  };
  const paintCell = (text: string, i: number) => (i === status ? (statusColors[text]?.(text) ?? text) : text);
  const line = (texts: readonly string[], paint: (s: string, i: number) => string = paintCell) =>
    `${bar} ${texts.map((t, i) => pad(t, i, paint(t, i))).join(` ${bar} `)} ${bar}`;
  const rule = (left: string, mid: string, end: string) =>
    c.gray(`${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${end}`);
  return [
    rule('┌', '┬', '┐'),
    line(head, (s) => c.cyan(s)),
    ...cells.map((row) => line(row)),
    rule('└', '┴', '┘'),
  ].join('\n');
}

function cellText(text: string): string {
  return escapeControls(text).replaceAll('\n', '\\n');
}

/** Terminal columns: one per character, two for wide East Asian ones (string-width), the common ASCII case without it. */
function widthOf(text: string): number {
  return /^[\x20-\x7e]*$/.test(text) ? text.length : stringWidth(text);
}

/** "* 3 rows of `surveys` excluded by check `nps_range`", one line per check with excluded rows. */
export function formatExcluded(table: Pick<ResultTable, 'excluded' | 'skipped'>): string[] {
  const skipped = (table.skipped ?? []).map(
    (s) =>
      `* ${s.rows.toLocaleString('en-US')} malformed row${s.rows === 1 ? '' : 's'} of \`${s.file}\` skipped (the first at line ${s.line})`,
  );
  return [
    ...table.excluded
      .filter((e) => e.excluded > 0n)
      .map(
        (e) => `* ${e.excluded} row${e.excluded === 1n ? '' : 's'} of \`${e.source}\` excluded by check \`${e.check}\``,
      ),
    ...skipped,
  ];
}
