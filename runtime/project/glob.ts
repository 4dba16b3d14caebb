// Globs over a folder a pull request may have filled with links.
//
// Linked folders are never descended into: `ln -s / root` must not make a
// `**/*.kpi` walk the machine, and a link cycle must not loop. Linked files
// that match are returned under their own (link) path, so that the reader
// can refuse them by name when their real path leaves the project or the
// data root; a glob that silently skipped them would hide the attempt.

import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';

export interface GlobOptions {
  /** Globs of paths to leave out, relative to `cwd`. */
  readonly ignore?: readonly string[];
}

/** Absolute paths of the files matching `patterns` under `cwd`: regular files, and links that are not folders. */
export function globFiles(cwd: string, patterns: readonly string[], options: GlobOptions = {}): string[] {
  const ignore = [...(options.ignore ?? [])];
  const regular = globSync([...patterns], {
    cwd,
    absolute: true,
    onlyFiles: true,
    ignore,
    expandDirectories: false,
    followSymbolicLinks: false,
  });
  return [...new Set([...regular, ...linkedFiles(cwd, patterns, ignore)])].sort();
}

/** Links to anything but a folder, in the real folders under `cwd`, whose relative path matches. */
function linkedFiles(cwd: string, patterns: readonly string[], ignore: readonly string[]): string[] {
  const matches = picomatch([...patterns]);
  const ignored = ignore.length > 0 ? picomatch([...ignore]) : () => false;
  const folders = [
    '.',
    ...globSync('**', {
      cwd,
      onlyDirectories: true,
      ignore: [...ignore],
      expandDirectories: false,
      followSymbolicLinks: false,
    }),
  ];
  const found: string[] = [];
  for (const folder of folders) {
    const absolute = join(cwd, folder);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isSymbolicLink()) continue;
      const path = join(absolute, entry.name);
      const rel = slashes(relative(cwd, path));
      if (!matches(rel) || ignored(rel)) continue;
      if (isFolder(path)) continue;
      found.push(path);
    }
  }
  return found;
}

/** The link leads to a folder (a broken link is not one, and is kept: reading it says why). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function slashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
