// Running `kpic` as a user does, and reading its diagnostics back.

import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../runtime/cli/bin.js');

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

/**
 * At most this many kpic processes at once in one test file: the machine has
 * two cores, and CI shares them with other work. The wait for a slot does
 * not count towards a run's own limit.
 */
export const MAX_PARALLEL_RUNS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_PARALLEL_RUNS) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * `kpic ...args` in `cwd` with Node 24 (the test's own binary); killed after
 * `timeoutMs`, a limit meant to catch a real hang, never a slow machine.
 */
export async function runKpic(
  cwd: string,
  args: readonly string[],
  timeoutMs: number,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<Run> {
  const release = await slot();
  try {
    return await spawnKpic(cwd, args, timeoutMs, extraEnv);
  } finally {
    release();
  }
}

function spawnKpic(
  cwd: string,
  args: readonly string[],
  timeoutMs: number,
  extraEnv: Readonly<Record<string, string>>,
): Promise<Run> {
  return new Promise((done, fail) => {
    // The compile cache only saves V8 work between runs; the CLI runs as shipped.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      NODE_COMPILE_CACHE: join(tmpdir(), 'kpic-test-compile-cache'),
      ...extraEnv,
    };
    delete env['KPIC_DEBUG'];
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

export interface PrintedDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly code: string;
  /** The header and every line under it up to the blank line. */
  readonly block: string;
}

const HEADER = /^(\S.*?):(\d+):(\d+) (error|warn|info) ([a-z0-9-]+)$/;

/** The diagnostics printed in `text` (the CLI's pretty format). */
export function readDiagnostics(text: string): PrintedDiagnostic[] {
  const lines = text.split(/\r?\n/);
  const found: PrintedDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = HEADER.exec(lines[i]!);
    if (!match) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '' && !HEADER.test(lines[end]!)) end++;
    found.push({
      file: match[1]!,
      line: Number(match[2]),
      column: Number(match[3]),
      severity: match[4]!,
      code: match[5]!,
      block: lines.slice(i, end).join('\n'),
    });
  }
  return found;
}

/** What a user must never see: stack frames, raw exception dumps, internal errors. */
export function leaks(text: string): string[] {
  const problems: string[] = [];
  const frame = /^\s+at \S.*(\(.*:\d+:\d+\)|:\d+:\d+)$/m.exec(text);
  if (frame) problems.push(`stack frame: ${frame[0].trim()}`);
  const dump = /^[A-Za-z]*Error: .*/m.exec(text);
  if (dump) problems.push(`exception dump: ${dump[0]}`);
  if (/internal error|internal-error/.test(text)) problems.push('an internal error was reported');
  return problems;
}
