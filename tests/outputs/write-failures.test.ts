// A file kpic cannot write (a read-only folder, a missing folder, a full
// disk) is one diagnostic line with the documented exit code, never an
// internal error; the previous file stays byte for byte, no temporary file
// is left behind.
//
// A full disk is a tiny tmpfs filled up, and a read-only folder a read-only
// tmpfs (root ignores a folder's mode bits); both need the right to mount,
// which a test machine's root has. Without it a folder of mode 0555 stands in
// for the read-only one, and the full disk is skipped (/dev/full covers
// stdout in silent-failures.test.ts).

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const project = copyTemplate('kpic-write-fail-');
const scratch = mkdtempSync(join(tmpdir(), 'kpic-write-fail-mnt-'));
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  project.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** A tmpfs of `size` at a new folder, with `options`; `undefined` when this machine does not allow mounting. */
function tmpfs(name: string, options: string): string | undefined {
  const dir = join(scratch, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounted.push(dir);
  return dir;
}

/** A folder holding `previous.csv` ("previous\n", mode 0640) in which nothing can be written. */
function readOnlyFolder(): string {
  const dir = join(scratch, 'ro-prep');
  mkdirSync(dir);
  writeFileSync(join(dir, 'previous.csv'), 'previous\n', { mode: 0o640 });
  chmodSync(join(dir, 'previous.csv'), 0o640);
  chmodSync(dir, 0o555);
  try {
    writeFileSync(join(dir, 'probe'), '');
  } catch {
    return dir; // not root: the mode bits hold
  }
  // Root writes anyway: bind the folder read-only instead, if allowed.
  rmSync(join(dir, 'probe'));
  const ro = join(scratch, 'ro');
  mkdirSync(ro);
  try {
    execFileSync('mount', ['--bind', '-o', 'ro', dir, ro], { stdio: 'ignore' });
    mounted.push(ro);
    writeFileSync(join(ro, 'probe'), '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EROFS') return ro;
  }
  return '';
}

const full = tmpfs('full', 'size=64k');
if (full !== undefined) {
  writeFileSync(join(full, 'previous.csv'), 'previous\n', { mode: 0o600 });
  chmodSync(join(full, 'previous.csv'), 0o600);
  // Fill the rest: any further write fails with ENOSPC.
  try {
    writeFileSync(join(full, 'filler'), Buffer.alloc(1024 * 1024));
  } catch {
    // ENOSPC is what was wanted.
  }
}
const readOnly = readOnlyFolder();

describe('--out onto a path that cannot be written', () => {
  it.skipIf(full === undefined)(
    'a full disk: one line, exit 3, the previous file byte-identical with its mode, no temporary file',
    async () => {
      const dir = full!;
      for (const [args, target, what] of [
        [['run', 'nps', '--format', 'csv'], 'previous.csv', 'the previous file is unchanged'],
        [['run', 'nps', '--format', 'json'], 'new.json', 'no file was created'],
        [['report'], 'previous.csv', 'the previous file is unchanged'],
      ] as const) {
        const r = await kpic(project.dir, [...args, '--out', join(dir, target)]);
        expect(r.code, args.join(' ')).toBe(3);
        expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
          `error: cannot write ${join(dir, target)}: ENOSPC (no space left on the device); ${what}`,
        ]);
        expect(r.stderr).not.toContain('internal error');
        expect(r.stderr).not.toMatch(STACK_FRAME);
        expect(r.stdout).toBe('');
        expect(readFileSync(join(dir, 'previous.csv'), 'utf8')).toBe('previous\n');
        expect(statSync(join(dir, 'previous.csv')).mode & 0o7777).toBe(0o600);
        expect(readdirSync(dir).sort()).toEqual(['filler', 'previous.csv']);
      }
      const docs = await kpic(project.dir, ['docs', '--out', join(dir, 'site')]);
      expect(docs.code).toBe(3);
      expect(docs.stderr.trim()).toBe(
        `error: cannot write ${join(dir, 'site')}: ENOSPC (no space left on the device); no catalog was created`,
      );
      expect(readdirSync(dir).sort()).toEqual(['filler', 'previous.csv']);
    },
  );

  it.skipIf(readOnly === '')(
    'a read-only folder: refused before the query runs (exit 2), nothing changed',
    async () => {
      const r = await kpic(project.dir, ['run', 'nps', '--format', 'csv', '--out', join(readOnly, 'previous.csv')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: --out ${join(readOnly, 'previous.csv')}: cannot write in the folder ${readOnly}: (EACCES \\(permission denied\\)|EROFS \\(the file system is read-only\\))\nhint: `,
        ),
      );
      expect(r.stderr).not.toContain('internal error');
      expect(readFileSync(join(readOnly, 'previous.csv'), 'utf8')).toBe('previous\n');
      expect(statSync(join(readOnly, 'previous.csv')).mode & 0o7777).toBe(0o640);
      expect(readdirSync(readOnly)).toEqual(['previous.csv']);
      // report writes at the end: the same failure, as one line with exit 3.
      const report = await kpic(project.dir, ['report', '--out', join(readOnly, 'previous.csv')]);
      expect(report.code).toBe(3);
      expect(report.stderr).toMatch(
        /^error: cannot write .*previous\.csv: E(ACCES|ROFS) \(.*\); the previous file is unchanged\n$/,
      );
      expect(readFileSync(join(readOnly, 'previous.csv'), 'utf8')).toBe('previous\n');
    },
  );

  it('a missing folder: refused before the query runs (exit 2)', async () => {
    const target = join(scratch, 'no', 'such', 'r.csv');
    const r = await kpic(project.dir, ['run', 'nps', '--out', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --out ${target}: the folder ${join(scratch, 'no', 'such')} does not exist\n`);
    expect(existsSync(join(scratch, 'no'))).toBe(false);
  });
});
