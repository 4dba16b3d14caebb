// Every example project opens without errors and every KPI's default query
// runs. A new folder under examples/ with a kpic.yaml is a new test.
// The SaaS generator rewrites the committed dataset byte for byte.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, generate, TABLES } from '../examples/saas/generate.ts';
import { runQuery } from '../runtime/execute.ts';
import { openProject } from '../runtime/project/open.ts';

const EXAMPLES = resolve(import.meta.dirname, '../examples');
const projects = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES, entry.name, 'kpic.yaml')))
  .map((entry) => entry.name)
  .sort();

describe('examples', () => {
  it('there are example projects to check', () => {
    expect(projects).toEqual(expect.arrayContaining(['jaffle_shop', 'saas', 'telco_churn']));
  });

  for (const name of projects) {
    it(`${name} opens without errors or warnings and runs every KPI`, async () => {
      const project = await openProject({ projectDir: join(EXAMPLES, name) });
      try {
        // The examples are the showcase: no errors, and no lint warnings either.
        const problems = project.diagnostics
          .filter((d) => d.severity !== 'info')
          .map((d) => `${d.file}:${d.span.start.line} ${d.severity} ${d.code}: ${d.message}`);
        expect(problems).toEqual([]);
        expect(project.model.kpis.size).toBeGreaterThan(0);
        for (const kpi of project.model.kpis.values()) {
          const result = await runQuery(project, { kpi: kpi.name });
          const problems = result.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => `${kpi.name}: ${d.code}: ${d.message}`);
          expect(problems).toEqual([]);
          expect(result.value?.rows.length, `${kpi.name} returned no rows`).toBeGreaterThan(0);
          // Every KPI value is a finite number or null: never infinity, never NaN.
          const value = result.value!.columns.findIndex((c) => c.role === 'value');
          expect(
            result.value!.rows.every((row) => row[value] === null || Number.isFinite(Number(row[value]))),
            kpi.name,
          ).toBe(true);
        }
      } finally {
        await project.close();
      }
    });
  }
});

describe('the SaaS generator', () => {
  it('regenerates the committed dataset byte for byte from the default seed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kpic-saas-'));
    try {
      const written = await generate({ ...DEFAULTS, out });
      expect(written).toHaveLength(TABLES.length);
      for (const table of TABLES) {
        const committed = readFileSync(join(EXAMPLES, 'saas/data', `${table}.csv`));
        const fresh = readFileSync(join(out, `${table}.csv`));
        expect(fresh.equals(committed), `${table}.csv differs from the committed file`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gives other data for another seed, and keeps the committed set small', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kpic-saas-'));
    try {
      await generate({ ...DEFAULTS, seed: 7, customers: 50, events: 500, out });
      const other = readFileSync(join(out, 'customers.csv'), 'utf8');
      expect(other.split('\n')[0]).toBe('customer_id,name,tier,region,industry,signup_date,employees');
      expect(other).not.toBe(readFileSync(join(EXAMPLES, 'saas/data/customers.csv'), 'utf8').slice(0, other.length));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const bytes = TABLES.reduce(
      (sum, table) => sum + readFileSync(join(EXAMPLES, 'saas/data', `${table}.csv`)).length,
      0,
    );
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });
});
