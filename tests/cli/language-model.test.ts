// The language's model as every command sees it (issue: the language on real
// data): derived KPIs resolved with the rest of the model, so `lint` finds
// what `check` finds, and errors in one declaration do not block the others.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic } from './helpers.ts';

const project = copyTemplate('kpic-lang-');
afterAll(() => project.cleanup());

writeFileSync(
  join(project.dir, 'metrics/derived.kpi'),
  'kpi nps_doubled {\n  owner "x"\n  value nps * 2\n  segment by tier\n  grain month\n}\n',
);
writeFileSync(
  join(project.dir, 'metrics/broken.kpi'),
  [
    'kpi nps_ratio {\n  owner "x"\n  value nps / nosuch_kpi\n}\n',
    'kpi ping {\n  owner "x"\n  value pong + 1\n}\n',
    'kpi pong {\n  owner "x"\n  value ping * 2\n}\n',
  ].join(''),
);

describe.concurrent('derived KPIs in the model', () => {
  it('lint reports an unknown KPI and a cycle in a derived value, as check does', async () => {
    for (const command of ['lint', 'check']) {
      const r = await kpic(project.dir, [command]);
      expect(r.code, command).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out, command).toContain('metrics/broken.kpi:3:15 error unknown-kpi');
      expect(out, command).toMatch(/metrics\/broken\.kpi:11:9 error kpi-cycle[\s\S]*ping -> pong -> ping/);
    }
  });

  it("explain shows a derived KPI's path to the customer through its inputs", async () => {
    const r = await kpic(project.dir, ['explain', 'nps_doubled']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('through the KPIs it is computed from: nps');
    expect(r.stdout).toContain('promoters: surveys -> customers');
    expect(r.stdout).not.toContain('none: no measure of this KPI reaches the customer entity');
  });

  it('list shows the sound derived KPI and not the broken ones', async () => {
    const r = await kpic(project.dir, ['list', '--json']);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((k) => k.name);
    expect(names).toContain('nps_doubled');
    expect(names).not.toContain('ping');
  });

  it('a sound derived KPI runs although another file has errors', async () => {
    const r = await kpic(project.dir, [
      'run',
      'nps_doubled',
      '--format',
      'csv',
      '--from',
      '2024-01-01',
      '--to',
      '2024-02-01',
    ]);
    expect(r.code).toBe(0);
    // January: gold is customer 1 (10: promoter), 1 response: NPS 100, doubled 200.
    // Silver: customers 2 (6: detractor) and 3 (9: promoter): (1 - 1) / 2 = 0.
    expect(r.stdout).toBe(
      'period,tier,numerator,denominator,value,status,target_met\r\n2024-01-01,gold,,,200,,\r\n2024-01-01,silver,,,0,,\r\n',
    );
    expect(r.stderr).toContain('2 errors elsewhere in the project do not affect `nps_doubled`');
  });
});
