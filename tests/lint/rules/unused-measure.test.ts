import { testRule } from '../helpers.ts';

testRule('unused-measure', {
  valid: [
    `customer customers from "c.csv" {\n  key customer_id\n  measure customer_count = count()\n}\nkpi customer_base {\n  numerator customer_count\n}\n`,
    {
      name: 'used in a denominator, qualified',
      code: `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
  measure gold_count = count() where tier = "gold"
}
kpi gold_share {
  numerator gold_count
  denominator customers.customer_count
}
`,
    },
  ],
  invalid: [
    {
      code: `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
  measure churned_customers = count() where churned
}
kpi customer_base {
  numerator customer_count
}
`,
      line: 4,
      column: 11,
      message: 'measure `churned_customers` of `customers` is not used by any KPI.',
    },
    {
      name: 'a project with no KPIs',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure customer_count = count()\n}\n`,
      line: 3,
      column: 11,
    },
  ],
});
