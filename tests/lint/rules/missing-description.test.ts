import { testRule } from '../helpers.ts';

const BASE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
`;

testRule('missing-description', {
  valid: [
    `${BASE}kpi customer_base {\n  description "Number of customers."\n  numerator customer_count\n}\n`,
    { name: 'deprecated', code: `${BASE}kpi customer_base {\n  status deprecated\n  numerator customer_count\n}\n` },
  ],
  invalid: [
    {
      code: `${BASE}kpi customer_base {\n  title "Customers"\n  numerator customer_count\n}\n`,
      line: 5,
      column: 5,
      message: 'KPI `customer_base` has no `description`',
    },
  ],
});
