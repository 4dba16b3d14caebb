// A customer entity derived from a fact source (`customer buyers from orders
// { key customer_id }`), and a fact dimension computed from a linked
// aggregated dimension.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';
import { SHOP_DATA } from './shop.ts';

const SOURCES = `
customer buyers from orders {
  key customer_id
  dimension first_order_at = min(orders.ordered_at)
  dimension cohort = date_trunc("month", first_order_at)
  measure buyer_count = count()
}
source orders from "orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  dimension months_since_first = date_diff("month", buyers.cohort, ordered_at)
  measure order_count = count()
}
kpi orders_per_buyer {
  numerator order_count
  denominator buyer_count
  segment by cohort
}
kpi orders_by_age {
  numerator order_count
  segment by months_since_first
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/derived.kpi': SOURCES }, SHOP_DATA);
});
afterAll(() => project.close());

describe('derived customer entity', () => {
  it('counts each distinct key once and joins aggregated dimensions by key', async () => {
    const query = { kpi: 'orders_per_buyer' };
    const compiled = project.compile(query, GOLDEN_ROOT);
    expect(compiled.sql).toBe(golden('derived-customer-cohort', compiled.sql));
    expect(compileQuery(project.reversed, query, { dataRoot: GOLDEN_ROOT }).value?.sql).toBe(compiled.sql);
    // Buyers 1..4; cohorts: 1 Jan, 2 Jan, 3 Feb, 4 Mar. Orders by the buyer's cohort:
    // Jan: 101 102 103 = 3 over 2 buyers; Feb: 104 105 = 2 over 1; Mar: 106 = 1 over 1.
    const { rows } = await project.run(query);
    expect(tuples(rows)).toEqual([
      ['2024-01-01 00:00:00', 3, 2, 1.5, null, null],
      ['2024-02-01 00:00:00', 2, 1, 2, null, null],
      ['2024-03-01 00:00:00', 1, 1, 1, null, null],
    ]);
  });

  it('uses a linked aggregated dimension inside a fact dimension', async () => {
    // Months since the buyer's first-order month: 101 0, 102 1, 103 0, 104 0, 105 1, 106 0.
    const { rows } = await project.run({ kpi: 'orders_by_age' });
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      [0, 4],
      [1, 2],
    ]);
  });
});
