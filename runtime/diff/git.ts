// Asking git about the metric files: what changed since a ref, and what a
// file held at a ref. Only read-only git commands run here (rev-parse, diff,
// ls-files, ls-tree, show): kpic never changes a repository's state.

import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../cli/errors.ts';
import { projectPath } from '../project/paths.ts';

/** Run git in `cwd`; the output, or the error text with `ok: false`. */
function git(cwd: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) return { ok: false, out: '', err: result.error.message };
  return { ok: result.status === 0, out: result.stdout, err: result.stderr.trim() };
}

/** The top folder of the git repository holding `dir`; a usage error outside one. */
export function repositoryTop(dir: string): string {
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    throw new UsageError(
      `${dir} is not inside a git repository (${top.err || 'git failed'})`,
      'run kpic from a clone of the repository that holds the metric files.',
    );
  }
  return realpathSync(top.out.trim());
}

/** The commit `ref` names; a usage error (exit 2) when it names none. */
export function verifyRef(dir: string, ref: string, flag: string): string {
  if (ref.startsWith('-')) throw new UsageError(`${flag} ${ref}: a git ref may not start with \`-\``);
  const commit = git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok || commit.out.trim() === '') {
    throw new UsageError(
      `${flag} ${ref}: not a commit in this repository`,
      'use a branch, tag or commit, e.g. `origin/main` (in CI, fetch it first: `git fetch origin main`).',
    );
  }
  return commit.out.trim();
}

/**
 * Project-relative paths of the files changed since `ref`: what `git diff
 * --name-only REF` lists (committed, staged and unstaged changes) plus the
 * untracked files that are not ignored.
 */
export function changedFilesSince(root: string, ref: string, flag = '--changed-since'): Set<string> {
  const top = repositoryTop(root);
  verifyRef(top, ref, flag);
  const changed = git(top, ['-c', 'core.quotepath=off', 'diff', '--name-only', '--no-renames', ref, '--']);
  if (!changed.ok) throw new UsageError(`${flag} ${ref}: git diff failed: ${changed.err}`);
  const untracked = git(top, ['-c', 'core.quotepath=off', 'ls-files', '--others', '--exclude-standard']);
  const realRoot = realpathSync(root);
  const paths = new Set<string>();
  for (const line of [...changed.out.split('\n'), ...(untracked.ok ? untracked.out.split('\n') : [])]) {
    if (line.trim() === '') continue;
    paths.add(projectPath(realRoot, join(top, line)));
  }
  return paths;
}

/** The schema snapshot's limit, the largest of the files read from a ref. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * The blobs of `ls-tree -r -z -l` output: path and size. Symbolic links
 * (mode 120000) are left out: their target is a path, never read, and the
 * working tree's reader refuses a link that leaves the project anyway.
 */
function treeFiles(listing: string): { path: string; size: number }[] {
  const files: { path: string; size: number }[] = [];
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, , size] = entry.slice(0, tab).split(/\s+/);
    if (type !== 'blob' || mode === '120000') continue;
    files.push({ path: entry.slice(tab + 1), size: Number(size) });
  }
  return files;
}

/**
 * Write the `.kpi` files and project files (`kpic.yaml`, `kpic.schema.json`)
 * of the repository at `ref` into `target`, keeping their paths, so the
 * project as it was can be read like any other. Returns the folder in
 * `target` that corresponds to `root`.
 */
export function checkoutDefinitions(root: string, ref: string, target: string, flag = '--base'): string {
  const top = repositoryTop(root);
  const commit = verifyRef(top, ref, flag);
  const listed = git(top, ['-c', 'core.quotepath=off', 'ls-tree', '-r', '-z', '-l', commit]);
  if (!listed.ok) throw new UsageError(`${flag} ${ref}: git ls-tree failed: ${listed.err}`);
  const wanted = treeFiles(listed.out).filter(
    ({ path }) => path.endsWith('.kpi') || /(^|\/)kpic\.(yaml|schema\.json)$/.test(path),
  );
  for (const { path, size } of wanted) {
    // The limit is checked on the object's size before it is read; a larger
    // file is written as a placeholder of limit + 1 bytes, which reading then
    // refuses with the size-limit diagnostic instead of holding it in memory.
    if (size > MAX_OBJECT_BYTES) {
      const destination = join(target, path);
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, Buffer.alloc(MAX_OBJECT_BYTES + 1, 0x20));
      continue;
    }
    const shown = spawnSync('git', ['cat-file', 'blob', `${commit}:${path}`], {
      cwd: top,
      maxBuffer: MAX_OBJECT_BYTES + 1024,
    });
    if (shown.status !== 0) continue; // a submodule entry or similar: nothing to read
    const destination = join(target, path);
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, shown.stdout);
  }
  const inside = relative(top, realpathSync(root));
  const folder = resolve(target, inside);
  mkdirSync(folder, { recursive: true });
  return folder;
}
