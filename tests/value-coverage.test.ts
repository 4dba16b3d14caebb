// Every KPI shipped in `metrics/` or `examples/` has a value test registered in
// tests/value-tests.ts (or is listed there, visibly, as a gap); each registered
// file runs that KPI and compares it with a hand-written answer.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALUE_TESTS, WITHOUT_VALUE_TEST } from './value-tests.ts';

const ROOT = resolve(import.meta.dirname, '..');

function kpiTexts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules') return [];
    if (entry.isDirectory()) return kpiTexts(path);
    return entry.name.endsWith('.kpi') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** The names of the KPIs declared in the shipped `.kpi` files. */
function shippedKpis(): string[] {
  const texts = [...kpiTexts(join(ROOT, 'metrics')), ...kpiTexts(join(ROOT, 'examples'))];
  const names = texts.flatMap((text) => [...text.matchAll(/^kpi\s+([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]!));
  return [...new Set(names)].sort();
}

describe('value tests of the shipped KPIs', () => {
  const kpis = shippedKpis();

  it('finds the shipped KPIs', () => {
    expect(kpis.length).toBeGreaterThan(30);
  });

  it('registers every shipped KPI, once, and no KPI that is not shipped', () => {
    const registered = Object.keys(VALUE_TESTS);
    expect(registered.filter((k) => WITHOUT_VALUE_TEST.includes(k))).toEqual([]);
    expect(kpis.filter((k) => !registered.includes(k) && !WITHOUT_VALUE_TEST.includes(k))).toEqual([]);
    expect([...registered, ...WITHOUT_VALUE_TEST].filter((k) => !kpis.includes(k))).toEqual([]);
  });

  it('points each KPI at a test that runs it and compares it with a hand answer', () => {
    const problems: string[] = [];
    for (const [kpi, file] of Object.entries(VALUE_TESTS)) {
      const path = join(ROOT, file);
      if (!existsSync(path)) {
        problems.push(`${kpi}: ${file} does not exist`);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      if (!text.includes(`kpi: '${kpi}'`)) problems.push(`${kpi}: ${file} does not run it (kpi: '${kpi}')`);
      if (!/\bhand(Rows|Scalar|Sql)?\b|ratioSql/.test(text))
        problems.push(`${kpi}: ${file} has no hand-written answer`);
    }
    expect(problems).toEqual([]);
  });
});
