// Paths as kpic prints them: relative to the project, forward slashes.

import { relative, sep } from 'node:path';

/** `root`-relative path with `/` separators (`../shared/x.kpi` for a file outside the project). */
export function projectPath(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** An absolute path with `/` separators, as the compiler and the engine's sandbox want it. */
export function forwardSlashes(absolute: string): string {
  return sep === '/' ? absolute : absolute.split(sep).join('/');
}

/** `child` is `parent` or lies under it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}
