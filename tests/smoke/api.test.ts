// The public API end to end: text -> model -> SQL -> rows, with the answer
// worked out by hand from the inline data.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { catalogFromEntries, compileQuery, parseFile, relationKey, resolveProject } from '../../compiler/index.ts';

const TEXT = `
customer customers from table customers {
  key customer_id
  dimension tier
}
source surveys from table surveys {
  key response_id
  customer customer_id
  time responded_at
  measure responses = count()
  measure promoters = count() where score >= 9
  measure detractors = count() where score <= 6
}
kpi nps {
  owner "cs"
  numerator promoters - detractors
  denominator responses
  scale 100
  segment by tier
}
`;

describe('compiler/index.ts', () => {
  it('compiles a KPI that DuckDB runs to the hand-worked answer', async () => {
    const file = parseFile(TEXT, 'nps.kpi');
    expect(file.diagnostics).toEqual([]);
    const column = (name: string, type: 'integer' | 'text' | 'date') => ({ name, type, sqlType: type.toUpperCase() });
    const catalog = catalogFromEntries(
      new Map([
        [
          relationKey({ kind: 'table', table: 'customers' }),
          { ok: true as const, columns: [column('customer_id', 'integer'), column('tier', 'text')] },
        ],
        [
          relationKey({ kind: 'table', table: 'surveys' }),
          {
            ok: true as const,
            columns: [
              column('response_id', 'integer'),
              column('customer_id', 'integer'),
              column('responded_at', 'date'),
              column('score', 'integer'),
            ],
          },
        ],
      ]),
    );
    const model = resolveProject([file.value], catalog, { timezone: 'UTC' });
    expect(model.diagnostics).toEqual([]);
    const compiled = compileQuery(model.value, { kpi: 'nps' }, { dataRoot: '/unused' });
    expect(compiled.diagnostics).toEqual([]);

    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(
      `create table customers as select * from (values (1, 'gold'), (2, 'gold'), (3, 'basic')) t(customer_id, tier)`,
    );
    await db.run(`create table surveys as select * from (values
      (1, 1, date '2024-01-05', 10), (2, 1, date '2024-01-06', 9), (3, 2, date '2024-01-07', 3),
      (4, 3, date '2024-01-08', 7), (5, 3, date '2024-01-09', 6)) t(response_id, customer_id, responded_at, score)`);
    const rows = (await db.runAndReadAll(compiled.value!.sql)).getRowObjectsJson();
    // gold: 2 promoters, 1 detractor of 3 -> 100 * 1/3; basic: 0 promoters, 1 detractor of 2 -> -50.
    expect(rows.map((r) => [r['tier'], Number(r['numerator']), Number(r['denominator'])])).toEqual([
      ['basic', -1, 2],
      ['gold', 1, 3],
    ]);
    expect(Number(rows[0]!['value'])).toBeCloseTo(-50, 12);
    expect(Number(rows[1]!['value'])).toBeCloseTo(100 / 3, 12);
  });
});
