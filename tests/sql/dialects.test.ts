// The postgres dialect: compile only, table sources only; ordered-set
// aggregates for median and percentile. The postgres text is also run on
// DuckDB (which reads it) and agrees with the duckdb dialect.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';
import { SHOP_DATA } from './shop.ts';

const SOURCES = `
customer customers from table sales.customers {
  key customer_id
  dimension tier
}
source orders from table sales.orders {
  key order_id
  customer customer_id
  time ordered_at
  measure median_amount = median(amount)
  measure p90_amount = percentile(amount, 0.9)
  measure order_count = count()
}
source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  measure responses = count()
}
kpi median_order { numerator median_amount segment by tier grain month }
kpi p90_order { numerator p90_amount / order_count }
kpi responses { numerator responses }
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/tables.kpi': SOURCES }, SHOP_DATA, {
    setup: [
      'create schema sales',
      `create table sales.customers as select * from read_csv('$ROOT/customers.csv')`,
      `create table sales.orders as select * from read_csv('$ROOT/orders.csv')`,
    ],
  });
});
afterAll(() => project.close());

describe('dialects', () => {
  it('compiles medians for postgres with percentile_cont', async () => {
    const query = { kpi: 'median_order', dialect: 'postgres' as const };
    const compiled = project.compile(query, GOLDEN_ROOT);
    expect(compiled.sql).toBe(golden('postgres-median', compiled.sql));
    expect(compiled.sql).toContain('percentile_cont(0.5) within group (order by "orders_rows"."amount")');
    expect(compiled.sql).toContain('from "sales"."orders" as "orders"');
    // Jan gold 100, Jan silver 80, Feb gold median(50, 120) = 85, Mar gold 30, Mar silver 60.
    const expected = [
      ['2024-01-01', 'gold', 100, null, 100, null, null],
      ['2024-01-01', 'silver', 80, null, 80, null, null],
      ['2024-02-01', 'gold', 85, null, 85, null, null],
      ['2024-03-01', 'gold', 30, null, 30, null, null],
      ['2024-03-01', 'silver', 60, null, 60, null, null],
    ];
    expect(tuples(await project.db.all(project.compile(query).sql))).toEqual(expected);
    expect(tuples((await project.run({ kpi: 'median_order' })).rows)).toEqual(expected);
  });

  it('compiles percentiles and measure division for postgres', async () => {
    const compiled = project.compile({ kpi: 'p90_order', dialect: 'postgres' }, GOLDEN_ROOT);
    expect(compiled.sql).toBe(golden('postgres-percentile', compiled.sql));
    expect(compiled.sql).toContain('cast("p90_amount" as double precision) / nullif("order_count", 0)');
    // Amounts 30 50 60 80 100 120: the 0.9 quantile is 100 + 0.5 * 20 = 110; over 6 orders.
    const rows = tuples(await project.db.all(project.compile({ kpi: 'p90_order', dialect: 'postgres' }).sql));
    expect(rows).toEqual([
      [110 / 6, null, 110 / 6, null, null].map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)),
    ]);
    expect(tuples((await project.run({ kpi: 'p90_order' })).rows)).toEqual(rows);
  });

  it('refuses a file source in the postgres dialect', () => {
    const result = compileQuery(project.model, { kpi: 'responses', dialect: 'postgres' }, { dataRoot: GOLDEN_ROOT });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([
      ['dialect-unsupported', 'error', 'metrics/tables.kpi'],
    ]);
    expect(result.diagnostics[0]!.message).toContain('surveys.csv');
  });
});
