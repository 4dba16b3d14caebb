// Malformed rows of CSV data files, through the CLI: one diagnostic per file
// at its line and column (exit 3 from `run`), or, for a file listed in
// `data.skip_malformed_rows`, the rows skipped and counted. Every expected
// number is worked out by hand from the rows written below.

import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../runtime/project/open.ts';
import { queryRows } from '../../runtime/service/query.ts';
import { kpic, STACK_FRAME } from './helpers.ts';

const TIMEOUT = 240_000;

const CUSTOMERS = [
  'customer_id,signup_date,tier',
  '1,2024-01-03,gold',
  '2,2024-01-15,silver',
  '3,2024-02-20,silver',
  '4,2024-03-02,gold',
];
const HEADER = 'order_id,customer_id,ordered_at,amount';
const GOOD = [
  '10,1,2024-01-05 10:00:00,20.50',
  '11,1,2024-02-07 11:30:00,15.00',
  '12,2,2024-02-10 09:15:00,99.99',
  '13,3,2024-03-01 18:45:00,5.25',
];

const MODEL = `customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier
  measure signups = count()
}

source orders from "orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  measure revenue = sum(amount)
  measure order_count = count()
}

kpi revenue_per_customer {
  numerator revenue
  denominator signups
}

kpi orders_placed {
  numerator order_count
}
`;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(orders: string, options: { skip?: boolean } = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-malformed-')));
  made.push(dir);
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'kpic.yaml'),
    `name: malformed\nmetrics: ["*.kpi"]\ndata:\n  root: data\n${options.skip ? '  skip_malformed_rows: [orders.csv]\n' : ''}timezone: UTC\n`,
  );
  writeFileSync(join(dir, 'data', 'customers.csv'), `${CUSTOMERS.join('\n')}\n`);
  writeFileSync(join(dir, 'data', 'orders.csv'), orders);
  writeFileSync(join(dir, 'm.kpi'), MODEL);
  return dir;
}

const env = { KPIC_CACHE: 'off' };
const run = (dir: string, ...args: string[]) => kpic(dir, args, { env });
const count = (text: string, word: string) => text.split(word).length - 1;

function clean(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toContain('Possible fixes');
  expect(text).not.toContain('Auto-Detected');
}

describe('a text in a number column', () => {
  const orders = `${[HEADER, ...GOOD, '14,4,2024-03-02 10:00:00,abc'].join('\n')}\n`;

  it(
    'run stops with one diagnostic at the data file, line and column (exit 3), not a type error in the .kpi',
    async () => {
      const dir = project(orders);
      const result = await run(dir, 'run', 'revenue_per_customer', '--format', 'csv');
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('data/orders.csv:6:26 error data-malformed-row');
      expect(result.stderr).toContain('14,4,2024-03-02 10:00:00,abc');
      expect(result.stderr).toMatch(/line 6, column `amount` of `orders.csv`: expected a number .*found\s+`abc`/s);
      expect(result.stderr).toContain('data.skip_malformed_rows');
      expect(result.stderr).not.toContain('type-mismatch');
      expect(result.stderr).not.toContain('elsewhere in the project');
      clean(result.stderr);
    },
    TIMEOUT,
  );

  it(
    'check reports it once although two KPIs read the file',
    async () => {
      const dir = project(orders);
      const result = await run(dir, 'check');
      expect(result.code).toBe(1);
      expect(count(result.stdout + result.stderr, 'error data-malformed-row')).toBe(1);
      expect(result.stdout + result.stderr).not.toContain('type-mismatch');
      clean(result.stdout + result.stderr);
    },
    TIMEOUT,
  );

  it(
    'skipped when listed: the result is that of the four good rows, and the skipped row is counted',
    async () => {
      const dir = project(orders, { skip: true });
      const revenue = await run(dir, 'run', 'revenue_per_customer', '--format', 'csv');
      // 20.50 + 15.00 + 99.99 + 5.25 = 140.74 over 4 customers = 35.185
      expect(revenue.stdout).toBe('numerator,denominator,value,status,target_met\r\n140.74,4,35.185,,\r\n');
      expect(revenue.code).toBe(0);
      expect(revenue.stderr).toContain('note: 1 malformed row of `orders.csv` skipped (the first at line 6)');
      // count() skips the same row although it reads no amount: 4 orders, not 5.
      const placed = await run(dir, 'run', 'orders_placed', '--format', 'csv');
      expect(placed.stdout).toBe('numerator,denominator,value,status,target_met\r\n4,,4,,\r\n');
      const table = await run(dir, 'run', 'orders_placed');
      expect(table.stdout).toContain('* 1 malformed row of `orders.csv` skipped (the first at line 6)');
    },
    TIMEOUT,
  );
});

