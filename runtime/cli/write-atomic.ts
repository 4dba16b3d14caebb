// Files kpic writes (`--out FILE`, `kpic fmt`, `kpic schema snapshot`),
// written so that a reader never sees half of one and nothing else changes.
//
// The text goes to a temporary file next to the target, then a rename puts
// it in place (atomic on one file system). A run that fails or is
// interrupted before the rename leaves the previous file untouched. A
// result is written to the temporary file as it streams in (`openAtomic`),
// so a file of any size is never held in memory. A write that fails (a
// read-only folder, a full disk) is a `WriteError`: one line naming the file
// and the cause, the temporary file removed, the previous file unchanged.
//
// An existing target is written at its real path (a symlink keeps pointing
// at the new file) and keeps its permission bits: a private 0600 file stays
// 0600, never becomes world-readable. With `inside`, a target whose real
// path leaves that folder is refused before anything is written.

import { chmodSync, closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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

/** A file kpic could not write: the target as the user gave it and the system's error code. */
export class WriteError extends Error {
  readonly code: string | undefined;
  constructor(path: string, error: unknown, existed: boolean, what = 'file') {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    super(
      `cannot write ${path}: ${describeCode(code, error)}; ${existed ? `the previous ${what} is unchanged` : `no ${what} was created`}`,
    );
    this.name = 'WriteError';
    this.code = code;
  }
}

const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EFBIG: 'the file is too large',
  EIO: 'an input/output error of the device',
  ENAMETOOLONG: 'the name is too long',
};

/** The cause of a failed write in words: `EACCES (permission denied)`. */
export function describeCode(code: string | undefined, error: unknown): string {
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const cause = CAUSES[code];
  return cause === undefined ? code : `${code} (${cause})`;
}

/** A file being written: `write` as often as needed, then `commit` (the rename) or `abort` (the temporary file removed). */
export interface AtomicFile {
  write(text: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

/** Start writing `path` atomically, keeping an existing file's mode; with `inside`, only when the real path lies in it. */
export function openAtomic(path: string, options: { inside?: string } = {}): AtomicFile {
  const target = realTarget(path);
  if (options.inside !== undefined && !isInside(options.inside, target))
    throw new OutsideWriteError(target, options.inside);
  const mode = existingMode(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  const fail = (error: unknown): never => {
    abort();
    if (error instanceof WriteError) throw error;
    if ((error as NodeJS.ErrnoException | undefined)?.code !== undefined)
      throw new WriteError(path, error, mode !== undefined);
    throw error;
  };
  const abort = () => {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Closing after a failed write can fail too; the file goes either way.
      }
      fd = undefined;
    }
    rmSync(temp, { force: true });
  };
  try {
    fd = openSync(temp, 'wx', mode ?? 0o666);
    // The process umask may have narrowed the mode given at creation.
    if (mode !== undefined) chmodSync(temp, mode);
  } catch (error) {
    fail(error);
  }
  return {
    write: (text) => {
      if (fd === undefined) throw new Error('write after the file was closed');
      try {
        const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      } catch (error) {
        fail(error);
      }
    },
    commit: () => {
      if (fd === undefined) throw new Error('commit after the file was closed');
      try {
        closeSync(fd);
        fd = undefined;
        // After an interrupt the previous file stays byte-identical: the temp file goes, nothing is renamed.
        stopIfInterrupted();
        renameSync(temp, target);
      } catch (error) {
        fail(error);
      }
    },
    abort,
  };
}

/** Write `text` to `path` atomically, keeping an existing file's mode; with `inside`, only when the real path lies in it. */
export function writeFileAtomic(path: string, text: string | Uint8Array, options: { inside?: string } = {}): void {
  const file = openAtomic(path, options);
  file.write(text);
  file.commit();
}

function existingMode(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}
