// `kpic schema snapshot`, and `kpic check` in CI where the data is missing:
// the committed kpic.schema.json still catches type errors.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic, templateRepo } from './helpers.ts';

describe.concurrent('the schema snapshot', () => {
  it('is written sorted and stable, and --check says when it is up to date', async () => {
    const repo = templateRepo();
    try {
      const write = await kpic(repo.project, ['schema', 'snapshot']);
      expect(write.code).toBe(0);
      expect(write.stdout).toBe('kpic.schema.json written: 2 relations\n');
      const text = readFileSync(join(repo.project, 'kpic.schema.json'), 'utf8');
      const snapshot = JSON.parse(text) as {
        kpic_schema_snapshot: number;
        relations: Record<string, { columns: { name: string; type: string; values?: string[] }[] }>;
      };
      expect(snapshot.kpic_schema_snapshot).toBe(1);
      expect(Object.keys(snapshot.relations)).toEqual(['file:customers.csv', 'file:surveys.csv']);
      // The columns of customers.csv in the file's order, with DuckDB's types; the text columns the
      // model declares as dimensions with their values (for unknown-value without the data).
      expect(snapshot.relations['file:customers.csv']!.columns).toEqual([
        { name: 'customer_id', type: 'BIGINT' },
        { name: 'signup_date', type: 'DATE' },
        { name: 'tier', type: 'VARCHAR', values: ['gold', 'silver'] },
        { name: 'region', type: 'VARCHAR', values: ['AMER', 'APAC', 'EMEA'] },
      ]);
      expect(text.endsWith('}\n')).toBe(true);
      const again = await kpic(repo.project, ['schema', 'snapshot']);
      expect(again.stdout).toBe('kpic.schema.json unchanged: 2 relations\n');
      expect(readFileSync(join(repo.project, 'kpic.schema.json'), 'utf8')).toBe(text);
      expect((await kpic(repo.project, ['schema', 'snapshot', '--check'])).code).toBe(0);
      repo.write('data/customers.csv', 'customer_id,signup_date,tier,region,seats\n1,2024-01-03,gold,EMEA,3\n');
      const stale = await kpic(repo.project, ['schema', 'snapshot', '--check']);
      expect(stale.code).toBe(1);
      expect(stale.stdout).toContain('kpic.schema.json is out of date');
      expect(stale.stdout).toContain('+          "name": "seats",');
    } finally {
      repo.cleanup();
    }
  });

  it('lets check catch a type error when the data is missing, and says which sources it used', async () => {
    const repo = templateRepo();
    try {
      expect((await kpic(repo.project, ['schema', 'snapshot'])).code).toBe(0);
      rmSync(join(repo.project, 'data/surveys.csv'));
      rmSync(join(repo.project, 'data/customers.csv'));
      const clean = await kpic(repo.project, ['check']);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain(
        'note: checked against the schema snapshot kpic.schema.json (their data is missing): `customers`, `surveys`; the SQL of 2 KPIs reading them was not prepared on the engine.',
      );
      // `tier` is VARCHAR in the snapshot: summing it is a type error, caught without the data.
      const text = readFileSync(join(repo.project, 'metrics/customers.kpi'), 'utf8');
      repo.write(
        'metrics/customers.kpi',
        text.replace(
          '  measure signups = count()\n',
          '  measure signups = count()\n  measure tier_total = sum(tier)\n',
        ),
      );
      const bad = await kpic(repo.project, ['check']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/metrics\/customers\.kpi:9:\d+ error type-mismatch/);
      expect(bad.stdout).toContain('`sum` needs numbers, but this is text.');
      // Without the snapshot the missing data itself is the error.
      rmSync(join(repo.project, 'kpic.schema.json'));
      const none = await kpic(repo.project, ['check']);
      expect(none.code).toBe(1);
      expect(none.stdout).toContain('error source-unreadable');
      expect(none.stdout).not.toContain('type-mismatch');
    } finally {
      repo.cleanup();
    }
  });

  it('never stands in for data that is there but unreadable', async () => {
    const repo = templateRepo();
    try {
      expect((await kpic(repo.project, ['schema', 'snapshot'])).code).toBe(0);
      repo.write('data/surveys.csv', '');
      const check = await kpic(repo.project, ['check']);
      expect(check.code).toBe(1);
      expect(check.stdout).not.toContain('checked against the schema snapshot');
    } finally {
      repo.cleanup();
    }
  });
});
