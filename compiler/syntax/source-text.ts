// Offsets to line/column positions.
//
// Lines break at LF, CRLF and CR alike, so a file saved on any platform
// reports the same positions. Columns count UTF-16 code units from 1. A
// leading byte order mark is not counted: the first character after it is
// column 1. Offsets index the text as given (BOM included).

import type { ErrorCode } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Position, Span } from './ast.ts';

export interface SourceText {
  readonly text: string;
  readonly path: string;
  /** The offset at which each line starts (line 1 first). */
  readonly lineStarts: readonly number[];
}

/** Indexes the line starts of `text`. */
export function indexSourceText(text: string, path: string): SourceText {
  const lineStarts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) lineStarts.push(i + 1);
    else if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      lineStarts.push(i + 1);
    }
  }
  return { text, path, lineStarts };
}

/** The position of an offset. */
export function positionAt(source: SourceText, offset: number): Position {
  const starts = source.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  const column = Math.max(1, offset - starts[low]! + 1);
  return { offset, line: low + 1, column };
}

/** The span from `start` (inclusive) to `end` (exclusive). */
export function spanOf(source: SourceText, start: number, end: number): Span {
  return { start: positionAt(source, start), end: positionAt(source, end) };
}

/** The line (1-based) an offset is on. */
export function lineOf(source: SourceText, offset: number): number {
  return positionAt(source, offset).line;
}

/** The UTF-8 size of a text, computed without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** An error diagnostic of this file. */
export function syntaxDiagnostic(
  source: SourceText,
  code: ErrorCode,
  start: number,
  end: number,
  message: string,
  help?: string,
): Diagnostic {
  const base = { code, severity: 'error' as const, message, file: source.path, span: spanOf(source, start, end) };
  return help === undefined ? base : { ...base, help };
}
