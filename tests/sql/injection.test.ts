// Text from `.kpi` files, `--where` and the data root reaches SQL only as
// escaped literals and quoted identifiers: values that look like SQL are
// plain data, and a value with a quote finds its row.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { csv } from './duckdb.ts';
import { tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';

const NASTY = [`O'Brien`, `a"b`, `back\\slash`, `--x`, `/*y*/`, `; drop table t;`, `$1`, `{{ z }}`, `'); select 1; --`];

/** A `.kpi` string literal for a value. */
const kpiString = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const SOURCES = `
customer customers from "o'neil data.csv" {
  key customer_id
  dimension tier, \`we"ird -- col\`
  measure customer_count = count()
  measure obriens = count() where tier = "O'Brien"
}
kpi obrien_share { numerator obriens denominator customer_count }
kpi by_tier { numerator customer_count segment by tier }
kpi by_weird { numerator customer_count segment by \`we"ird -- col\` }
`;

const DATA = {
  "o'neil data.csv": csv(
    'customer_id,tier,"we""ird -- col"',
    NASTY.map((tier, i) => [i + 1, tier, i % 2 === 0 ? `x'/*` : '--y']),
  ),
};

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/nasty.kpi': SOURCES }, DATA, { prefix: `kpic-o'q-"root-` });
});
afterAll(() => project.close());

describe('injection', () => {
  it('keeps a data root and file name with quotes intact', async () => {
    expect(project.db.root).toContain(`'`);
    const { rows } = await project.run({ kpi: 'obrien_share' });
    expect(tuples(rows)).toEqual([
      [1, NASTY.length, 1 / NASTY.length, null, null].map((v) =>
        typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v,
      ),
    ]);
  });

  it('returns every nasty value as a segment, unchanged', async () => {
    const { rows } = await project.run({ kpi: 'by_tier' });
    expect(rows.map((r) => r.tier)).toEqual([...NASTY].sort(compareDuck));
  });

  it('segments by a column whose name holds a quote and a comment marker', async () => {
    const { compiled, rows } = await project.run({ kpi: 'by_weird' });
    expect(compiled.sql).toContain('"we""ird -- col"');
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['--y', 4],
      [`x'/*`, 5],
    ]);
  });

  for (const value of NASTY) {
    it(`finds the row of ${JSON.stringify(value)} through --where`, async () => {
      const where = parseExpression(`tier = ${kpiString(value)}`, '<query>');
      expect(where.diagnostics).toEqual([]);
      const { rows } = await project.run({ kpi: 'by_tier', where: where.value! });
      expect(tuples(rows)).toEqual([[value, 1, null, 1, null, null]]);
    });
  }
});

/** DuckDB's default VARCHAR order is by bytes. */
function compareDuck(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
