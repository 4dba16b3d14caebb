// Reading a `.kpi` file: UTF-8, strictly.
//
// A file that is not UTF-8 (a Latin-1 export, a stray binary) is reported at
// its first bad byte instead of being read with replacement characters that
// would then surface as confusing parse errors or, worse, as names.

import { dirname } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import type { Position } from '../../compiler/index.ts';
import { FILE_START, MAX_FILE_BYTES } from '../../compiler/index.ts';
import { readInside } from './safe-read.ts';
import type { ReadRefusal } from './safe-read.ts';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The file's text, or a diagnostic: `invalid-encoding` at the first byte that
 * is not UTF-8, or why the file was not read at all (`safe-read.ts`): a real
 * path outside `boundary` (default: the file's own folder) is `unsafe-path`,
 * a file over 1 MiB `file-too-large`, anything but a regular file `file-unreadable`.
 */
export function readKpiText(
  absolute: string,
  file: string,
  boundary = dirname(absolute),
): { text: string } | { diagnostic: Diagnostic } {
  const read = readInside(absolute, boundary, MAX_FILE_BYTES, file);
  if ('refused' in read) return { diagnostic: refusalDiagnostic(read.refused, file) };
  const { bytes } = read;
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const bad = firstInvalidByte(bytes);
    const start = positionAfter(new TextDecoder('utf-8').decode(bytes.subarray(0, bad)));
    const end = { ...start, offset: start.offset + 1, column: start.column + 1 };
    return {
      diagnostic: {
        code: 'invalid-encoding',
        severity: 'error',
        message: `${file} is not valid UTF-8: byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at byte offset ${bad} cannot start or continue a character.`,
        file,
        span: { start, end },
        help: 'save the file as UTF-8 (kpic reads `.kpi` files only as UTF-8).',
      },
    };
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

/** Length of the well-formed sequence at `i` (RFC 3629 table, no surrogates, no overlongs), 0 if ill-formed. */
function sequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const v = b[i + k];
    return v !== undefined && v >= lo && v <= hi;
  };
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (lead === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (lead === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The position just after `prefix` (1-based line and UTF-16 column, as spans count). */
function positionAfter(prefix: string): Position {
  const text = prefix.startsWith('\uFEFF') ? prefix.slice(1) : prefix;
  const lastBreak = text.lastIndexOf('\n');
  const line = text.split('\n').length;
  return { offset: text.length, line, column: text.length - lastBreak };
}

/** A file kpic did not read, as a diagnostic at its first character. */
export function refusalDiagnostic(refusal: ReadRefusal, file: string): Diagnostic {
  const span = FILE_START;
  switch (refusal.kind) {
    case 'outside':
      return {
        code: 'unsafe-path',
        severity: 'error',
        message: refusal.message,
        file,
        span,
        help: 'replace the link by the file itself, inside the project.',
      };
    case 'too-large':
      return {
        code: 'file-too-large',
        severity: 'error',
        message: `this file is ${refusal.size} bytes long; a file kpic reads may be at most ${MAX_FILE_BYTES} bytes (1 MiB)`,
        file,
        span,
        help: 'split the declarations over several files',
      };
    default:
      return {
        code: 'file-unreadable',
        severity: 'error',
        message: refusal.message,
        file,
        span,
        help: 'replace it by a regular file, or remove it.',
      };
  }
}
