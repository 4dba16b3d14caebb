// Running the example of a page of docs/errors/ as a user would.
//
// A page's "## Example" section is a small script, read in order:
//   - a fenced block whose info string has `file=PATH` (```kpi file=metrics/a.kpi)
//     writes that file into the project (replacing it when it exists);
//   - a ```console block runs its `$ ` lines: `$ kpic ...` runs the real CLI,
//     any other `$ ` line runs in a shell (git, rm); the other lines of the
//     block are the output expected of the last command, each line found in
//     its stdout or stderr.
// The project starts as what `kpic init` writes (the customers and surveys
// template with its data), so an example shows only what differs.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CliResult, copyTemplate, kpic } from '../cli/helpers.ts';

export type Step =
  | { readonly kind: 'file'; readonly path: string; readonly text: string }
  | { readonly kind: 'run'; readonly command: string; readonly expected: readonly string[] };

/** The steps of the "## Example" section of a page; none when it has no such section. */
export function exampleSteps(page: string): Step[] {
  const start = page.indexOf('\n## Example\n');
  if (start === -1) return [];
  const rest = page.slice(start + 1);
  const next = rest.indexOf('\n## ', 1);
  const section = next === -1 ? rest : rest.slice(0, next);
  const steps: Step[] = [];
  for (const block of section.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const info = block[1]!.trim();
    const body = block[2]!;
    const file = /(?:^|\s)file=(\S+)/.exec(info);
    if (file) {
      steps.push({ kind: 'file', path: file[1]!, text: body });
      continue;
    }
    if (info !== 'console') continue;
    let current: { command: string; expected: string[] } | undefined;
    for (const line of body.split('\n')) {
      if (line.startsWith('$ ')) {
        if (current) steps.push({ kind: 'run', ...current });
        current = { command: line.slice(2), expected: [] };
      } else if (current && line.trim() !== '') current.expected.push(line);
    }
    if (current) steps.push({ kind: 'run', ...current });
  }
  return steps;
}

export interface ExampleRun {
  /** The output of the last command. */
  readonly last: CliResult;
  /** The expected lines of the last command. */
  readonly expected: readonly string[];
  /** Expected lines that were not found in the output of their command. */
  readonly missing: readonly string[];
}

/** Run the steps in a fresh copy of the template project. */
export async function runExample(steps: readonly Step[]): Promise<ExampleRun> {
  const project = copyTemplate('kpic-errors-');
  try {
    let last: CliResult = { code: null, signal: null, stdout: '', stderr: '' };
    let expected: readonly string[] = [];
    const missing: string[] = [];
    for (const step of steps) {
      if (step.kind === 'file') {
        const path = join(project.dir, step.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, step.text);
        continue;
      }
      last = step.command.startsWith('kpic ')
        ? await kpic(project.dir, splitArgs(step.command.slice('kpic '.length)), { env: { COLUMNS: '200' } })
        : await shell(project.dir, step.command);
      expected = step.expected;
      const output = `${last.stdout}\n${last.stderr}`;
      for (const line of step.expected) if (!output.includes(line.trim())) missing.push(line);
    }
    return { last, expected, missing };
  } finally {
    project.cleanup();
  }
}

/** Words separated by spaces; '...' and "..." group words. */
function splitArgs(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function shell(cwd: string, command: string): Promise<CliResult> {
  return new Promise((done, fail) => {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'kpic',
      GIT_AUTHOR_EMAIL: 'kpic@example.org',
      GIT_COMMITTER_NAME: 'kpic',
      GIT_COMMITTER_EMAIL: 'kpic@example.org',
    };
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}
