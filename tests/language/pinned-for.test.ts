// A `for` threshold applies when the query's `--where` pins its segment:
// `critical < 50 for region = "EMEA"` with `--where 'region = "EMEA"'` and no
// segment by region. Data: the `kpic init` template, worked by hand.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { openProject, type Project } from '../sql/harness.ts';

const TEMPLATE = join(import.meta.dirname, '../../runtime/cli/template');
const read = (path: string) => readFileSync(join(TEMPLATE, path), 'utf8');

let project: Project;
beforeAll(async () => {
  const nps = read('metrics/nps.kpi').replace(
    '  critical < 0\n',
    '  critical < 0\n  critical < 50 for region = "EMEA"\n',
  );
  project = await openProject(
    { 'metrics/customers.kpi': read('metrics/customers.kpi'), 'metrics/nps.kpi': nps },
    { 'customers.csv': read('data/customers.csv'), 'surveys.csv': read('data/surveys.csv') },
  );
});
afterAll(() => project?.close());

const where = (text: string) => parseExpression(text, '<query>').value!;

describe('a for threshold pinned by --where', () => {
  it('applies when --where pins the segment to the value', async () => {
    // EMEA customers 1, 2, 6: answers 10, 9 (customer 1), 6, 8 (2), 10 (6); response 112 fails the check.
    // Promoters 3, detractors 1, of 5: NPS 40, below 50: critical (it would be ok without the pin).
    const { rows } = await project.run({ kpi: 'nps', by: 'none', grain: 'none', where: where('region = "EMEA"') });
    expect(rows.map((r) => [r.value, r.status])).toEqual([[40, 'critical']]);
  });

  it('does not apply to another pinned value, nor without a pin', async () => {
    // AMER: customers 3, 4, 7: answers 9 (3), 7, 10 (4), 9 (7); 11 fails the check. Promoters 3, detractors 0, of 4: 75.
    const amer = await project.run({ kpi: 'nps', by: 'none', grain: 'none', where: where('region = "AMER"') });
    expect(amer.rows.map((r) => [r.value, r.status])).toEqual([[75, 'ok']]);
    const all = await project.run({ kpi: 'nps', by: 'none', grain: 'none' });
    expect(all.rows.map((r) => r.status)).toEqual(['ok']);
  });
});
