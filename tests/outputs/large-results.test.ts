// Results of any size: the table format of a 200,000-row per-customer
// result prints (it used to overflow the stack past ~150,000 rows), in
// boxes of 1,000 rows, with a note suggesting a machine format.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const ROWS = 200_000;
const project = copyTemplate('kpic-large-');
afterAll(() => project.cleanup());

// One customer per row, tier `t<id mod 7>`; one survey answer per customer, nps = id mod 11.
const customers = [
  'customer_id,signup_date,tier,region',
  ...Array.from({ length: ROWS }, (_, i) => `${i + 1},2024-01-01,t${(i + 1) % 7},EMEA`),
];
const surveys = [
  'response_id,customer_id,responded_at,nps',
  ...Array.from({ length: ROWS }, (_, i) => `${i + 1},${i + 1},2024-01-05,${(i + 1) % 11}`),
];
writeFileSync(join(project.dir, 'data/customers.csv'), `${customers.join('\n')}\n`);
writeFileSync(join(project.dir, 'data/surveys.csv'), `${surveys.join('\n')}\n`);
writeFileSync(
  join(project.dir, 'metrics/per-customer.kpi'),
  `
kpi promoter_flag {
  numerator promoters
  denominator responses
  scale 100
  segment by customer_id
  target >= 100
}
`,
);
writeFileSync(
  join(project.dir, 'metrics/customers.kpi'),
  `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier, region, customer_id
  measure signups = count()
}
source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  measure responses = count()
  measure promoters = count() where nps >= 9
}
`,
);

describe('large results', () => {
  it(`the table of ${ROWS} rows prints every row, in boxes of 1,000, with a note on stderr`, async () => {
    const r = await kpic(project.dir, ['run', 'promoter_flag']);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toContain('Maximum call stack');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: ${ROWS} rows; for a result this large use --format csv`);
    const lines = r.stdout.split('\n');
    // Each box: top rule, header, up to 1,000 rows, bottom rule.
    const rows = lines.filter((l) => /^│ +\d/.test(l));
    expect(rows).toHaveLength(ROWS);
    expect(lines.filter((l) => l.startsWith('┌'))).toHaveLength(ROWS / 1000);
    // Customer 9 answered 9 (a promoter): 1 of 1 is 100, target met; customer 10 answered 10; customer 11 answered 0.
    const byId = new Map(
      rows.map((l) => {
        const f = l.split('│').map((x) => x.trim());
        return [f[1], f.slice(2, 6)];
      }),
    );
    expect(byId.get('9')).toEqual(['1', '1', '100', '']);
    expect(byId.get('11')).toEqual(['0', '1', '0', '']);
    const csv = await kpic(project.dir, ['run', 'promoter_flag', '--format', 'csv']);
    expect(csv.stderr).not.toContain('for a result this large');
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(ROWS + 1);
  }, 600_000);
});
