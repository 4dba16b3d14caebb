// Temporary kpic projects in temporary git repositories, driven through the real CLI.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEMPLATE } from '../cli/helpers.ts';

export { kpic } from '../cli/helpers.ts';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'kpic test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'kpic test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Run git in `cwd`; its stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
  });
}

export interface Repo {
  /** The repository's top folder. */
  readonly dir: string;
  /** The kpic project's folder (the top, or `sub` under it). */
  readonly project: string;
  write(path: string, text: string): void;
  commit(message: string): void;
  cleanup(): void;
}

/** A git repository holding a copy of the `kpic init` template (at `sub` when given), committed. */
export function templateRepo(sub?: string): Repo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-workflow-')));
  const project = sub ? join(dir, sub) : dir;
  cpSync(TEMPLATE, project, { recursive: true });
  git(dir, 'init', '-q');
  const repo: Repo = {
    dir,
    project,
    write: (path, text) => {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    },
    commit: (message) => {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', message);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  repo.commit('the init template');
  return repo;
}
