import { CUSTOMERS, testRule } from '../helpers.ts';

// The source opens on line 5; its measures are the lines given; the KPI follows.
const rate = (numerator: string, denominator: string, extra = '') => `${CUSTOMERS}source orders from "o.csv" {
  customer customer_id
  time ordered_at${extra}
  measure top = ${numerator}
  measure bottom = ${denominator}
}
kpi share {
  numerator top
  denominator bottom
}
`;
// With no `extra`, the KPI's numerator is on line 12.

/** Two filters of `count()` measures: the numerator's filter, then the denominator's. */
const filters = (numerator: string, denominator: string) =>
  rate(`count() where ${numerator}`, `count() where ${denominator}`);

testRule('rate-population', {
  valid: [
    { name: 'an unfiltered denominator', code: rate('count() where returned', 'count()') },
    {
      name: "the denominator's filter and more",
      code: filters('status = "delivered" and returned', 'status = "delivered"'),
    },
    {
      name: 'the same conditions in another order of and',
      code: filters('returned and status = "delivered" and paid', 'paid and status = "delivered"'),
    },
    { name: 'equal filters', code: filters('status = "delivered"', 'status = "delivered"') },
    {
      name: 'distinct of the same column',
      code: rate('count_distinct(customer_id) where returned', 'count_distinct(customer_id)'),
    },
    { name: 'count(x) over count(): rows over rows', code: rate('count(amount) where returned', 'count()') },
    { name: 'a mean, not a share', code: rate('sum(amount) where returned', 'count() where paid') },
    // Reported: the rule compares filters only, not when rows are counted.
    {
      name: "logo churn: a flow of churned customers over the customers at the period's start",
      code: `${CUSTOMERS}source subscriptions from "s.csv" {
  customer customer_id
  valid from started_at to ended_at
  measure customers_at_start = count_distinct(customer_id) at period start
  measure churned_customers = count_distinct(customer_id) where not renewed time ended_at
}
kpi logo_churn {
  numerator churned_customers
  denominator customers_at_start
}
`,
    },
    { name: 'another time column, same filter', code: rate('count() where returned time returned_at', 'count()') },
    { name: 'cumulative over a flow', code: rate('count() cumulative', 'count()') },
    // Reported: comparisons with numbers.
    { name: 'repeat customers: `>= 2` implies `>= 1`', code: filters('order_count >= 2', 'order_count >= 1') },
    { name: '`>= 2` implies `> 1`', code: filters('order_count >= 2', 'order_count > 1') },
    { name: '`= 3` implies `>= 1`', code: filters('order_count = 3', 'order_count >= 1') },
    { name: '`between 2 and 5` implies `>= 1`', code: filters('order_count between 2 and 5', 'order_count >= 1') },
    { name: '`< 5` implies `<= 10`', code: filters('amount < 5', 'amount <= 10') },
    { name: 'a literal on the left: `1 < x` implies `x >= 1`', code: filters('1 < amount', 'amount >= 1') },
    { name: 'negative numbers and decimals: `> -0.5` implies `>= -1`', code: filters('amount > -0.5', 'amount >= -1') },
    {
      name: '`in (a, b)` implies `in (a, b, c)`',
      code: filters('status in ("returned", "lost")', 'status in ("lost", "returned", "delivered")'),
    },
    { name: '`= a` implies `in (a, b)`', code: filters('status = "lost"', 'status in ("returned", "lost")') },
    { name: '`in (a, b)` implies `!= c`', code: filters('status in ("returned", "lost")', 'status != "delivered"') },
    { name: '`not in (a, b)` implies `!= a`', code: filters('status not in ("returned", "lost")', 'status != "lost"') },
    { name: '`> 5` implies `!= 3`', code: filters('amount > 5', 'amount != 3') },
    { name: 'a comparison implies `is not null`', code: filters('amount >= 10', 'amount is not null') },
    {
      name: "a conjunct of the numerator implies each of the denominator's",
      code: filters('paid and order_count >= 3 and amount < 5', 'amount <= 10 and order_count > 1'),
    },
    {
      name: 'a disjunct of the denominator is implied',
      code: filters('status = "lost"', 'status = "returned" or status = "lost"'),
    },
    {
      name: 'every disjunct of the numerator implies the denominator',
      code: filters('amount > 10 or amount = 7', 'amount > 5'),
    },
    // Reported: an average per customer is not a share.
    {
      name: 'orders per customer: rows over distinct customers',
      code: rate('count() where returned', 'count_distinct(customer_id)'),
    },
    { name: 'distinct customers among all rows', code: rate('count_distinct(customer_id) where returned', 'count()') },
    {
      name: 'distinct values of another column',
      code: rate('count_distinct(order_id) where returned', 'count_distinct(customer_id) where paid'),
    },
    {
      name: 'measures of different sources',
      code: `${CUSTOMERS}source orders from "o.csv" {
  customer customer_id
  measure returned_orders = count() where returned
}
source deliveries from "d.csv" {
  customer customer_id
  measure delivered = count() where ok
}
kpi share {
  numerator returned_orders
  denominator delivered
}
`,
    },
    {
      name: 'an expression is not a single measure',
      code: filters('returned', 'paid').replace('numerator top', 'numerator top * 1'),
    },
  ],
  invalid: [
    {
      name: "a filter that does not include the denominator's",
      code: filters('returned', 'status = "delivered"'),
      line: 12,
      column: 13,
      message:
        "the numerator `top` counts rows the denominator `bottom` does not: its filter does not imply the denominator's, so the rate can exceed 100%.",
      help: 'where (status = "delivered") and ...',
    },
    { name: 'a weaker filter', code: filters('paid', 'paid and status = "delivered"'), line: 12, column: 13 },
    {
      name: 'no filter over a filtered denominator',
      code: rate('count()', 'count() where paid'),
      line: 12,
      column: 13,
    },
    {
      name: '`>= 1` does not imply `>= 2`',
      code: filters('order_count >= 1', 'order_count >= 2'),
      line: 12,
      column: 13,
    },
    {
      name: '`> 1` does not imply `>= 2` (the column may hold 1.5)',
      code: filters('order_count > 1', 'order_count >= 2'),
      line: 12,
      column: 13,
    },
    { name: '`<= 10` does not imply `< 10`', code: filters('amount <= 10', 'amount < 10'), line: 12, column: 13 },
    {
      name: '`between 0 and 5` does not imply `>= 1`',
      code: filters('order_count between 0 and 5', 'order_count >= 1'),
      line: 12,
      column: 13,
    },
    { name: 'a bound on another column', code: filters('amount >= 2', 'order_count >= 1'), line: 12, column: 13 },
    {
      name: '`in (a, b, c)` does not imply `in (a, b)`',
      code: filters('status in ("returned", "lost", "delivered")', 'status in ("returned", "lost")'),
      line: 12,
      column: 13,
    },
    {
      name: '`not in (a)` does not imply `not in (a, b)`',
      code: filters('status not in ("lost")', 'status not in ("lost", "returned")'),
      line: 12,
      column: 13,
    },
    {
      name: '`between 1 and 5` does not imply `!= 3`',
      code: filters('amount between 1 and 5', 'amount != 3'),
      line: 12,
      column: 13,
    },
    {
      name: 'one disjunct of the numerator escapes',
      code: filters('amount > 10 or amount = 2', 'amount > 5'),
      line: 12,
      column: 13,
    },
    {
      name: 'distinct customers under another filter',
      code: rate('count_distinct(customer_id) where returned', 'count_distinct(customer_id) where paid'),
      line: 12,
      column: 13,
      help: 'where (paid) and ...',
    },
    {
      name: "a flow over a snapshot still needs the snapshot's filter",
      code: `${CUSTOMERS}source subscriptions from "s.csv" {
  customer customer_id
  valid from started_at to ended_at
  measure paying_at_start = count_distinct(customer_id) where mrr > 0 at period start
  measure churned_customers = count_distinct(customer_id) where not renewed time ended_at
}
kpi paying_churn {
  numerator churned_customers
  denominator paying_at_start
}
`,
      line: 12,
      column: 13,
    },
  ],
});
