// `--out FILE`, written so that a reader never sees half a result.
//
// The text goes to a temporary file next to the target, then a rename puts
// it in place (atomic on one file system). A run that fails or is
// interrupted before the rename leaves the previous file untouched.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Write `text` to `path` atomically. */
export function writeFileAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
