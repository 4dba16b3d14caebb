// Writing the KPI catalog to a folder, all at once.
//
// The pages are written to a temporary folder next to the target, which then
// takes the target's place: a reader never sees half a catalog, and a failed
// build leaves the previous one as it was. A folder that is not a kpic
// catalog (it has no `.kpic-docs` marker) is never replaced.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../cli/errors.ts';
import { kpiPage } from './html.ts';
import type { CatalogInput } from './pages.ts';
import { renderDeprecated, renderIndex, renderKpi } from './pages.ts';

const MARKER = '.kpic-docs';

/** The catalog's files, path -> HTML. */
export function renderCatalog(input: CatalogInput): Map<string, string> {
  const files = new Map<string, string>();
  files.set('index.html', renderIndex(input));
  files.set('deprecated.html', renderDeprecated(input));
  for (const kpi of input.model.kpis.values()) files.set(kpiPage(kpi.name), renderKpi(input, kpi));
  files.set(MARKER, 'This folder is written by `kpic docs`; it is replaced as a whole on every run.\n');
  return files;
}

/** Write `files` as the folder `out`, replacing a previous catalog there. */
export function writeCatalog(out: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(out);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
    if (readdirSync(target).length > 0 && !existsSync(join(target, MARKER))) {
      throw new UsageError(`--out ${out} is a folder that kpic docs did not write; it will not be replaced`, 'give an empty or new folder, e.g. --out site/kpis');
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = join(dirname(target), `.${basename(target)}.${stamp}.tmp`);
  const old = join(dirname(target), `.${basename(target)}.${stamp}.old`);
  try {
    for (const [path, text] of files) {
      mkdirSync(dirname(join(temp, path)), { recursive: true });
      writeFileSync(join(temp, path), text);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
