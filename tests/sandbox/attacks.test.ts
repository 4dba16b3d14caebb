// Attacks on what kpic reads, as a user sees them through the CLI: files that
// are not regular files, files over the size limit, and configuration
// values outside the engine's bounds.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { leaks, readDiagnostics, runKpic } from '../hostile/cli.ts';

const LIMIT_MS = 300_000;
const bases: string[] = [];

function project(yaml = 'metrics: ["*.kpi"]\ndata:\n  root: data\n'): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-attack-')));
  bases.push(base);
  mkdirSync(join(base, 'data'));
  writeFileSync(join(base, 'data', 'customers.csv'), 'customer_id\n1\n');
  writeFileSync(join(base, 'kpic.yaml'), yaml);
  writeFileSync(join(base, 'model.kpi'), 'customer c from "customers.csv" {\n  key customer_id\n}\n');
  return base;
}

afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

async function kpic(dir: string, args: readonly string[]) {
  const run = await runKpic(dir, args, LIMIT_MS);
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.timedOut, output).toBe(false);
  expect(leaks(output), output).toEqual([]);
  return { ...run, output, diagnostics: readDiagnostics(output) };
}

describe('files that are not what they seem', () => {
  it('a .kpi FIFO, a link to /dev/zero and a 2.2 GB sparse file are refused, and the process ends', {
    timeout: LIMIT_MS * 2,
  }, async () => {
    const dir = project();
    const fifo = spawnSync('mkfifo', [join(dir, 'pipe.kpi')]);
    expect(fifo.status).toBe(0);
    symlinkSync('/dev/zero', join(dir, 'zero.kpi'));
    // Sparse: 2.2 GB long, no disk used; over Node's 2 GiB read limit as well as kpic's 1 MiB.
    writeFileSync(join(dir, 'big.kpi'), '');
    spawnSync('truncate', ['-s', '2200M', join(dir, 'big.kpi')]);
    const run = await kpic(dir, ['lint', 'pipe.kpi', 'zero.kpi', 'big.kpi']);
    const found = run.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`).sort();
    expect(found, run.output).toEqual([
      'big.kpi:1:1 file-too-large',
      'pipe.kpi:1:1 file-unreadable',
      'zero.kpi:1:1 unsafe-path',
    ]);
    expect(run.output).toMatch(/2306867200 bytes long/);
    expect(run.output).toMatch(/named pipe/);
    expect(run.code).toBe(1);
  });

  it('a data file that is a FIFO is refused before the engine would block on it', {
    timeout: LIMIT_MS * 2,
  }, async () => {
    const dir = project();
    expect(spawnSync('mkfifo', [join(dir, 'data', 'events.csv')]).status).toBe(0);
    writeFileSync(join(dir, 'events.kpi'), 'source events from "events.csv" {\n  key id\n  customer customer_id\n}\n');
    const run = await kpic(dir, ['check']);
    expect(
      run.diagnostics.find((d) => d.code === 'source-unreadable' && d.file === 'events.kpi')?.block,
      run.output,
    ).toMatch(/not a regular file/);
    expect(run.code).toBe(1);
  });
});

describe('kpic.yaml values checked against the engine', () => {
  const cases: readonly [string, string, number, RegExp][] = [
    ['data:\n  threads: 3000000000\n', 'threads', 2, /from 1 to 1024/],
    ['data:\n  threads: 0\n', 'threads zero', 2, /from 1 to 1024/],
    ['data:\n  memory_limit: 1KB\n', 'memory too small', 2, /from `64MB` to `1000TB`/],
    ['data:\n  memory_limit: 100PB\n', 'memory unit the engine refuses', 2, /from `64MB` to `1000TB`/],
    ['data:\n  memory_limit: "80%"\n', 'memory as a percentage', 2, /from `64MB` to `1000TB`/],
    ['timezone: "+01:00"\n', 'offset as a zone', 1, /Etc\/GMT-1/],
    ['timezone: UTC+1\n', 'UTC offset as a zone', 1, /Etc\/GMT-1/],
  ];

  it('the engine itself fails on these values (so they must be caught before it)', async () => {
    await expect(DuckDBInstance.create(':memory:', { threads: '3000000000' })).rejects.toThrow(/INTERNAL Error/);
    await expect(DuckDBInstance.create(':memory:', { memory_limit: '100PB' })).rejects.toThrow();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await expect(connection.run(`SET TimeZone = '+01:00'`)).rejects.toThrow(/Unknown TimeZone/);
    connection.closeSync();
    instance.closeSync();
  });

  for (const [yaml, name, line, text] of cases) {
    it(`${name}: config-invalid-value at its line, exit 2, no stack trace`, { timeout: LIMIT_MS * 2 }, async () => {
      const dir = project(`metrics: ["*.kpi"]\n${yaml}`);
      const run = await kpic(dir, ['check']);
      const found = run.diagnostics.find((d) => d.code === 'config-invalid-value' && d.file === 'kpic.yaml');
      expect(found?.line, run.output).toBe(line + 1);
      expect(found?.block).toMatch(text);
      expect(run.code).toBe(2);
    });
  }
});
