// The engine's answers kept between commands (runtime/cache/answers.ts):
// found again while the files stay the same, asked again when a file changes
// (even with the same size), never stored for a file changed a moment ago,
// and never taken from a folder someone else could have written.

import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnswerCache, SETTLE_MS } from '../../runtime/cache/answers.ts';
import { runQuery } from '../../runtime/execute.ts';
import { openProject } from '../../runtime/project/open.ts';
import { kpic } from '../cli/helpers.ts';
import { makeTempDir } from './helpers.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  dimension tier
}

source orders from "orders.csv" {
  key order_id
  customer customer_id
  check order_id != 99 as not_test_order
  measure order_count = count()
}

kpi orders_per_tier {
  owner "sales"
  numerator order_count
  segment by tier
}
`;

// Two spellings of the same length: DuckDB reads the first `tier` as BIGINT, the second as VARCHAR.
const NUMERIC_TIERS = 'customer_id,tier\n1,11\n2,22\n';
const NAMED_TIERS = 'customer_id,tier\n1,ab\n2,cd\n';
const ORDERS = 'order_id,customer_id\n10,1\n11,1\n12,2\n';

let temp: ReturnType<typeof makeTempDir>;
let cacheDir: string;
let data: string;
const saved = { dir: process.env['KPIC_CACHE_DIR'], off: process.env['KPIC_CACHE'] };

/** Wait until files written now count as settled. */
const settle = () => sleep(SETTLE_MS + 300);

async function tierType(): Promise<string | undefined> {
  const project = await openProject({ projectDir: temp.dir });
  try {
    return project.model.sources.get('customers')?.columns.get('tier')?.sqlType;
  } finally {
    await project.close();
  }
}

const entries = () => readdirSync(join(cacheDir, 'answers')).filter((f) => f.endsWith('.json'));

/** The kept descriptions of files: a CSV file's `sniff_csv` (its dialect and columns), another's DESCRIBE (other checks of the data keep answers too). */
const describes = () =>
  entries().filter((name) => {
    const { statement } = JSON.parse(readFileSync(join(cacheDir, 'answers', name), 'utf8')) as { statement: string };
    return statement.startsWith('describe ') || statement.includes(' from sniff_csv(');
  });

beforeAll(() => {
  temp = makeTempDir('kpic-answers-');
  cacheDir = join(temp.dir, 'cache');
  data = join(temp.dir, 'project', 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(temp.dir, 'project', 'kpic.yaml'), 'name: t\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
  writeFileSync(join(temp.dir, 'project', 'model.kpi'), MODEL);
  temp = { ...temp, dir: join(temp.dir, 'project'), cleanup: temp.cleanup };
  process.env['KPIC_CACHE_DIR'] = cacheDir;
  delete process.env['KPIC_CACHE'];
});

afterAll(() => {
  if (saved.dir === undefined) delete process.env['KPIC_CACHE_DIR'];
  else process.env['KPIC_CACHE_DIR'] = saved.dir;
  if (saved.off !== undefined) process.env['KPIC_CACHE'] = saved.off;
  temp?.cleanup();
});

describe('kept answers', () => {
  it('are not stored for files changed a moment ago', async () => {
    writeFileSync(join(data, 'customers.csv'), NUMERIC_TIERS);
    writeFileSync(join(data, 'orders.csv'), ORDERS);
    expect(await tierType()).toBe('BIGINT');
    expect(entries()).toEqual([]);
  });

  it('are stored once the files settled, and found again', async () => {
    await settle();
    expect(await tierType()).toBe('BIGINT');
    // Per relation (two CSV files): one sniff (dialect and columns), and one reading through the reject tables
    // (malformed rows, runtime/project/malformed-rows.ts).
    expect(entries()).toHaveLength(4);
    expect(describes()).toHaveLength(2);
    // Found again: an answer edited in the user's own folder is what the next command believes
    // (this is why the folder must be the user's alone; see the last test).
    plantTierType('DATE');
    expect(await tierType()).toBe('DATE');
  });

  it('are asked again when a file changes, even to the same size', async () => {
    writeFileSync(join(data, 'customers.csv'), NAMED_TIERS);
    expect(NAMED_TIERS.length).toBe(NUMERIC_TIERS.length);
    expect(await tierType()).toBe('VARCHAR');
    await settle();
    expect(await tierType()).toBe('VARCHAR');
  });

  it('keep "this key is unique" only while the target file stays the same', async () => {
    const run = async () => {
      const project = await openProject({ projectDir: temp.dir });
      try {
        const result = await runQuery(project, { kpi: 'orders_per_tier', grain: 'none' });
        return {
          rows: result.value?.rows.map((r) => [r[0], Number(r[1])]),
          codes: result.diagnostics.map((d) => d.code),
        };
      } finally {
        await project.close();
      }
    };
    // By hand: customer 1 (ab) has orders 10 and 11, customer 2 (cd) order 12.
    expect(await run()).toEqual({
      rows: [
        ['ab', 2],
        ['cd', 1],
      ],
      codes: [],
    });
    const before = entries().length;
    expect(await run()).toEqual({
      rows: [
        ['ab', 2],
        ['cd', 1],
      ],
      codes: [],
    });
    expect(entries().length).toBe(before);
    // Customer 2 now appears twice (same file size as before): the kept "unique" must not hide it.
    const duplicated = 'customer_id,tier\n2,ab\n2,cd\n';
    expect(duplicated.length).toBe(NAMED_TIERS.length);
    writeFileSync(join(data, 'customers.csv'), duplicated);
    await settle();
    expect((await run()).codes).toContain('non-unique-key');
  });

  it('keep the rows a check excludes while no data file changes', async () => {
    writeFileSync(join(data, 'customers.csv'), NAMED_TIERS);
    const excluded = async () => {
      const project = await openProject({ projectDir: temp.dir });
      try {
        const result = await runQuery(project, { kpi: 'orders_per_tier', grain: 'none' });
        return result.value?.excluded.map((e) => `${e.source}.${e.check}: ${e.excluded}`);
      } finally {
        await project.close();
      }
    };
    writeFileSync(join(data, 'orders.csv'), `${ORDERS}99,1\n`);
    await settle();
    // By hand: one order (99) fails the check.
    expect(await excluded()).toEqual(['orders.not_test_order: 1']);
    const before = entries().length;
    expect(await excluded()).toEqual(['orders.not_test_order: 1']);
    expect(entries().length).toBe(before);
    // Same size, two test orders now.
    writeFileSync(join(data, 'orders.csv'), `${ORDERS}99,1\n`.replace('12,2', '99,2'));
    expect(await excluded()).toEqual(['orders.not_test_order: 2']);
  });

  it("keep check's verdict on a KPI's SQL prepared against empty relations", async () => {
    const check = () => kpic(temp.dir, ['check'], { env: { KPIC_CACHE_DIR: cacheDir } });
    const first = await check();
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout).toBe(0);
    const verdicts = () =>
      entries().filter((name) => {
        const entry = JSON.parse(readFileSync(join(cacheDir, 'answers', name), 'utf8'));
        return entry.files.length === 0 && 'problem' in entry.answer;
      });
    // The KPI's query and its check report, each a statement that reads no file.
    expect(verdicts()).toHaveLength(2);
    const second = await check();
    expect(second.stdout).toBe(first.stdout);
    // Kept: a verdict edited in the user's own folder is what check reports.
    for (const name of verdicts()) {
      const path = join(cacheDir, 'answers', name);
      const entry = JSON.parse(readFileSync(path, 'utf8'));
      writeFileSync(path, JSON.stringify({ ...entry, answer: { problem: 'planted verdict' } }));
    }
    const planted = await check();
    expect(planted.code).toBe(1);
    expect(planted.stdout.replace(/\s+/g, ' ')).toContain('does not prepare on DuckDB: planted verdict');
  });

  it('keep a verdict of preparing a statement that reads the clock, never a result of running it', () => {
    const cache = openAnswerCache('duckdb test', { KPIC_CACHE_DIR: cacheDir })!;
    const statement = 'select current_date as today';
    cache.lookup(statement, []).store([['2026-12-05']]);
    expect(cache.lookup(statement, []).answer).toBeUndefined();
    expect(cache.lookup(statement, [], { prepared: true }).answer).toBeUndefined();
    cache.lookup(statement, [], { prepared: true }).store({ problem: null });
    expect(cache.lookup(statement, [], { prepared: true }).answer).toEqual({ problem: null });
    // The verdict is not taken for a result of running the same text.
    expect(cache.lookup(statement, []).answer).toBeUndefined();
    const plain = 'select 1 as one';
    cache.lookup(plain, [], { prepared: true }).store({ problem: null });
    expect(cache.lookup(plain, []).answer).toBeUndefined();
    cache.lookup(plain, []).store([['1']]);
    expect(cache.lookup(plain, []).answer).toEqual([['1']]);
    expect(cache.lookup(plain, [], { prepared: true }).answer).toEqual({ problem: null });
  });

  it("keep check's verdict on a KPI's SQL that mentions current_date (a term still running ends today)", async () => {
    const own = makeTempDir('kpic-answers-clock-');
    try {
      const dir = join(own.dir, 'project');
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(join(dir, 'kpic.yaml'), 'name: t\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
      writeFileSync(join(dir, 'data', 'customers.csv'), 'customer_id,tier\n1,a\n2,b\n');
      writeFileSync(
        join(dir, 'data', 'terms.csv'),
        'term_id,customer_id,started_at,ended_at\n1,1,2024-01-01,2024-03-01\n2,2,2024-02-01,\n',
      );
      writeFileSync(
        join(dir, 'model.kpi'),
        `customer customers from "customers.csv" {
  key customer_id
  dimension tier
}

