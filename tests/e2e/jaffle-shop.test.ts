// The jaffle shop against hand-written SQL: the fan-out trap (orders paid in
// several payments), aggregated customer dimensions (order count, first
// order, cohort), and week and month grains on a DATE column.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { ratioSql } from './hand-sql.ts';
import { expectSameRows, handRows, handScalar, openExample, runKpi } from './support.ts';
import type { KpiRun, Row } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('jaffle_shop');
});
afterAll(async () => {
  await project?.close();
});

/** Cohorts as days (`2018-01-01`), whether the engine gave a DATE or a TIMESTAMP. */
function cohortDays(run: KpiRun): KpiRun {
  return {
    ...run,
    rows: run.rows.map(
      (r): Row => ({
        ...r,
        cohort: r.cohort === null || r.cohort === undefined ? null : String(r.cohort).slice(0, 10),
      }),
    ),
  };
}

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const by = (...names: string[]) => names.map((name) => ({ name, span: SPAN }));

/** Per customer: number of orders, first order day, cohort month (null without orders). */
const CUSTOMERS = `(SELECT c.id, count(o.id) AS order_count, min(o.order_date) AS first_order_at,
    date_trunc('month', min(o.order_date)) AS cohort
  FROM read_csv('{root}/raw_customers.csv') c LEFT JOIN read_csv('{root}/raw_orders.csv') o ON o.user_id = c.id
  GROUP BY c.id)`;

/** Orders with their paid cents (summed per order before any join) and the customer's cohort. */
const ORDERS = `(SELECT o.*, o.order_date AS t, paid.cents, strftime(c.cohort, '%Y-%m-%d') AS cohort
  FROM read_csv('{root}/raw_orders.csv') o
  LEFT JOIN (SELECT order_id, sum(amount) AS cents FROM read_csv('{root}/raw_payments.csv') GROUP BY order_id) paid ON paid.order_id = o.id
  LEFT JOIN ${CUSTOMERS} c ON c.id = o.user_id)`;

describe('the fan-out trap', () => {
  it("revenue per ordering customer sums each order's payments once", async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: ORDERS,
        grain: 'month',
        segments: [],
        numerator: 'sum(cents / 100)',
        denominator: 'count(DISTINCT user_id)',
        status: `CASE WHEN value < 10 THEN 'critical' WHEN value < 20 THEN 'warn' ELSE 'ok' END`,
      }),
    );
    const actual = await runKpi(project, { kpi: 'revenue_per_customer' });
    expect(actual.rows.map((r) => r.period)).toEqual(['2018-01-01', '2018-02-01', '2018-03-01', '2018-04-01']);
    expectSameRows(actual, expected);
    const total = actual.rows.reduce((sum, r) => sum + (r.numerator as number), 0);
    expect(total).toBeCloseTo(1672, 9);
  });

  it('average order value by order status counts orders on orders and payments on payments', async () => {
    const expected = await handRows(
      project,
      `
      WITH pay AS (SELECT o.status AS order_status, sum(p.amount / 100) AS n FROM read_csv('{root}/raw_payments.csv') p
                   LEFT JOIN read_csv('{root}/raw_orders.csv') o ON o.id = p.order_id GROUP BY ALL),
      ord AS (SELECT status AS order_status, count(*) AS n FROM read_csv('{root}/raw_orders.csv') GROUP BY ALL),
      v AS (SELECT order_status, coalesce(pay.n, 0) AS numerator, coalesce(ord.n, 0) AS denominator,
              CASE WHEN coalesce(ord.n, 0) = 0 THEN NULL ELSE coalesce(pay.n, 0) / ord.n END AS value
            FROM pay FULL JOIN ord USING (order_status))
      SELECT order_status, numerator, denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value < 8 THEN 'critical' WHEN value < 12 THEN 'warn' ELSE 'ok' END AS status
      FROM v`,
    );
    const actual = await runKpi(project, { kpi: 'average_order_value' });
    expect(actual.rows).toHaveLength(5);
    expectSameRows(actual, expected);
  });

  it('segments payments by the customer cohort, two links away', async () => {
    const expected = await handRows(
      project,
      `
      WITH c AS ${CUSTOMERS},
      pay AS (SELECT strftime(c.cohort, '%Y-%m-%d') AS cohort, sum(p.amount / 100) AS n
              FROM read_csv('{root}/raw_payments.csv') p
              JOIN read_csv('{root}/raw_orders.csv') o ON o.id = p.order_id JOIN c ON c.id = o.user_id GROUP BY ALL),
      ord AS (SELECT strftime(c.cohort, '%Y-%m-%d') AS cohort, count(*) AS n
              FROM read_csv('{root}/raw_orders.csv') o JOIN c ON c.id = o.user_id GROUP BY ALL)
      SELECT cohort, pay.n AS numerator, ord.n AS denominator, pay.n / ord.n AS value,
        CASE WHEN value < 8 THEN 'critical' WHEN value < 12 THEN 'warn' ELSE 'ok' END AS status
      FROM pay JOIN ord USING (cohort)`,
    );
    const actual = await runKpi(project, { kpi: 'average_order_value', by: by('cohort') });
    expectSameRows(cohortDays(actual), expected);
  });

  it('--by none divides all payments by all orders', async () => {
    const orders = await handScalar(project, `SELECT count(*) FROM read_csv('{root}/raw_orders.csv')`);
    const dollars = await handScalar(project, `SELECT sum(amount) / 100 FROM read_csv('{root}/raw_payments.csv')`);
    const actual = await runKpi(project, { kpi: 'average_order_value', by: 'none' });
    expect(actual.rows).toHaveLength(1);
    const [row] = actual.rows;
    expect(row!.denominator).toBe(orders);
    expect(orders).toBe(99);
    expect(row!.numerator).toBeCloseTo(dollars as number, 9);
    expect(row!.value).toBeCloseTo((dollars as number) / 99, 9);
    // 1672 / 99 = 16.89: neither `warn < 12` nor `critical < 8` holds, and `target >= 15` is met.
    expect(row!.status).toBe('ok');
    expect(row!.target_met).toBe(true);
  });
});

