// Where the page of a diagnostic code is (docs/errors/<code>.md for the
// compiler's and runtime's codes, docs/rules/<id>.md for lint rules).
//
// The docs ship inside the package (`files` in package.json), so the page of
// the kpic that reported a code is always on disk, at the version that
// reported it: the terminal shows its path, and SARIF links it as a file URL
// unless `--docs-url` names a published copy (docs/ci.md, SARIF).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docPageOf } from '../compiler/index.ts';
import { PACKAGE_ROOT } from './package-root.ts';

/** The absolute path of a code's page in the installed kpic; undefined for a code without one. */
export function docsPagePath(code: string): string | undefined {
  const page = docPageOf(code);
  return page === undefined ? undefined : join(PACKAGE_ROOT, page);
}

/** The base URL of the docs folder: `base` (a published copy) or the installed package's folder as a file URL. */
export function docsBaseUrl(base?: string): string {
  return (base ?? pathToFileURL(join(PACKAGE_ROOT, 'docs')).href).replace(/\/+$/, '');
}

/** A code's page under a docs base URL (`https://…/docs/errors/unknown-column.md`). */
export function docsPageUrl(code: string, base: string): string | undefined {
  const page = docPageOf(code);
  return page === undefined ? undefined : `${base}/${page.replace(/^docs\//, '')}`;
}

/** The text of a code's page as shipped, for SARIF's embedded help; undefined when missing. */
export function docsPageText(code: string): string | undefined {
  const path = docsPagePath(code);
  return path !== undefined && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
