// Starting `kpic serve` as a user would (a child process on 127.0.0.1 and a
// free port) and calling it.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN } from '../cli/helpers.ts';

export interface Served {
  readonly url: string;
  readonly port: number;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** `kpic --project DIR serve --port 0 ...args`, resolved once it listens. */
export function serve(
  project: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [BIN, '--project', project, 'serve', '--port', '0', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return new Promise((ready, fail) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /on http:\/\/127\.0\.0\.1:(\d+) /.exec(stderr);
      if (match) {
        const port = Number(match[1]);
        ready({
          url: `http://127.0.0.1:${port}`,
          port,
          stderr: () => stderr,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => fail(new Error(`kpic serve exited (${code}) before listening:\n${stderr}`)));
  });
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Poll `GET /health` until `ready` holds (no timing: the test's own timeout bounds it). */
export async function waitForHealth(
  url: string,
  ready: (stats: Record<string, number>) => boolean,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  for (;;) {
    const reply = await request(`${url}/health`, { headers });
    const stats = reply.body as Record<string, number>;
    if (ready(stats)) return stats;
    await new Promise((done) => setTimeout(done, 50));
  }
}