describe('the query service (kpic mcp, kpic serve)', () => {
  it(
    'answers with the rows skipped in its notes, and refuses an unlisted file with the diagnostic',
    async () => {
      const orders = `${[HEADER, ...GOOD, '14,4,2024-03-02 10:00:00,abc'].join('\n')}\n`;
      const skipped = await openProject({ projectDir: project(orders, { skip: true }) });
      try {
        const answer = await queryRows(skipped, { kpi: 'orders_placed' }, { maxRows: 100 });
        // Four well-formed orders: the bad row is not counted.
        expect(answer.rows).toEqual([[4n, null, 4n, null, null]]);
        expect(answer.notes).toContain('1 malformed row of `orders.csv` skipped (the first at line 6)');
      } finally {
        await skipped.close();
      }
      const refused = await openProject({ projectDir: project(orders) });
      try {
        await expect(queryRows(refused, { kpi: 'orders_placed' }, { maxRows: 100 })).rejects.toThrow(
          /data-malformed-row/,
        );
      } finally {
        await refused.close();
      }
    },
    TIMEOUT,
  );
});

describe('a wrong number of fields', () => {
  const orders = `${[HEADER, GOOD[0], GOOD[1], '7,1,2024-01-05 10:00:00,3,4', GOOD[2], GOOD[3]].join('\n')}\n`;

  it(
    'names the line and what was expected',
    async () => {
      const dir = project(orders);
      const result = await run(dir, 'run', 'orders_placed', '--format', 'csv');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('data/orders.csv:4:26 error data-malformed-row');
      expect(result.stderr).toContain('line 4 of `orders.csv`: expected 4 fields, found 5.');
      expect(result.stderr).not.toContain('unknown-column');
      clean(result.stderr);
    },
    TIMEOUT,
  );

  it(
    'skipped when listed',
    async () => {
      const dir = project(orders, { skip: true });
      const result = await run(dir, 'run', 'revenue_per_customer', '--format', 'csv');
      expect(result.stdout).toBe('numerator,denominator,value,status,target_met\r\n140.74,4,35.185,,\r\n');
      expect(result.stderr).toContain('1 malformed row of `orders.csv` skipped (the first at line 4)');
    },
    TIMEOUT,
  );
});

describe('a row past the engine’s sample', () => {
  // 25,000 orders of amount 2, then one of `abc`: the engine detects DOUBLE from its first 20,480 rows.
  const rows = Array.from({ length: 25_000 }, (_, i) => `${100 + i},${(i % 4) + 1},2024-01-05 10:00:00,2`);
  const orders = `${[HEADER, ...rows, '99999,1,2024-01-05 10:00:00,abc'].join('\n')}\n`;

  it(
    'is found before the query runs, at line 25,002',
    async () => {
      const dir = project(orders);
      const result = await run(dir, 'run', 'orders_placed', '--format', 'csv');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('data/orders.csv:25002:');
      // Every amount before it is an integer, so the engine detected BIGINT.
      expect(result.stderr).toMatch(/column `amount` of `orders.csv`: expected a whole number/);
      clean(result.stderr);
    },
    TIMEOUT,
  );

  it(
    'skipped when listed: 25,000 orders, revenue 50,000 over 4 customers',
    async () => {
      const dir = project(orders, { skip: true });
      const placed = await run(dir, 'run', 'orders_placed', '--format', 'csv');
      expect(placed.stdout).toBe('numerator,denominator,value,status,target_met\r\n25000,,25000,,\r\n');
      const revenue = await run(dir, 'run', 'revenue_per_customer', '--format', 'csv');
      expect(revenue.stdout).toBe('numerator,denominator,value,status,target_met\r\n50000,4,12500,,\r\n');
      expect(revenue.stderr).toContain('1 malformed row of `orders.csv` skipped (the first at line 25002)');
    },
    TIMEOUT,
  );
});

describe('a different line ending', () => {
  it(
    'names the first line whose ending differs, and says skipping cannot help',
    async () => {
      const orders = `${[HEADER, GOOD[0], GOOD[1]].join('\n')}\r\n${[GOOD[2], GOOD[3]].join('\n')}\n`;
      const dir = project(orders, { skip: true });
      const result = await run(dir, 'check');
      const text = result.stdout + result.stderr;
      expect(result.code).toBe(1);
      expect(text).toContain('data/orders.csv:3:');
      expect(text).toMatch(/line 3 ends with CR LF, but line 1 ends\s+with LF/);
      expect(text).not.toContain('invalid-sql');
      expect(text).toContain('skipping rows cannot help');
      clean(text);
    },
    TIMEOUT,
  );
});

describe('a well-formed file', () => {
  it(
    'gets no diagnostic and no note (the text column `tier` holds no numbers)',
    async () => {
      const dir = project(`${[HEADER, ...GOOD].join('\n')}\n`, { skip: true });
      const result = await run(dir, 'run', 'revenue_per_customer', '--format', 'csv');
      expect(result.stdout).toBe('numerator,denominator,value,status,target_met\r\n140.74,4,35.185,,\r\n');
      expect(result.stderr).not.toContain('malformed');
    },
    TIMEOUT,
  );
});
