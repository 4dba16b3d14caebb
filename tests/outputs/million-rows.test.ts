// A million-row result through the CLI, in every format, with bounded memory.
//
// The project (bench/per-customer-project.ts) has a KPI evaluated per
// customer: customer i's row is (i, 1, 1, 100, ok, true) when i mod 11 is 9
// or 10, else (i, 0, 1, 0, critical, false). Every row printed is checked
// against that rule, worked out here from i alone.
//
// Memory: kpic's peak RSS for the full result in a format is compared with
// its peak for the same query cut to one row (`--limit 1`: the engine
// groups and orders every customer all the same, then kpic reads one chunk
// and writes one row). Holding the result or the text whole, as kpic did,
// peaked over 1,300 MiB at a million rows, about 1,000 MiB above that
// baseline; streaming adds at most a constant (the rows read and converted
// chunk by chunk, a box of the table, buffers, garbage not yet collected).

import { spawn } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { perCustomerProject } from '../../bench/per-customer-project.ts';
import { BIN, STACK_FRAME } from '../cli/helpers.ts';

const ROWS = 1_000_000;
/** What streaming may add to the peak over the one-row run, whatever the number of rows. */
const ALLOWANCE_KIB = 320 * 1024;
const PRELOAD = resolve(import.meta.dirname, '../support/max-rss.ts');

const dir = mkdtempSync(join(tmpdir(), 'kpic-million-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const project = join(dir, 'project');
perCustomerProject(project, ROWS);
// One engine thread and a fixed memory limit: the engine's own peak then varies little between runs.
const config = join(project, 'kpic.yaml');
writeFileSync(
  config,
  readFileSync(config, 'utf8').replace(/^ {2}root: data.*$/m, '  root: data\n  threads: 1\n  memory_limit: 256MB'),
);

/** `kpic run promoter_flag ...args` with stdout to a file; the exit code, stderr and the peak RSS in KiB. */
function run(
  args: readonly string[],
  stdout: string,
): Promise<{ code: number | null; stderr: string; rssKiB: number }> {
  const rssFile = join(dir, 'rss');
  rmSync(rssFile, { force: true });
  const fd = openSync(stdout, 'w');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, 'run', 'promoter_flag', ...args], {
      cwd: project,
      env: { ...process.env, NO_COLOR: '1', KPIC_MAX_RSS_FILE: rssFile },
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => {
      closeSync(fd);
      done({ code, stderr, rssKiB: Number(readFileSync(rssFile, 'utf8')) });
    });
  });
}

/** Customer i's fields as every format must show them (the display text of the table and markdown too). */
function expected(i: number): string[] {
  const promoter = i % 11 >= 9;
  return [String(i), promoter ? '1' : '0', '1', promoter ? '100' : '0', promoter ? 'ok' : 'critical', String(promoter)];
}

/** Each line of the file, in order, without holding the file. */
async function eachLine(path: string, check: (line: string, n: number) => void): Promise<number> {
  let n = 0;
  for await (const line of createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  }))
    check(line, n++);
  return n;
}

describe(`a result of ${ROWS.toLocaleString('en-US')} rows`, () => {
  let baselineKiB = 0;

  it('the one-row baseline runs', async () => {
    const r = await run(['--format', 'csv', '--limit', '1'], join(dir, 'one.csv'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'one.csv'), 'utf8')).toBe(
      'customer_id,numerator,denominator,value,status,target_met\r\n1,0,1,0,critical,false\r\n',
    );
    baselineKiB = r.rssKiB;
    expect(baselineKiB).toBeGreaterThan(0);
  }, 600_000);

  const formats: Record<string, (path: string) => Promise<void>> = {
    csv: async (path) => {
      const lines = await eachLine(path, (line, n) => {
        if (n === 0) expect(line).toBe('customer_id,numerator,denominator,value,status,target_met');
        else if (line !== '') expect(line.split(','), `row ${n}`).toEqual(expected(n));
      });
      expect(lines).toBe(ROWS + 1);
    },
    json: async (path) => {
      // A valid JSON array, one object a line: `[`, `  {...},`, ..., `  {...}`, `]`.
      const lines = await eachLine(path, (line, n) => {
        if (n === 0) return expect(line).toBe('[');
        if (n === ROWS + 1) return expect(line).toBe(']');
        expect(line.endsWith(',')).toBe(n < ROWS);
        const row = JSON.parse(line.replace(/,$/, '')) as Record<string, unknown>;
        const [id, numerator, denominator, value, status, met] = expected(n);
        expect(row, `row ${n}`).toEqual({
          customer_id: Number(id),
          numerator: Number(numerator),
          denominator: Number(denominator),
          value: Number(value),
          status,
          target_met: met === 'true',
        });
      });
      expect(lines).toBe(ROWS + 2);
    },
    table: async (path) => {
      let rows = 0;
      let boxes = 0;
      await eachLine(path, (line) => {
        if (line.startsWith('┌')) boxes += 1;
        if (!/^│ +\d/.test(line)) return;
        rows += 1;
        expect(
          line
            .split('│')
            .slice(1, -1)
            .map((f) => f.trim()),
          `row ${rows}`,
        ).toEqual(expected(rows));
      });
      expect(rows).toBe(ROWS);
      expect(boxes).toBe(ROWS / 1000);
    },
    markdown: async (path) => {
      const lines = await eachLine(path, (line, n) => {
        if (n === 0) expect(line).toBe('| customer_id | numerator | denominator | value | status | target_met |');
        else if (n === 1) expect(line).toBe('| ---: | ---: | ---: | ---: | --- | --- |');
        else if (line !== '')
          expect(
            line
              .split('|')
              .slice(1, -1)
              .map((f) => f.trim()),
            `row ${n - 1}`,
          ).toEqual(expected(n - 1));
      });
      expect(lines).toBe(ROWS + 2);
    },
  };

  for (const [format, check] of Object.entries(formats)) {
    it(`prints in ${format}: every row as worked out by hand, peak memory within the one-row run's plus a constant`, async () => {
      const out = join(dir, `result.${format}`);
      const r = await run(['--format', format], out);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code).toBe(0);
      if (format === 'table' || format === 'markdown')
        expect(r.stderr).toContain(`note: ${ROWS} rows; for a result this large use --format csv`);
      await check(out);
      expect(r.rssKiB, `peak ${r.rssKiB} KiB against the one-row run's ${baselineKiB} KiB`).toBeLessThan(
        baselineKiB + ALLOWANCE_KIB,
      );
      rmSync(out);
    }, 900_000);
  }

  it('--out writes the same csv to a file, atomically', async () => {
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'previous\n');
    const r = await run(['--format', 'csv', '--out', target], join(dir, 'stdout'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'stdout'), 'utf8')).toBe('');
    const lines = await eachLine(target, (line, n) => {
      if (n > 0 && line !== '') expect(line.split(','), `row ${n}`).toEqual(expected(n));
    });
    expect(lines).toBe(ROWS + 1);
    expect(r.rssKiB).toBeLessThan(baselineKiB + ALLOWANCE_KIB);
  }, 900_000);
});
