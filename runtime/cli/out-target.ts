// Where `--out` may write: never over what the project reads.
//
// `kpic run K --out kpic.yaml` (or `--out metrics/nps.kpi`, `--out
// data/customers.csv`) would replace an input of the project with a result.
// The target is compared by real path (symlinks and `..` resolved, a file not
// yet there by its folder's real path) with the project's inputs: kpic.yaml,
// kpic.schema.json, every `.kpi` file the project reads, anything under the
// data root, and the database file. Any `.kpi` or `*.test.yaml` target is
// refused too, even outside the project: a result is never a definition.
// Paths can name one file in ways a real path does not show: a hard link, a
// case variant on a case-insensitive disk (`KPIC.YAML`, `Data/x.csv`), a
// bind mount. So an existing target, and every existing folder above it, is
// also compared by identity (device and inode) with the inputs and the data
// root; a target with other hard links is looked for among the data files.

import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside } from '../project/paths.ts';
import { UsageError } from './errors.ts';

export interface ProjectInputs {
  /** Absolute folder of kpic.yaml. */
  readonly root: string;
  /** Absolute real path of the data root. */
  readonly dataRoot: string;
  /** `:memory:`, or the database file as configured (relative to `root`). */
  readonly database: string;
  /** Project-relative paths of the files the project read (kpic.yaml and the `.kpi` files). */
  readonly files: Iterable<string>;
}

/** What an open project reads, for `refuseProjectInput`. */
export function projectInputs(project: {
  root: string;
  dataRoot: string;
  config: { data: { database: string } };
  texts: ReadonlyMap<string, string>;
}): ProjectInputs {
  return {
    root: project.root,
    dataRoot: project.dataRoot,
    database: project.config.data.database,
    files: project.texts.keys(),
  };
}

/** The real path `path` would be written at: the file's, or its folder's plus its name. */
export function realTarget(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** Throws a `UsageError` (exit 2) when writing `path` would replace one of the project's inputs. */
export function refuseProjectInput(path: string, project: ProjectInputs, flag = '--out'): void {
  const target = realTarget(path);
  const refuse = (what: string) => {
    throw new UsageError(
      `${flag} ${path} would overwrite ${what}; kpic never writes a result over the project's inputs`,
      `write the result elsewhere, e.g. ${flag} ${flag === '--state' ? 'alert-state.json' : 'result.csv'} (outside the data folder)`,
    );
  };
  if (/\.kpi$/i.test(target)) refuse('a `.kpi` file');
  if (/\.test\.ya?ml$/i.test(target)) refuse('a metric test file');
  const real = (relative: string) => realTarget(resolve(project.root, relative));
  for (const [name, what] of [
    ['kpic.yaml', 'the project configuration kpic.yaml'],
    ['kpic.schema.json', 'the schema snapshot kpic.schema.json'],
  ] as const) {
    if (existsSync(join(project.root, name)) && real(name) === target) refuse(what);
  }
  const same = sameAs(target);
  for (const [name, what] of [
    ['kpic.yaml', 'the project configuration kpic.yaml'],
    ['kpic.schema.json', 'the schema snapshot kpic.schema.json'],
  ] as const) {
    if (same(join(project.root, name))) refuse(what);
  }
  for (const file of project.files) {
    if (real(file) === target || same(resolve(project.root, file))) refuse(`the project file ${file}`);
  }
  const underData = `a file under the data root ${project.dataRoot}`;
  if (isInside(project.dataRoot, target)) refuse(underData);
  const dataRoot = identity(project.dataRoot);
  for (let folder = dirname(target); dataRoot !== undefined; folder = dirname(folder)) {
    if (identity(folder) === dataRoot) refuse(underData);
    if (dirname(folder) === folder) break;
  }
  if (hasOtherLinks(target) && holdsFile(project.dataRoot, identity(target)!)) refuse(underData);
  if (project.database !== ':memory:') {
    const database = real(project.database);
    if (target === database || target === `${database}.wal`) refuse(`the database ${project.database}`);
    const file = resolve(project.root, project.database);
    if (same(file) || same(`${file}.wal`)) refuse(`the database ${project.database}`);
  }
}

/** Device and inode of an existing file or folder; `undefined` when there is none. */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** Whether a path names the same existing file as `target` (never, when the target does not exist yet). */
function sameAs(target: string): (path: string) => boolean {
  const id = identity(target);
  return (path) => id !== undefined && identity(path) === id;
}

function hasOtherLinks(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.nlink > 1;
  } catch {
    return false;
  }
}

/** Files looked at for a hard link under the data root before giving up (a data root is rarely larger). */
const MAX_DATA_FILES = 100_000;

/** Whether a file under `root` (not following symlinks out of it) has identity `id`. */
function holdsFile(root: string, id: string): boolean {
  const folders = [root];
  let seen = 0;
  while (folders.length > 0 && seen < MAX_DATA_FILES) {
    const folder = folders.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      seen += 1;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.isFile() && identity(path) === id) return true;
    }
  }
  return false;
}