describe('aggregated customer dimensions', () => {
  it('repeat customer share by first-order cohort', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: `(SELECT order_count, strftime(cohort, '%Y-%m-%d') AS cohort FROM ${CUSTOMERS})`,
        segments: ['cohort'],
        numerator: 'count(*) FILTER (WHERE order_count >= 2)',
        denominator: 'count(*) FILTER (WHERE order_count >= 1)',
        scale: 100,
        status: `CASE WHEN value < 25 THEN 'critical' WHEN value < 40 THEN 'warn' ELSE 'ok' END`,
      }),
    );
    const actual = await runKpi(project, { kpi: 'repeat_customer_share' });
    expectSameRows(cohortDays(actual), expected);
    // The customers who never ordered have no cohort: 0 of 0, a null value.
    expect(actual.rows.find((r) => r.cohort === null)).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('--by none: 29 of the 62 ordering customers ordered again', async () => {
    const actual = await runKpi(project, { kpi: 'repeat_customer_share', by: 'none' });
    const repeat = await handScalar(project, `SELECT count(*) FROM ${CUSTOMERS} WHERE order_count >= 2`);
    const ordering = await handScalar(project, `SELECT count(*) FROM ${CUSTOMERS} WHERE order_count >= 1`);
    expect([repeat, ordering]).toEqual([29, 62]);
    expect(actual.rows).toHaveLength(1);
    expect(actual.rows[0]).toMatchObject({ numerator: 29, denominator: 62 });
    expect(actual.rows[0]!.value).toBeCloseTo((29 / 62) * 100, 9);
  });

  it('orders per ordering customer by cohort and month', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: ORDERS,
        grain: 'month',
        segments: ['cohort'],
        numerator: 'count(*)',
        denominator: 'count(DISTINCT user_id)',
      }),
    );
    const actual = await runKpi(project, { kpi: 'orders_per_customer' });
    const normal = cohortDays(actual);
    expectSameRows(normal, expected);
    // A customer's cohort is the month of the first order: no order precedes its cohort.
    expect(normal.rows.every((r) => String(r.cohort) <= String(r.period))).toBe(true);
  });
});

describe('returned_order_rate', () => {
  const RETURNED = {
    numerator: `count(*) FILTER (WHERE status IN ('returned', 'return_pending'))`,
    denominator: 'count(*)',
    status: `CASE WHEN value > 0.1 THEN 'critical' WHEN value > 0.05 THEN 'warn' ELSE 'ok' END`,
  };

  it('by month equals hand SQL', async () => {
    const expected = await handRows(project, ratioSql({ rows: ORDERS, grain: 'month', segments: [], ...RETURNED }));
    const actual = await runKpi(project, { kpi: 'returned_order_rate' });
    expectSameRows(actual, expected);
  });

  it('by week starts weeks on Monday', async () => {
    const expected = await handRows(project, ratioSql({ rows: ORDERS, grain: 'week', segments: [], ...RETURNED }));
    const actual = await runKpi(project, { kpi: 'returned_order_rate', grain: 'week' });
    expectSameRows(actual, expected);
    expect(actual.rows.every((r) => new Date(`${String(r.period)}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  });

  it('--from/--to on a DATE column and --where on the order status', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: `(SELECT * FROM ${ORDERS} WHERE t >= DATE '2018-02-01' AND t < DATE '2018-04-01' AND status <> 'placed')`,
        grain: 'month',
        segments: [],
        ...RETURNED,
      }),
    );
    const actual = await runKpi(project, {
      kpi: 'returned_order_rate',
      from: '2018-02-01',
      to: '2018-04-01',
      where: 'status != "placed"',
    });
    expect(actual.rows.map((r) => r.period)).toEqual(['2018-02-01', '2018-03-01']);
    expectSameRows(actual, expected);
  });

  it('segments by a customer dimension reached through the order', async () => {
    const expected = await handRows(project, ratioSql({ rows: ORDERS, segments: ['cohort'], ...RETURNED }));
    const actual = await runKpi(project, { kpi: 'returned_order_rate', by: by('cohort'), grain: 'none' });
    expectSameRows(cohortDays(actual), expected);
  });
});
