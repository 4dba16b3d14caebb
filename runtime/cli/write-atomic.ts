// Files kpic writes (`--out FILE`, `kpic fmt`, `kpic schema snapshot`),
// written so that a reader never sees half of one and nothing else changes.
//
// The text goes to a temporary file next to the target, then a rename puts
// it in place (atomic on one file system). A run that fails or is
// interrupted before the rename leaves the previous file untouched.
//
// An existing target is written at its real path (a symlink keeps pointing
// at the new file) and keeps its permission bits: a private 0600 file stays
// 0600, never becomes world-readable. With `inside`, a target whose real
// path leaves that folder is refused before anything is written.

import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stopIfInterrupted } from './interrupted.ts';
import { isInside } from '../project/paths.ts';
import { realTarget } from './out-target.ts';

/** Why a write was refused: its real path leaves the folder it must stay in. */
export class OutsideWriteError extends Error {
  readonly real: string;
  constructor(real: string, inside: string) {
    super(`its real path ${real} lies outside ${inside}, and kpic writes nothing there`);
    this.name = 'OutsideWriteError';
    this.real = real;
  }
}

/** Write `text` to `path` atomically, keeping an existing file's mode; with `inside`, only when the real path lies in it. */
export function writeFileAtomic(path: string, text: string | Uint8Array, options: { inside?: string } = {}): void {
  const target = realTarget(path);
  if (options.inside !== undefined && !isInside(options.inside, target))
    throw new OutsideWriteError(target, options.inside);
  const mode = existingMode(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx', ...(mode === undefined ? {} : { mode }) });
    // The process umask may have narrowed the mode given at creation.
    if (mode !== undefined) chmodSync(temp, mode);
    // After an interrupt the previous file stays byte-identical: the temp file goes, nothing is renamed.
    stopIfInterrupted();
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function existingMode(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}
