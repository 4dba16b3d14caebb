// How deeply a JSON data file nests, found before the engine sees it.
//
// DuckDB describes a JSON file by recursing into it: a file nested 30,000
// levels deep crashes the process (a stack overflow in native code, no
// error to catch). So a JSON source is scanned first, in 64 KiB chunks with
// constant memory, and refused when it nests deeper than any real data does.

import { closeSync, openSync, readSync } from 'node:fs';

/** Arrays and objects inside each other; real records rarely pass 20. */
export const MAX_JSON_DEPTH = 1000;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A message when `path` nests deeper than `MAX_JSON_DEPTH`; undefined when it does not (or cannot be read: the engine says why). */
export function jsonDepthProblem(path: string, shown: string, limit = MAX_JSON_DEPTH): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      for (let i = 0; i < read; i++) {
        const byte = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          if (++depth > limit)
            return `${shown} nests arrays and objects more than ${limit} levels deep; kpic refuses it before the engine reads it (so deep a file would crash the engine)`;
        } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) depth--;
      }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