source terms from "terms.csv" {
  key term_id
  customer customer_id
  valid from started_at to ended_at
  measure customers_at_start = count_distinct(customer_id) at period start
}

kpi customers_at_start {
  owner "cs"
  numerator customers_at_start
  grain month
}
`,
      );
      // A cache folder of its own: the other tests count the entries of theirs.
      const ownCache = join(own.dir, 'cache');
      const env = { KPIC_CACHE_DIR: ownCache };
      const compiled = await kpic(dir, ['compile', 'customers_at_start'], { env });
      expect(compiled.stdout).toMatch(/current_date/i);
      const clockVerdicts = () =>
        readdirSync(join(ownCache, 'answers'))
          .filter((name) => name.endsWith('.json'))
          .filter((name) => {
            const entry = JSON.parse(readFileSync(join(ownCache, 'answers', name), 'utf8'));
            return entry.files.length === 0 && 'problem' in entry.answer && /current_date/i.test(entry.statement);
          });
      await settle();
      const first = await kpic(dir, ['check'], { env });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const kept = clockVerdicts();
      expect(kept.length).toBeGreaterThan(0);
      // The kept verdict is what the next check reports: planted, it shows.
      for (const name of kept) {
        const path = join(ownCache, 'answers', name);
        const entry = JSON.parse(readFileSync(path, 'utf8'));
        writeFileSync(path, JSON.stringify({ ...entry, answer: { problem: 'planted verdict' } }));
      }
      const planted = await kpic(dir, ['check'], { env });
      expect(planted.code).toBe(1);
      expect(planted.stdout.replace(/\s+/g, ' ')).toContain('does not prepare on DuckDB: planted verdict');
    } finally {
      own.cleanup();
    }
  });

  it('are never taken from a folder others may write in, or an entry someone else owns', async () => {
    writeFileSync(join(data, 'customers.csv'), NAMED_TIERS);
    await settle();
    expect(await tierType()).toBe('VARCHAR');
    plantTierType('DATE');
    expect(await tierType()).toBe('DATE');
    chmodSync(join(cacheDir, 'answers'), 0o777);
    try {
      expect(await tierType()).toBe('VARCHAR');
    } finally {
      chmodSync(join(cacheDir, 'answers'), 0o700);
    }
    expect(await tierType()).toBe('DATE');
    if (process.getuid?.() === 0) {
      for (const name of entries()) chownSync(join(cacheDir, 'answers', name), 65534, 65534);
      expect(await tierType()).toBe('VARCHAR');
    }
  });

  it('are off with KPIC_CACHE=off, and without a usable folder', () => {
    expect(openAnswerCache('duckdb test', { KPIC_CACHE: 'off', KPIC_CACHE_DIR: cacheDir })).toBeUndefined();
    expect(openAnswerCache('duckdb test', { KPIC_CACHE_DIR: 'relative/folder' })).toBeUndefined();
    const file = join(temp.dir, 'not-a-folder');
    writeFileSync(file, '');
    expect(openAnswerCache('duckdb test', { KPIC_CACHE_DIR: file })).toBeUndefined();
    expect(openAnswerCache('duckdb test', { KPIC_CACHE_DIR: cacheDir })).toBeDefined();
  });
});

/** Rewrite every kept description of customers.csv to claim `tier` has `type`. */
function plantTierType(type: string): void {
  let planted = 0;
  for (const name of describes()) {
    const path = join(cacheDir, 'answers', name);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as {
      statement: string;
      answer: { columns?: { name: string; sqlType: string }[] };
    };
    if (!entry.statement.includes('customers.csv') || !Array.isArray(entry.answer.columns)) continue;
    entry.answer.columns = entry.answer.columns.map((c) => (c.name === 'tier' ? { ...c, sqlType: type } : c));
    writeFileSync(path, JSON.stringify(entry));
    planted++;
  }
  expect(planted).toBe(1);
}
