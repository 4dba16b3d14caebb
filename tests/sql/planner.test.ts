// Planner decisions that are not about result values: diagnostics, range
// arithmetic, describe statements, broadcasts, windows, compile speed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { lastPeriodStart, parseBound, periodStart } from '../../compiler/plan/range.ts';
import { describeSql } from '../../compiler/sql/relation.ts';
import { planThresholds } from '../../compiler/plan/thresholds.ts';
import type { Threshold } from '../../compiler/semantic/model.ts';
import type { Expr } from '../../compiler/syntax/ast.ts';
import { parseExpression, parseFile } from '../../compiler/syntax/parse.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { FILE_START } from '../../compiler/diagnostics.ts';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';
import { SHOP_DATA, SHOP_SOURCES } from './shop.ts';
import { SHOP_KPIS } from './kpis.ts';

const EXTRA = `
kpi orders_trailing {
  numerator order_count_all
  grain month
  window 2 months
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject(
    { 'metrics/sources.kpi': SHOP_SOURCES, 'metrics/kpis.kpi': SHOP_KPIS, 'metrics/extra.kpi': EXTRA },
    SHOP_DATA,
  );
});
afterAll(() => project.close());

const codes = (query: Parameters<Project['diagnose']>[0]) => project.diagnose(query).map((d) => d.code);
const name = (text: string) => ({ name: text, span: FILE_START });

describe('diagnostics', () => {
  it('names an unknown KPI', () => {
    const result = compileQuery(project.model, { kpi: 'npx' }, { dataRoot: '/data' });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-kpi']);
    expect(result.diagnostics[0]!.help).toContain('nps');
  });

  it('refuses malformed and empty ranges', () => {
    expect(codes({ kpi: 'nps', from: '2024-02-30' })).toEqual(['invalid-range']);
    expect(codes({ kpi: 'nps', from: '2024-03-01', to: '2024-03-01' })).toEqual(['empty-range']);
  });

  it('refuses a segment no measure reaches, and unknown ones', () => {
    expect(codes({ kpi: 'nps', by: [name('feature')] })).toEqual(['segment-unreachable']);
    expect(codes({ kpi: 'nps', by: [name('teir')] })).toContain('unknown-dimension');
  });

  it('refuses a segment named like a result column', () => {
    expect(codes({ kpi: 'nps', by: [name('value')] })).toContain('segment-name-clash');
  });

  it('warns when a --where term reaches no measure', () => {
    const where = parseExpression('feature = "export"', '<query>').value!;
    const result = compileQuery(project.model, { kpi: 'nps', where }, { dataRoot: '/data' });
    expect(result.value).toBeDefined();
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['filter-unreachable', 'warn']]);
  });
});

describe('deep and unusual input', () => {
  it('takes a --where of 5,000 `and`-ed terms to a diagnostic, not a stack overflow', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `tier = "t${i}"`).join(' and ');
    const where = parseExpression(text, '<query>').value!;
    const result = compileQuery(project.model, { kpi: 'nps', where }, { dataRoot: '/data' });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('expression-too-deep');
  });

  it('finds a KPI whose name is typed in another Unicode form (NFD for NFC)', () => {
    const text =
      'customer customers from "c.csv" {\n  key customer_id\n  measure n = count()\n}\n' +
      'kpi caf\u00e9_total {\n  numerator n\n}\n' +
      'kpi caf\u00e9_twice {\n  value 2 * Cafe\u0301_total\n}\n';
    const model = resolveProject([parseFile(text, 'a.kpi').value], EMPTY_CATALOG, {}).value;
    for (const kpi of ['cafe\u0301_total', 'CAFE\u0301_TWICE']) {
      const result = compileQuery(model, { kpi }, { dataRoot: '/data' });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.value?.sql).toContain('c.csv');
    }
  });
});

describe('broadcasts', () => {
  it('reports measures whose source cannot reach a segment or a filter', () => {
    const where = parseExpression('feature = "export" and tier = "gold"', '<query>').value!;
    const compiled = project.compile({ kpi: 'adoption', where });
    expect(compiled.broadcasts).toEqual([{ measure: 'customer_count', dimensions: ['feature'] }]);
    expect(project.compile({ kpi: 'nps' }).broadcasts).toEqual([]);
  });

  it('applies a filter only to the measures that reach it', async () => {
    // feature = "export" filters adopters (customers 1, 2); the 5 customers stay the denominator.
    const where = parseExpression('feature = "export"', '<query>').value!;
    const { rows } = await project.run({ kpi: 'adoption', where });
    expect(tuples(rows)).toEqual([['export', 2, 5, 0.4, null, null]]);
  });
});

describe('window', () => {
  it('covers the trailing window ending at each period end', async () => {
    const compiled = project.compile({ kpi: 'orders_trailing' }, GOLDEN_ROOT);
    expect(compiled.sql).toBe(golden('window-trailing', compiled.sql));
    // Orders: Jan 101 103, Feb 102 104, Mar 105 106. Two months ending Jan: 2; Feb: 4; Mar: 4.
    const { rows } = await project.run({ kpi: 'orders_trailing' });
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['2024-01-01', 2],
      ['2024-02-01', 4],
      ['2024-03-01', 4],
    ]);
  });
});

describe('threshold specificity', () => {
  const expr = (text: string): Expr => parseExpression(text, '<test>').value!;
  const threshold = (value: string, forText?: string): Threshold => ({
    level: 'critical',
    op: '<',
    value,
    file: 't.kpi',
    span: FILE_START,
    ...(forText ? { for: expr(forText) } : {}),
  });
  const segments = [
    { name: 'tier', dimension: name('tier') },
    { name: 'region', dimension: name('region') },
  ];

  it('tries `for` thresholds first, more `and` terms first, then the later one', () => {
    const list = [
      threshold('1'),
      threshold('2', 'tier = "gold"'),
      threshold('3', 'tier = "gold" and region = "EMEA"'),
      threshold('4', 'region = "EMEA"'),
      threshold('5'),
    ];
    expect(planThresholds(list, 'critical', segments).map((p) => p.threshold.value)).toEqual(['3', '4', '2', '5', '1']);
  });

  it('drops a `for` naming a dimension the query is not segmented by', () => {
    const list = [threshold('1'), threshold('2', 'plan = "pro"'), threshold('3', 'tier = "gold"')];
    expect(planThresholds(list, 'critical', segments).map((p) => p.threshold.value)).toEqual(['3', '1']);
    expect(planThresholds(list, 'warn', segments)).toEqual([]);
  });
});

describe('ranges', () => {
  it('parses bounds and refuses dates the calendar lacks', () => {
    expect(parseBound('2024-02-29')).toEqual({ text: '2024-02-29', date: '2024-02-29', timed: false });
    expect(parseBound('2024-01-20 10:00')).toEqual({ text: '2024-01-20 10:00:00', date: '2024-01-20', timed: true });
    expect(parseBound('2023-02-29')).toBeUndefined();
    expect(parseBound("2024-01-01'; drop")).toBeUndefined();
  });

  it('finds period starts (weeks start on Monday)', () => {
    expect(periodStart('2024-03-06', 'week')).toBe('2024-03-04'); // a Wednesday
    expect(periodStart('2024-03-10', 'week')).toBe('2024-03-04'); // a Sunday
    expect(periodStart('2024-08-15', 'quarter')).toBe('2024-07-01');
    expect(periodStart('2024-08-15', 'year')).toBe('2024-01-01');
  });

  it('finds the last period that starts before an exclusive end', () => {
    expect(lastPeriodStart(parseBound('2024-07-01')!, 'month')).toBe('2024-06-01');
    expect(lastPeriodStart(parseBound('2024-07-01 00:00:01')!, 'month')).toBe('2024-07-01');
    expect(lastPeriodStart(parseBound('2024-03-04')!, 'week')).toBe('2024-02-26');
  });
});

describe('describeSql', () => {
  it('describes files under the data root and tables', () => {
    expect(describeSql({ kind: 'file', path: 'data/a.csv', format: 'csv' }, '/p/')).toBe(
      `describe select * from read_csv('/p/data/a.csv')`,
    );
    expect(describeSql({ kind: 'file', path: 'b.parquet', format: 'parquet' }, '/p')).toBe(
      `describe select * from read_parquet('/p/b.parquet')`,
    );
    expect(describeSql({ kind: 'file', path: "o'x.json", format: 'json' }, 'C:\\d')).toBe(
      `describe select * from read_json('C:/d/o''x.json')`,
    );
    expect(describeSql({ kind: 'table', schema: 'sales', table: 'or"ders' }, '/p')).toBe(
      `describe select * from "sales"."or""ders"`,
    );
  });

  it('runs on DuckDB', async () => {
    const rows = await project.db.all(
      describeSql({ kind: 'file', path: 'orders.csv', format: 'csv' }, project.db.root),
    );
    expect(rows.map((r) => r.column_name)).toEqual(['order_id', 'customer_id', 'ordered_at', 'amount']);
  });
});
