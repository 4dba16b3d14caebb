// kpic's cache folder: what a later command may reuse instead of doing the
// work again (the engine's answers about files, parsed `.kpi` files).
//
// It lives in the user's own cache folder, never in the project: a pull
// request can plant any file in a project, and a planted entry would feed
// the compiler a wrong schema or a wrong syntax tree. The folder must belong
// to the user and be closed to others (kpic creates it with mode 0700), and
// each entry must belong to the user; otherwise, and on any error, kpic does
// the work as if nothing were kept. `KPIC_CACHE_DIR` names another folder
// (absolute); `KPIC_CACHE=off` turns the cache off.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface CacheFolder {
  /** The entry stored under `name` (a file name), parsed; undefined when there is none or it cannot be trusted. */
  read(name: string): unknown;
  /** Store `value` under `name`, whole or not at all; errors are ignored. */
  write(name: string, value: unknown): void;
}

/** One part of the cache (`answers`, `syntax`), or undefined when caching is off or the folder is not safe to use. */
export function openCacheFolder(part: string, env: NodeJS.ProcessEnv = process.env): CacheFolder | undefined {
  const setting = env['KPIC_CACHE']?.trim().toLowerCase();
  if (setting === 'off' || setting === '0' || setting === 'false') return undefined;
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  const folder = join(root, part);
  if (!usableFolder(root) || !usableFolder(folder)) return undefined;
  let pruned = false;
  return {
    read: (name) => readEntry(join(folder, name)),
    write: (name, value) => {
      writeEntry(join(folder, name), value);
      if (!pruned) pruneOld(folder);
      pruned = true;
    },
  };
}

/** `KPIC_CACHE_DIR`, else the platform's cache folder for kpic; undefined when there is no place for it. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env['KPIC_CACHE_DIR'];
  if (chosen !== undefined && chosen !== '') return isAbsolute(chosen) ? chosen : undefined;
  if (process.platform === 'win32') {
    const local = env['LOCALAPPDATA'];
    return local && isAbsolute(local) ? join(local, 'kpic', 'cache') : undefined;
  }
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'kpic');
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'kpic');
}

const checksOwner = process.platform !== 'win32' && typeof process.getuid === 'function';

/** The folder exists (created 0700 if not), is a folder, belongs to this user and no one else may write in it. */
function usableFolder(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const stat = statSync(path);
    if (!stat.isDirectory()) return false;
    return !checksOwner || (stat.uid === process.getuid!() && (stat.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

function readEntry(path: string): unknown {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || (checksOwner && stat.uid !== process.getuid!())) return undefined;
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed over the entry: a reader sees the old entry or the new one, whole. */
function writeEntry(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * At most once a day per folder: remove entries written more than
 * `KEEP_DAYS` ago (a moved or deleted project leaves its entries behind; one
 * still in use is simply made again) and temporary files left by a crash.
 */
function pruneOld(folder: string): void {
  const marker = join(folder, '.pruned');
  const now = Date.now();
  try {
    if (now - statSync(marker).mtimeMs < DAY_MS) return;
  } catch {}
  try {
    writeFileSync(marker, '', { mode: 0o600 });
    for (const name of readdirSync(folder)) {
      if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue;
      const path = join(folder, name);
      const age = now - statSync(path).mtimeMs;
      if (age > (name.endsWith('.tmp') ? DAY_MS : KEEP_DAYS * DAY_MS)) rmSync(path, { force: true });
    }
  } catch {}
}

const DAY_MS = 86_400_000;
const KEEP_DAYS = 30;
