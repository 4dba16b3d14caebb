// Golden cases over the shop. Each case: the SQL matches its golden file, is
// byte-identical when the model's files come in reverse order, and gives on
// DuckDB the rows worked out by hand (comments show the working).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Query } from '../../compiler/plan/query.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { openProject, type Project } from './harness.ts';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { SHOP_DATA, SHOP_SOURCES } from './shop.ts';
import { SHOP_KPIS } from './kpis.ts';
import type { Json } from './duckdb.ts';

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/sources.kpi': SHOP_SOURCES, 'metrics/kpis.kpi': SHOP_KPIS }, SHOP_DATA);
});
afterAll(() => project.close());

interface Case {
  readonly name: string;
  readonly query: Query;
  /** Rows in result-column order. */
  readonly rows: Json[][];
  readonly columns?: string[];
}

const CASES: Case[] = [
  {
    // Surveys 5 (nps 11) and 6 (nps null) fail `nps between 0 and 10`.
    // Jan gold: #1 P, #3 P -> (2-0)/2 = 100; Jan silver: #2 D, #4 passive -> -1/2 = -50, critical (< 60 for silver)
    // Feb gold: #7 D -> -1/1 = -100, critical (< 0); Feb silver: #8 P, #9 P -> 100, ok
    name: 'nps-by-tier-month',
    query: { kpi: 'nps' },
    columns: ['period', 'tier', 'numerator', 'denominator', 'value', 'status', 'target_met'],
    rows: [
      ['2024-01-01', 'gold', 2, 2, 100, 'ok', true],
      ['2024-01-01', 'silver', -1, 2, -50, 'critical', false],
      ['2024-02-01', 'gold', -1, 1, -100, 'critical', false],
      ['2024-02-01', 'silver', 2, 2, 100, 'ok', true],
    ],
  },
  {
    // Total: 7 valid responses, promoters #1 #3 #8 #9, detractors #2 #7: (4-2)/7*100.
    // The silver threshold cannot apply without the tier segment: warn (< 30).
    name: 'nps-total',
    query: { kpi: 'nps', grain: 'none', by: 'none' },
    columns: ['numerator', 'denominator', 'value', 'status', 'target_met'],
    rows: [[2, 7, 28.571428571, 'warn', false]],
  },
  {
    // Feb gold has 1 response < min_sample 2: insufficient, no value.
    name: 'nps-min-sample',
    query: { kpi: 'nps_sampled' },
    rows: [
      ['2024-01-01', 'gold', 2, 2, 100, 'ok', null],
      ['2024-01-01', 'silver', -1, 2, -50, 'warn', null],
      ['2024-02-01', 'gold', -1, 1, null, 'insufficient', null],
      ['2024-02-01', 'silver', 2, 2, 100, 'ok', null],
    ],
  },
  {
    // No denominator: the sample is the number of promoter rows.
    name: 'promoters-min-sample',
    query: { kpi: 'promoter_count' },
    rows: [
      ['2024-01-01', 'gold', 2, null, 2, null, null],
      ['2024-01-01', 'silver', 0, null, null, 'insufficient', null],
      ['2024-02-01', 'gold', 0, null, null, 'insufficient', null],
      ['2024-02-01', 'silver', 2, null, 2, null, null],
    ],
  },
  {
    // Payments reach tier through orders -> customers; order 101 is paid twice (60 + 40) yet its
    // amount counts once. Orders: Jan gold 100, Jan silver 80, Feb gold 170, Mar gold 30, Mar silver 60.
    // Payments by paid month: Jan gold 100, Jan silver 80, Feb gold 100, Mar gold 30; Mar silver none -> 0.
    name: 'payment-coverage-two-sources',
    query: { kpi: 'payment_coverage' },
    rows: [
      ['2024-01-01', 'gold', 100, 100, 1, null, null],
      ['2024-01-01', 'silver', 80, 80, 1, null, null],
      ['2024-02-01', 'gold', 100, 170, 0.588235294, null, null],
      ['2024-03-01', 'gold', 30, 30, 1, null, null],
      ['2024-03-01', 'silver', 0, 60, 0, null, null],
    ],
  },
  {
    // Distinct buyers up to each month's end: Jan {1,2}, Feb {1,2,3}, Mar {1,2,3,4}
    // (a running sum of monthly distinct buyers would say 2, 4, 6).
    name: 'cumulative-count-distinct',
    query: { kpi: 'buyers_to_date' },
    rows: [
      ['2024-01-01', 2, null, 2, null, null],
      ['2024-02-01', 3, null, 3, null, null],
      ['2024-03-01', 4, null, 4, null, null],
    ],
  },
  {
    // --from chooses the periods; cumulative rows still start at the beginning.
    name: 'cumulative-from',
    query: { kpi: 'buyers_to_date', from: '2024-02-01', to: '2024-04-01' },
    rows: [
      ['2024-02-01', 3, null, 3, null, null],
      ['2024-03-01', 4, null, 4, null, null],
    ],
  },
  {
    // Subscriptions s1 01-01..02-15, s2 01-15..03-25, s3 03-10..03-20, s4 05-01..open.
    // At start (A <= start and (B null or B > start)): Jan 1, Feb 2, Mar 1, Apr 0, May 1, Jun 1.
    // At end (A < e and (B null or B >= e)):        Jan 2, Feb 1, Mar 0, Apr 0, May 1, Jun 1.
    name: 'snapshot-start-end',
    query: { kpi: 'active_ratio', from: '2024-01-01', to: '2024-07-01' },
    rows: [
      ['2024-01-01', 2, 1, 2, null, null],
      ['2024-02-01', 1, 2, 0.5, null, null],
      ['2024-03-01', 0, 1, 0, null, null],
      ['2024-04-01', 0, 0, null, null, null],
      ['2024-05-01', 1, 1, 1, null, null],
      ['2024-06-01', 1, 1, 1, null, null],
    ],
  },
  {
    // Without a range the periods run from the first valid-from (Jan) to the last of
    // valid-from and valid-to (May 1).
    name: 'snapshot-data-bounds',
    query: { kpi: 'active_ratio' },
    rows: [
      ['2024-01-01', 2, 1, 2, null, null],
      ['2024-02-01', 1, 2, 0.5, null, null],
      ['2024-03-01', 0, 1, 0, null, null],
      ['2024-04-01', 0, 0, null, null, null],
      ['2024-05-01', 1, 1, 1, null, null],
    ],
  },
  {
    // One period 2024-01-20 .. 2024-03-01: at start s1 and s2 hold; at end only s2.
    name: 'snapshot-no-grain',
    query: { kpi: 'active_ratio', grain: 'none', from: '2024-01-20', to: '2024-03-01' },
    rows: [[1, 2, 0.5, null, null]],
  },
  {
    // cohort = month of the first order; order_count >= 2 is a repeat customer.
    // Jan {1 (2 orders), 2 (1)}, Feb {3 (2)}, Mar {4 (1)}, no orders {5} -> null cohort, last.
    name: 'aggregated-dimension-cohort',
    query: { kpi: 'repeat_rate' },
    rows: [
      ['2024-01-01 00:00:00', 1, 2, 0.5, null, null],
      ['2024-02-01 00:00:00', 1, 1, 1, null, null],
      ['2024-03-01 00:00:00', 0, 1, 0, null, null],
      [null, 0, 1, 0, null, null],
    ],
  },
  {
    // customers cannot reach `feature`: the 5 customers are the denominator of every feature.
    // export {1, 2}, share {3}.
    name: 'broadcast-denominator',
    query: { kpi: 'adoption' },
    rows: [
      ['export', 2, 5, 0.4, null, null],
      ['share', 1, 5, 0.2, null, null],
    ],
  },
  {
    // By month: usage by used_at, customers by signup month (Jan 2, Feb 2, Mar 1).
    // March has no usage: one row with a null feature.
    name: 'broadcast-by-month',
    query: { kpi: 'adoption', grain: 'month' },
    rows: [
      ['2024-01-01', 'export', 1, 2, 0.5, null, null],
      ['2024-02-01', 'export', 1, 2, 0.5, null, null],
      ['2024-02-01', 'share', 1, 2, 0.5, null, null],
      ['2024-03-01', null, 0, 1, 0, null, null],
    ],
  },
  {
    // Tickets: gold {1 solved, 2}, silver {4 solved}, bronze {3}: bronze solved 0 -> null value.
    name: 'zero-denominator',
    query: { kpi: 'solve_rate' },
    rows: [
      ['bronze', 1, 0, null, null, null],
      ['gold', 2, 1, 2, null, null],
      ['silver', 1, 1, 1, null, null],
    ],
  },
  {
    // avg(minutes): gold (30 + 50) / 2 = 40; silver and bronze have no minutes: null denominator.
    name: 'null-denominator',
    query: { kpi: 'tickets_per_minute' },
    rows: [
      ['bronze', 1, null, null, null, null],
      ['gold', 2, 40, 0.05, null, null],
      ['silver', 1, null, null, null, null],
    ],
  },
  {
    // Every month of the range appears; April and May have no orders.
    name: 'missing-periods',
    query: { kpi: 'orders_monthly', from: '2024-01-01', to: '2024-06-01' },
    rows: [
      ['2024-01-01', 2, null, 2, null, null],
      ['2024-02-01', 2, null, 2, null, null],
      ['2024-03-01', 2, null, 2, null, null],
      ['2024-04-01', 0, null, 0, null, null],
      ['2024-05-01', 0, null, 0, null, null],
    ],
  },
  {
    // --from inclusive (103 at exactly 2024-01-20 10:00 counts), --to exclusive (105 at 2024-03-02 10:00 does not):
    // 103, 102, 104.
    name: 'range-bounds',
    query: { kpi: 'orders_monthly', grain: 'none', from: '2024-01-20 10:00:00', to: '2024-03-02 10:00:00' },
    rows: [[3, null, 3, null, null]],
  },
  {
    // where region = "EMEA": customers 1 and 4; orders 101 (Jan), 102 (Feb), 106 (Mar).
    name: 'kpi-where',
    query: { kpi: 'emea_orders' },
    rows: [
      ['2024-01-01', 1, null, 1, null, null],
      ['2024-02-01', 1, null, 1, null, null],
      ['2024-03-01', 1, null, 1, null, null],
    ],
  },
  {
    // --by region: null region (customer 5) has no orders; EMEA 101 102 106, AMER 103 104 105.
    name: 'query-by-quarter',
    query: {
      kpi: 'orders_monthly',
      grain: 'quarter',
      by: [
        { name: 'region', span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } } },
      ],
    },
    rows: [
      ['2024-01-01', 'AMER', 3, null, 3, null, null],
      ['2024-01-01', 'EMEA', 3, null, 3, null, null],
    ],
  },
];

describe('shop golden cases', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const compiled = project.compile(c.query, GOLDEN_ROOT);
      expect(compiled.sql).toBe(golden(c.name, compiled.sql));
      const reversed = compileQuery(project.reversed, c.query, { dataRoot: GOLDEN_ROOT }).value?.sql;
      expect(reversed).toBe(compiled.sql);
      const { compiled: live, rows } = await project.run(c.query);
      if (c.columns) expect(live.columns.map((col) => col.name)).toEqual(c.columns);
      expect(rows.length > 0 ? Object.keys(rows[0]!) : []).toEqual(live.columns.map((col) => col.name));
      expect(tuples(rows)).toEqual(c.rows);
    });
  }
});
