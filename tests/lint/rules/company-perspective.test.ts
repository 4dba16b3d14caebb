import { CUSTOMERS, testRule } from '../helpers.ts';

const ORDERS = `${CUSTOMERS}source orders from "o.csv" {
  customer customer_id
  measure revenue = sum(amount)
}
`;

testRule('company-perspective', {
  valid: [
    { name: 'customer perspective by default', code: `${ORDERS}kpi revenue {\n  numerator revenue\n}\n` },
    {
      name: 'explicit customer perspective',
      code: `${ORDERS}kpi revenue {\n  perspective customer\n  numerator revenue\n}\n`,
    },
    {
      name: 'company perspective with a customer value',
      code: `${ORDERS}kpi revenue {\n  perspective company\n  customer_value "More orders means customers find more worth buying."\n  numerator revenue\n}\n`,
    },
  ],
  invalid: [
    {
      code: `${ORDERS}kpi revenue {\n  perspective company\n  numerator revenue\n}\n`,
      line: 10,
      column: 3,
      message: "KPI `revenue` takes the company's perspective without a `customer_value`",
      help: 'add `customer_value "..."`',
    },
    {
      name: 'an empty customer value says nothing',
      code: `${ORDERS}kpi revenue {\n  numerator revenue\n  customer_value "  "\n  perspective company\n}\n`,
      line: 12,
      column: 3,
    },
  ],
});
