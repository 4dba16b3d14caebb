import { testRule } from '../helpers.ts';

const BASE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
`;

testRule('missing-owner', {
  valid: [
    `${BASE}kpi customer_base {\n  owner "customer-success"\n  numerator customer_count\n}\n`,
    {
      name: 'deprecated KPIs are on their way out',
      code: `${BASE}kpi customer_base {\n  status deprecated\n  numerator customer_count\n}\n`,
    },
  ],
  invalid: [
    {
      code: `${BASE}kpi customer_base {\n  numerator customer_count\n}\n`,
      line: 5,
      column: 5,
      message: 'KPI `customer_base` has no `owner`',
      help: 'add `owner "team-or-person"`',
    },
    {
      name: 'an empty owner',
      code: `${BASE}kpi customer_base {\n  owner ""\n  numerator customer_count\n}\n`,
      line: 5,
      column: 5,
    },
    {
      name: 'drafts need an owner too',
      code: `${BASE}kpi customer_base {\n  status draft\n  numerator customer_count\n}\n`,
      line: 5,
      column: 5,
    },
  ],
});
