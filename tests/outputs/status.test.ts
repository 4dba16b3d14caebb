// Statuses as a user meets them through `kpic run`: a value exactly at a
// threshold, and NaN or infinite values from the data (no status).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic } from '../cli/helpers.ts';

const project = copyTemplate('kpic-status-');
afterAll(() => project.cleanup());

// 29 promoters (nps 10) of 100 responses; orders with a NaN and an infinite amount.
const surveys = [
  'response_id,customer_id,responded_at,nps',
  ...Array.from({ length: 100 }, (_, i) => `${i + 1},1,2024-01-05,${i < 29 ? 10 : 8}`),
];
writeFileSync(join(project.dir, 'data/surveys.csv'), `${surveys.join('\n')}\n`);
writeFileSync(
  join(project.dir, 'data/orders.csv'),
  'order_id,customer_id,ordered_at,amount\n1,1,2024-01-05,1.5\n2,2,2024-01-06,nan\n3,3,2024-02-06,inf\n4,3,2024-03-06,-inf\n5,1,2024-04-02,2.5\n',
);
writeFileSync(
  join(project.dir, 'metrics/edge.kpi'),
  `
kpi promoter_share {
  numerator promoters
  denominator responses
  scale 100
  target >= 29
  warn < 29
}
source orders from "orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  measure revenue = sum(amount)
  measure orders = count()
}
kpi revenue_per_order {
  numerator revenue
  denominator orders
  grain month
  target >= 1
  critical < 0
}
kpi revenue {
  numerator revenue
  grain month
  target >= 1
  critical < 0
}
`,
);

describe('exact statuses through kpic run', () => {
  it('29 of 100 with scale 100 prints 29, ok and target met', async () => {
    const r = await kpic(project.dir, ['run', 'promoter_share', '--format', 'csv']);
    expect(r.stderr).toBe('');
    // 29 * 100 / 100 = 29 exactly: at the target (>= 29), not under the warn threshold (< 29).
    expect(r.stdout).toBe('numerator,denominator,value,status,target_met\r\n29,100,29,ok,true\r\n');
  });

  for (const kpi of ['revenue_per_order', 'revenue']) {
    it(`${kpi}: NaN and infinite values have no status and no target_met`, async () => {
      const r = await kpic(project.dir, ['run', kpi, '--format', 'csv']);
      expect(r.code).toBe(0);
      const rows = r.stdout
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(','));
      // Jan 1.5 + NaN = NaN; Feb inf; Mar -inf; Apr 2.5 (one order each after January's two).
      expect(rows.map((f) => [f[0], f[3], f[4], f[5]])).toEqual([
        ['2024-01-01', 'NaN', '', ''],
        ['2024-02-01', 'Infinity', '', ''],
        ['2024-03-01', '-Infinity', '', ''],
        ['2024-04-01', '2.5', 'ok', 'true'],
      ]);
    });
  }
});
