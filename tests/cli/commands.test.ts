// init, check, list, explain, compile, as a user runs them.

import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic } from './helpers.ts';

const project = copyTemplate('kpic-cmd-');
afterAll(() => project.cleanup());

describe('kpic init', () => {
  it('creates a project that checks clean and runs at once, and refuses to overwrite it', async () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-init-')));
    const created = await kpic(parent, ['init', 'acme']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created a kpic project in acme:');
    for (const file of [
      'kpic.yaml',
      'data/customers.csv',
      'data/surveys.csv',
      'metrics/customers.kpi',
      'metrics/nps.kpi',
    ]) {
      expect(existsSync(join(parent, 'acme', file)), file).toBe(true);
    }
    const check = await kpic(join(parent, 'acme'), ['check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/no problems \(2 files, 2 KPIs checked\)\n$/);
    const run = await kpic(join(parent, 'acme'), [
      'run',
      'new_customers',
      '--by',
      'none',
      '--grain',
      'none',
      '--format',
      'csv',
    ]);
    expect(run.code).toBe(0);
    // Eight customers in customers.csv, no denominator.
    expect(run.stdout).toBe('numerator,denominator,value,status,target_met\r\n8,,8,,\r\n');
    const again = await kpic(parent, ['init', 'acme']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a kpic project/);
    rmSync(parent, { recursive: true, force: true });
  });
});

describe.concurrent('kpic list, explain, compile, check', () => {
  it('list --json gives every KPI with its facts', async () => {
    const r = await kpic(project.dir, ['list', '--json']);
    expect(r.code).toBe(0);
    const kpis = JSON.parse(r.stdout) as {
      name: string;
      owner: string;
      perspective: string;
      status: string;
      segments: string[];
      file: string;
    }[];
    expect(kpis.map((k) => [k.name, k.owner, k.perspective, k.status, k.segments, k.file])).toEqual([
      ['new_customers', 'growth', 'customer', 'active', ['region'], 'metrics/nps.kpi'],
      ['nps', 'customer-success', 'customer', 'active', ['tier'], 'metrics/nps.kpi'],
    ]);
    const drafts = await kpic(project.dir, ['list', '--json', '--status', 'draft']);
    expect(JSON.parse(drafts.stdout)).toEqual([]);
  });

  it('list prints a table', async () => {
    const r = await kpic(project.dir, ['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /│ nps +│ Net Promoter Score +│ customer-success +│ customer +│ lagging +│ active +│ +│ +│ tier +│/,
    );
  });

  it('explain shows measures, sources, joins and the path to the customer', async () => {
    const r = await kpic(project.dir, ['explain', 'NPS']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('value: (promoters - detractors) / responses * 100');
    expect(r.stdout).toMatch(/promoters +count\(\) where nps >= 9 +source surveys +time responded_at/);
    expect(r.stdout).toContain('surveys.customer_id -> customers.customer_id (customer link)');
    expect(r.stdout).toContain('promoters: surveys -> customers');
  });

  it('compile prints one statement reading files under the absolute data root', async () => {
    const r = await kpic(project.dir, ['compile', 'nps', '--grain', 'quarter']);
    expect(r.code).toBe(0);
    // With the CSV dialect detected when the file was described (docs/cli.md).
    expect(r.stdout).toContain(
      `read_csv('${project.dir}/data/surveys.csv', delim = ',', quote = '', escape = '', header = true)`,
    );
    expect(r.stdout.trimEnd().endsWith(';')).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('check PATHS reports only those files, but still loads the project', async () => {
    const dir = copyTemplate('kpic-paths-');
    writeFileSync(join(dir.dir, 'metrics', 'other.kpi'), 'kpi other {\n  numerator nonexistent_measure\n}\n');
    const all = await kpic(dir.dir, ['check']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('metrics/other.kpi');
    const one = await kpic(dir.dir, ['check', 'metrics/nps.kpi']);
    expect(one.code).toBe(0);
    expect(one.stdout).not.toContain('metrics/other.kpi');
    dir.cleanup();
  });

  it('run still works when only an unrelated file is broken, with a note', async () => {
    const dir = copyTemplate('kpic-unrelated-');
    writeFileSync(join(dir.dir, 'metrics', 'wip.kpi'), 'kpi wip {\n  numerator nonexistent_measure\n}\n');
    const r = await kpic(dir.dir, ['run', 'nps', '--by', 'none', '--grain', 'none', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[1]).toMatch(/^3,11,27\.27272727272727/);
    expect(r.stderr).toMatch(/error.? elsewhere in the project/);
    dir.cleanup();
  });

  it('check validates SQL and exits 1 on a broken KPI in the file it depends on', async () => {
    const dir = copyTemplate('kpic-dep-');
    const path = join(dir.dir, 'metrics', 'customers.kpi');
    writeFileSync(path, readFileSync(path, 'utf8').replace('where nps >= 9', 'where nsp >= 9'));
    const check = await kpic(dir.dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/metrics\/customers\.kpi:\d+:\d+ error /);
    const run = await kpic(dir.dir, ['run', 'nps']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error unknown-column');
    dir.cleanup();
  });
});
