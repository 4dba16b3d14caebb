// Diagnostics as a person reads them in a terminal (cli.md, Diagnostics):
//
//   metrics/campaigns.kpi:12:5 error customer-reference
//     12 | kpi cost_per_lead {
//        |     ^^^^^^^^^^^^^
//     KPI `cost_per_lead` has no customer reference: ...
//     hint: link `campaigns` to the customer (`customer customer_id`), or retire the KPI.
//
// Control characters in anything shown (the source line, the message, a
// file name) are printed as escapes (`\x1b`): a diagnostic quotes the text it
// is about, and that text must not drive the terminal.
//
// Pure: text in, text out. The caller decides whether colour is wanted
// (a terminal, and NO_COLOR unset).

import { createColors } from 'picocolors';
import type { Diagnostic, Severity } from './diagnostics.ts';
import { escapeControls, escapeLine } from './escape.ts';

export interface RenderOptions {
  readonly color: boolean;
  /**
   * The documentation link of a code, printed as a last `docs:` line; none
   * when absent or when it returns undefined. The runtime gives it only on a
   * terminal (cli.md, Diagnostics).
   */
  readonly docs?: ((code: string) => string | undefined) | undefined;
}

/** Messages wrap at this width, indentation included; hints and notes do not wrap. */
const WIDTH = 76;
const TAB = '    ';

/** One diagnostic: the header, the source line with a caret under the span, the message, the hint and notes. */
export function renderDiagnostic(d: Diagnostic, text: string | undefined, options: RenderOptions): string {
  const c = createColors(options.color);
  const paint = severityPaint(d.severity, c);
  const { line, column } = d.span.start;
  const out = [`${c.bold(`${escapeLine(d.file)}:${line}:${column}`)} ${paint(d.severity)} ${c.dim(d.code)}`];
  if (text !== undefined) out.push(...renderFrame(d, text, (s) => c.dim(s), paint));
  for (const row of wrap(escapeControls(d.message), WIDTH - 2)) out.push(`  ${row}`);
  if (d.help) out.push(`  ${c.cyan('hint:')} ${escapeControls(d.help)}`);
  for (const note of d.notes ?? []) out.push(`  ${c.dim('note:')} ${escapeControls(note)}`);
  const link = options.docs?.(d.code);
  if (link !== undefined) out.push(`  ${c.dim('docs:')} ${escapeControls(link)}`);
  return out.join('\n');
}

/**
 * Every diagnostic, a blank line between them, and a summary line at the end
 * ("2 errors, 1 warning in 3 files"). Empty text when there is nothing to say.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  textOf: ReadonlyMap<string, string> | ((file: string) => string | undefined),
  options: RenderOptions,
): string {
  if (diagnostics.length === 0) return '';
  const lookup = typeof textOf === 'function' ? textOf : (file: string) => textOf.get(file);
  const blocks: string[] = [];
  const shownPerFile = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const d of diagnostics) {
    const count = shownPerFile.get(d.file) ?? 0;
    if (count >= MAX_SHOWN_PER_FILE) {
      hidden.set(d.file, (hidden.get(d.file) ?? 0) + 1);
      continue;
    }
    shownPerFile.set(d.file, count + 1);
    blocks.push(renderDiagnostic(d, lookup(d.file), options));
  }
  for (const [file, n] of hidden) {
    blocks.push(
      `${escapeLine(file)}: and ${n.toLocaleString('en-US')} more (only the first ${MAX_SHOWN_PER_FILE} of a file are shown)`,
    );
  }
  return `${blocks.join('\n\n')}\n\n${renderSummary(diagnostics)}\n`;
}

/**
 * At most this many diagnostics of one file are rendered; the rest are
 * counted ("and 39,900 more"). A file of garbage must not print for minutes.
 */
export const MAX_SHOWN_PER_FILE = 100;

/** "2 errors, 1 warning in 3 files"; infos are counted when there are any; "no problems" when empty. */
export function renderSummary(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'no problems';
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length;
  const parts = [plural(count('error'), 'error'), plural(count('warn'), 'warning')];
  const infos = count('info');
  if (infos > 0) parts.push(plural(infos, 'info'));
  const files = new Set(diagnostics.map((d) => d.file)).size;
  return `${parts.join(', ')} in ${plural(files, 'file')}`;
}

/** The lines of the last text framed: diagnostics come sorted by file, so each file is split once, not once per diagnostic. */
let splitCache: { text: string; lines: readonly string[] } | undefined;

function linesOf(text: string): readonly string[] {
  if (splitCache?.text !== text) splitCache = { text, lines: text.split(/\r?\n|\r/) };
  return splitCache.lines;
}

function renderFrame(d: Diagnostic, text: string, dim: (s: string) => string, paint: (s: string) => string): string[] {
  const lines = linesOf(text);
  const lineNo = d.span.start.line;
  const whole = lines[lineNo - 1];
  if (whole === undefined) return [];
  const gutter = String(lineNo);
  const blank = ' '.repeat(gutter.length);
  // Carets end where the span ends on this line, or at the end of the line.
  const startCol = d.span.start.column;
  const endCol = d.span.end.line === lineNo ? d.span.end.column : whole.length + 1;
  // A long line is shown as a window around the span, so that each frame costs the same
  // whatever the line's length (a line of 200,000 characters is not printed 100 times).
  const from =
    whole.length <= FRAME_WIDTH ? 0 : Math.max(0, Math.min(startCol - 1 - FRAME_CONTEXT, whole.length - FRAME_WIDTH));
  const to = Math.min(whole.length, from + FRAME_WIDTH);
  const lead = from > 0 ? '…' : '';
  const source = whole.slice(from, to);
  const spanStart = Math.max(0, startCol - 1 - from);
  const spanEnd = Math.min(source.length, Math.max(endCol - 1 - from, spanStart));
  // Columns are counted on the shown text, so a caret stays under an escaped character.
  const before = lead + shown(source.slice(0, spanStart));
  const under = shown(source.slice(spanStart, spanEnd));
  const carets = '^'.repeat(Math.max(1, under.length));
  return [
    `  ${dim(`${gutter} |`)} ${lead}${shown(source)}${to < whole.length ? '…' : ''}`,
    `  ${dim(`${blank} |`)} ${' '.repeat(before.length)}${paint(carets)}`,
  ];
}

/** The most characters of a line a code frame shows, and how many of them precede the span. */
const FRAME_WIDTH = 200;
const FRAME_CONTEXT = 60;

/** Tabs expanded, other control characters escaped. */
function shown(text: string): string {
  return escapeControls(text.replaceAll('\t', TAB));
}

function severityPaint(severity: Severity, c: ReturnType<typeof createColors>): (s: string) => string {
  if (severity === 'error') return (s) => c.bold(c.red(s));
  if (severity === 'warn') return (s) => c.bold(c.yellow(s));
  return (s) => c.bold(c.blue(s));
}

/** Greedy word wrap; a word longer than the width stays whole on its own line. Existing line breaks are kept. */
function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  for (const paragraph of text.split('\n')) {
    let row = '';
    for (const word of paragraph.split(' ')) {
      if (row !== '' && row.length + 1 + word.length > width) {
        rows.push(row);
        row = word;
      } else {
        row = row === '' ? word : `${row} ${word}`;
      }
    }
    rows.push(row);
  }
  return rows;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
