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

testRule('rate-population', {
  valid: [
    { name: 'an unfiltered denominator', code: rate('count() where returned', 'count()') },
    { name: 'the denominator\'s filter and more', code: rate('count() where status = "delivered" and returned', 'count() where status = "delivered"') },
    { name: 'the same conditions in another order of and', code: rate('count() where returned and status = "delivered" and paid', 'count() where paid and status = "delivered"') },
    { name: 'equal filters', code: rate('count() where status = "delivered"', 'count() where status = "delivered"') },
    { name: 'distinct customers among all rows', code: rate('count_distinct(customer_id) where returned', 'count()') },
    { name: 'distinct of the same column', code: rate('count_distinct(customer_id) where returned', 'count_distinct(customer_id)') },
    { name: 'a mean, not a share', code: rate('sum(amount) where returned', 'count() where paid') },
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
    { name: 'an expression is not a single measure', code: rate('count() where returned', 'count() where paid').replace('numerator top', 'numerator top * 1') },
  ],
  invalid: [
    {
      name: 'a filter that does not include the denominator\'s',
      code: rate('count() where returned', 'count() where status = "delivered"'),
      line: 12,
      column: 13,
      message: 'the numerator `top` counts rows the denominator `bottom` does not: its filter does not include the denominator\'s, so the rate can exceed 100%.',
      help: 'where (status = "delivered") and ...',
    },
    {
      name: 'a weaker filter',
      code: rate('count() where paid', 'count() where paid and status = "delivered"'),
      line: 12,
      column: 13,
    },
    {
      name: 'another time column',
      code: rate('count() where returned time returned_at', 'count()'),
      line: 12,
      column: 13,
      message: 'select their rows in time differently (time `returned_at` against time `ordered_at`)',
    },
    {
      name: 'cumulative over a flow',
      code: rate('count() cumulative', 'count()'),
      line: 12,
      column: 13,
    },
    {
      name: 'rows over distinct customers',
      code: rate('count() where returned', 'count_distinct(customer_id)'),
      line: 12,
      column: 13,
      message: 'counts rows while the denominator `bottom` counts distinct values',
    },
    {
      name: 'distinct values of another column',
      code: rate('count_distinct(order_id) where returned', 'count_distinct(customer_id)'),
      line: 12,
      column: 13,
    },
  ],
});
