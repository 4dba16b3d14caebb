// Parsed `.kpi` files kept between commands. Parsing is the largest share of
// a short command's own work (building the parser, then warming it up on the
// first files); a syntax tree read back from the cache is the same plain data
// (tests/runtime/syntax-cache.test.ts proves the round trip for every `.kpi`
// file of the repository).
//
// An entry is found under a hash of the file's text, its project-relative
// path (spans and diagnostics name it), the Node version and the parser's
// identity: a hash of the syntax stage's source files, taken when the bundle
// is built (`KPIC_SYNTAX_ID`) or, running from the TypeScript sources, when
// the process starts. Any change to the grammar or the tree makes every
// older entry a miss. Where entries live and who may write them: folder.ts.

import { createHash } from 'node:crypto';
import { parseFile } from '../../compiler/index.ts';
import type { KpiFile, Result } from '../../compiler/index.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { openCacheFolder } from './folder.ts';
import { hashSyntaxSources } from './syntax-id.ts';

/** Set by the bundle build (scripts/build.ts): the parser's identity. */
declare const KPIC_SYNTAX_ID: string | undefined;

/** The version of the stored format; a change makes every older entry a miss. */
const FORMAT = 1;

interface Entry {
  readonly format: number;
  readonly syntax: string;
  readonly path: string;
  readonly result: Result<KpiFile>;
}

let identity: string | undefined | null = null;

/** `parseFile(text, path)`, from the cache when this text was parsed before by the same parser. */
export function parseFileKept(text: string, path: string): Result<KpiFile> {
  // Opened for each file (a few system calls): the folder's owner and mode are checked every time.
  const folder = openCacheFolder('syntax');
  identity ??= folder ? syntaxId() : undefined;
  if (folder === undefined || identity === undefined) return parseFile(text, path);
  const name = `${createHash('sha256').update(`${identity}\0${process.version}\0${path}\0${text}`).digest('hex')}.json`;
  const found = folder.read(name) as Partial<Entry> | undefined;
  if (found?.format === FORMAT && found.syntax === identity && found.path === path && found.result) return found.result;
  const result = parseFile(text, path);
  folder.write(name, { format: FORMAT, syntax: identity, path, result } satisfies Entry);
  return result;
}

/** The parser's identity: the bundle's, or a hash of the syntax sources; undefined when neither is known. */
function syntaxId(): string | undefined {
  if (typeof KPIC_SYNTAX_ID === 'string') return KPIC_SYNTAX_ID;
  return hashSyntaxSources(PACKAGE_ROOT);
}
