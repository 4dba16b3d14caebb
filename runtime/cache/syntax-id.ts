// The parser's identity, for the syntax cache (syntax.ts): computed from the
// sources by the bundle build and, running from the sources, at start.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A hash of what decides a syntax tree: the files of `compiler/syntax/`, the
 * diagnostics they build on, and the versions of kpic and Chevrotain.
 * Undefined when the sources are not there (an installed package without a
 * bundle id).
 */
export function hashSyntaxSources(root: string): string | undefined {
  const syntax = join(root, 'compiler', 'syntax');
  if (!existsSync(syntax)) return undefined;
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(syntax)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => join(syntax, f)),
    join(root, 'compiler', 'diagnostics.ts'),
    join(root, 'package.json'),
    join(root, 'node_modules', 'chevrotain', 'package.json'),
  ];
  try {
    for (const file of files) hash.update(`${file.slice(root.length)}\0${readFileSync(file, 'utf8')}\0`);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
