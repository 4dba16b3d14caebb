import { testRule } from '../helpers.ts';

const BASE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
`;
const kpi = (items: string) => `${BASE}kpi customer_base {\n${items}\n  numerator customer_count\n}\n`;

testRule('missing-thresholds', {
  valid: [
    { name: 'not declared lagging', code: kpi('  direction higher') },
    { name: 'leading', code: kpi('  indicator leading') },
    { name: 'lagging with a target', code: kpi('  indicator lagging\n  direction higher\n  target >= 100') },
    {
      name: 'lagging with only a critical level',
      code: kpi('  indicator lagging\n  direction higher\n  critical < 10'),
    },
    { name: 'a draft', code: kpi('  indicator lagging\n  status draft') },
    { name: 'deprecated', code: kpi('  indicator lagging\n  status deprecated') },
  ],
  invalid: [
    {
      code: kpi('  indicator lagging'),
      line: 5,
      column: 5,
      message: 'active lagging indicator with no `target`, `warn` or `critical`',
    },
    {
      name: 'explicitly active',
      code: kpi('  indicator lagging\n  status active\n  direction higher'),
      line: 5,
      column: 5,
    },
  ],
});
