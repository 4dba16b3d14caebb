// Running the real CLI in a child process, as a user would.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const BIN = resolve(import.meta.dirname, '../../runtime/cli/bin.js');
export const TEMPLATE = resolve(import.meta.dirname, '../../runtime/cli/template');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `kpic ...args` in `cwd`; `onSpawn` may signal the child. */
export function kpic(
  cwd: string,
  args: readonly string[],
  options: { env?: Record<string, string>; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
    delete env['KPIC_DEBUG'];
    if (options.env?.['KPIC_DEBUG']) env['KPIC_DEBUG'] = options.env['KPIC_DEBUG'];
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** A temporary copy of the `kpic init` template (the customers and surveys project). */
export function copyTemplate(prefix = 'kpic-cli-'): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  cpSync(TEMPLATE, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Create a DuckDB file with `statements` run in a writable instance. */
export async function createDatabase(path: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  for (const sql of statements) await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

/** A stack frame in output: what a user must never see. */
export const STACK_FRAME = /\n\s+at .+(\.ts|\.js|node:internal)/;
