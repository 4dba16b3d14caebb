// The version history of a metric file from git: the commits that changed
// it, newest first. Only `git log` runs (read-only), with the path after
// `--`, so no file name is ever read as an option. Outside a repository, or
// without git, there is no history and the page says nothing about it.

import { spawnSync } from 'node:child_process';

export interface HistoryEntry {
  readonly commit: string;
  readonly date: string;
  readonly author: string;
  readonly subject: string;
}

/** How many commits a KPI page lists. */
export const HISTORY_LIMIT = 15;

/** The commits that changed `file` (relative to `root`), newest first; empty when git cannot tell. */
export function fileHistory(root: string, file: string): HistoryEntry[] {
  const result = spawnSync(
    'git',
    ['log', '--follow', `-n${HISTORY_LIMIT}`, '--date=short', '--format=%h%x1f%ad%x1f%an%x1f%s', '--', file],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
  );
  if (result.error || result.status !== 0) return [];
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [commit = '', date = '', author = '', subject = ''] = line.split('\x1f');
      return { commit, date, author, subject };
    });
}
