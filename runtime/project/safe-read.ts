// Reading a file a pull request may have planted: the one way kpic reads.
//
// Metric files, includes, kpic.yaml, the schema snapshot, test specs and
// fixtures all come from the repository, and a repository can hold symbolic
// links (`x.kpi -> /etc/passwd`, `lib -> /`), FIFOs, device links
// (`/dev/zero`) and files of any size. Every read therefore:
// - resolves the path to its real path, which must lie inside the boundary
//   (the project, see `projectBoundary`);
// - opens it without blocking (a FIFO with no writer would hang the open);
// - checks on the open descriptor (fstat) that it is a regular file with
//   one name (a hard link is the same file as a name that may lie outside
//   the project, and nothing tells where) no larger than the caller's
//   limit, before reading a byte;
// - reads at most the limit plus one byte, so a file that grows while it
//   is read is still refused.

import { closeSync, constants, existsSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isInside } from './paths.ts';

/** Why a file was not read. */
export interface ReadRefusal {
  readonly kind: 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';
  /** One sentence for the user, naming the file. */
  readonly message: string;
  /** The file's size in bytes, for `too-large`. */
  readonly size?: number;
}

export type SafeRead = { readonly bytes: Buffer; readonly real: string } | { readonly refused: ReadRefusal };

/**
 * The folder no file kpic reads may leave: the enclosing git work tree when
 * the project lies in one (a shared metrics folder of the same repository is
 * what an `include` names), otherwise the project folder itself. A real path.
 */
export function projectBoundary(projectRoot: string): string {
  const root = realpathSync(projectRoot);
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return root;
  }
}

/** Read `path` (absolute, or relative to the working folder) if its real path lies inside `boundary` and it is a regular file of at most `limit` bytes. */
export function readInside(path: string, boundary: string, limit: number, shown = path): SafeRead {
  const checked = realInside(path, boundary, shown);
  if ('refused' in checked) return checked;
  const { real } = checked;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    return refuse('unreadable', `${shown} cannot be opened: ${errorText(error)}.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      return refuse('not-regular', `${shown} is not a regular file (${kindOf(stat)}); kpic reads only regular files.`);
    if (stat.nlink > 1)
      return refuse(
        'outside',
        `${shown} is a hard link (${stat.nlink} names for the same file), which may be a file outside the project; kpic reads only files with one name.`,
      );
    if (stat.size > limit) return tooLarge(shown, stat.size, limit);
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) return tooLarge(shown, length, limit);
      if (length === buffer.length) break;
    }
    return { bytes: buffer.subarray(0, length), real };
  } catch (error) {
    return refuse('unreadable', `${shown} cannot be read: ${errorText(error)}.`);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text (replacement characters for bad bytes) of a file read with `readInside`. */
export function readTextInside(
  path: string,
  boundary: string,
  limit: number,
  shown = path,
): { text: string; real: string } | { refused: ReadRefusal } {
  const read = readInside(path, boundary, limit, shown);
  return 'refused' in read ? read : { text: read.bytes.toString('utf8'), real: read.real };
}

/** The real path of `path` when it exists and lies inside `boundary`; does not open it. */
export function realInside(path: string, boundary: string, shown = path): { real: string } | { refused: ReadRefusal } {
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('missing', `${shown} does not exist.`);
    return refuse('unreadable', `${shown} cannot be resolved: ${errorText(error)}.`);
  }
  if (!isInside(boundary, real)) {
    return refuse(
      'outside',
      `${shown} leads outside the project: its real path is ${real}, and kpic reads nothing outside ${boundary}.`,
    );
  }
  return { real };
}

function tooLarge(shown: string, size: number, limit: number): { refused: ReadRefusal } {
  return {
    refused: {
      kind: 'too-large',
      size,
      message: `${shown} is ${size} bytes long; at most ${limit} bytes (${mebibytes(limit)}) are read.`,
    },
  };
}

function refuse(kind: ReadRefusal['kind'], message: string): { refused: ReadRefusal } {
  return { refused: { kind, message } };
}

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
}

function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? (error instanceof Error ? error.message : String(error));
}
