// openProject + runQuery on the init template, compared with hand-written SQL
// over the same files on the same engine.

import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../runtime/execute.ts';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';
import { makeTempDir } from './helpers.ts';

const temp = makeTempDir('kpic-exec-');
let project: Project;

beforeAll(async () => {
  cpSync(resolve(import.meta.dirname, '../../runtime/cli/template'), temp.dir, { recursive: true });
  project = await openProject({ cwd: join(temp.dir, 'metrics') });
});

afterAll(async () => {
  await project.close();
  temp.cleanup();
});

describe('openProject', () => {
  it('finds kpic.yaml upwards, reads the files and resolves the model against the data', () => {
    expect(project.root).toBe(temp.dir);
    expect(project.dataRoot).toBe(`${temp.dir}/data`);
    expect(project.files.map((f) => f.path)).toEqual(['metrics/customers.kpi', 'metrics/nps.kpi']);
    expect([...project.model.kpis.keys()].sort()).toEqual(['new_customers', 'nps']);
    expect(project.model.sources.get('surveys')?.schemaKnown).toBe(true);
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(project.texts.get('kpic.yaml')).toContain('root: data');
  });

  it('limits diagnostics to the requested paths', async () => {
    writeFileSync(join(temp.dir, 'metrics', 'zz-broken.kpi'), 'kpi broken {\n  numerator missing_measure\n}\n');
    const all = await openProject({ cwd: temp.dir });
    const some = await openProject({ cwd: temp.dir, paths: ['metrics/nps.kpi'] });
    try {
      expect(all.diagnostics.some((d) => d.file === 'metrics/zz-broken.kpi' && d.severity === 'error')).toBe(true);
      expect(some.diagnostics.some((d) => d.file === 'metrics/zz-broken.kpi')).toBe(false);
      expect(some.reportedFiles).toEqual(new Set(['metrics/nps.kpi']));
    } finally {
      await all.close();
      await some.close();
    }
  });
});

describe('runQuery', () => {
  it('gives the same NPS by tier and month as hand-written SQL, and counts excluded rows', async () => {
    const result = await runQuery(project, { kpi: 'nps' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const value = result.value!;
    expect(value.columns.map((c) => c.name)).toEqual([
      'period',
      'tier',
      'numerator',
      'denominator',
      'value',
      'status',
      'target_met',
    ]);
    const root = project.dataRoot;
    const expected = await project.engine.all(`
      select cast(date_trunc('month', s.responded_at) as date)::varchar as period, c.tier,
             count(*) filter (where s.nps >= 9) - count(*) filter (where s.nps <= 6) as numerator,
             count(*) as denominator
      from read_csv('${root}/surveys.csv') s join read_csv('${root}/customers.csv') c using (customer_id)
      where s.nps between 0 and 10
      group by all order by period, tier`);
    expect(value.rows.map((r) => r.slice(0, 4))).toEqual(
      expected.rows.map((r) => [r[0], r[1], BigInt(r[2] as bigint), BigInt(r[3] as bigint)]),
    );
    for (const row of value.rows) expect(row[4]).toBeCloseTo((Number(row[2]) / Number(row[3])) * 100, 10);
    expect(value.excluded).toEqual([{ source: 'surveys', check: 'nps_range', excluded: 1n }]);
    expect(value.types[0]).toBe('DATE');
  });

  it('returns compile problems as diagnostics, without running anything', async () => {
    const result = await runQuery(project, {
      kpi: 'nps',
      by: [
        { name: 'teir', span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 4, line: 1, column: 5 } } },
      ],
    });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === 'error' && d.file === '<query>')).toBe(true);
  });
});
