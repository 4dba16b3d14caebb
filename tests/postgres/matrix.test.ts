// Every KPI of the examples and of the standard library (metrics/, included
// by the saas example), run on DuckDB over the CSV files and on a live
// PostgreSQL over the same data loaded into tables: the default query, `--by`
// (one dimension, and none), another `--grain`, a range, `--compare
// previous`, and the saas example again in a time zone far from UTC. The two
// engines must give the same rows. DuckDB's answers are themselves checked
// against hand-written SQL (tests/e2e, tests/time), so equal rows carry
// that independent answer over to PostgreSQL.
//
// Floating-point sums may differ in the last bits (the engines add rows in
// different orders), so numbers compare to 1e-9 relative (absolute below 1); everything else
// (periods, segments, statuses, counts, which rows exist) compares exactly.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionName, Query } from '../../compiler/index.ts';
import { FILE_START } from '../../compiler/index.ts';
import type { Value } from '../../runtime/engine/engine.ts';
import { runQuery } from '../../runtime/execute.ts';
import { openProject, type Project } from '../../runtime/project/open.ts';
import { csvFiles, duckdbCopy, ensureReader, loadCsvs, postgresCopy, skipReason } from '../support/postgres.ts';

const REPO = resolve(import.meta.dirname, '../..');
const EXAMPLES = ['saas', 'jaffle_shop', 'telco_churn'] as const;
const skip = skipReason();

interface Outcome {
  readonly columns?: readonly string[];
  readonly rows?: readonly (readonly Value[])[];
  readonly errors?: readonly string[];
}

async function outcome(project: Project, query: Query): Promise<Outcome> {
  const result = await runQuery(project, query);
  if (!result.value) return { errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
  return { columns: result.value.columns.map((c) => c.name), rows: result.value.rows };
}

function close(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  const numeric = (v: Value) => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(a) && numeric(b)) {
    const x = Number(a);
    const y = Number(b);
    // Relative to the larger of the values and 1: a change of 0 on one engine is 1e-14 on the other.
    return x === y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  return a === b;
}

/** Where two outcomes differ, as text for the failure message; undefined when they agree. */
function difference(duck: Outcome, pg: Outcome): string | undefined {
  if (duck.errors || pg.errors)
    return JSON.stringify(duck.errors) === JSON.stringify(pg.errors)
      ? undefined
      : `errors ${duck.errors} vs ${pg.errors}`;
  if (JSON.stringify(duck.columns) !== JSON.stringify(pg.columns)) return `columns ${duck.columns} vs ${pg.columns}`;
  if (duck.rows!.length !== pg.rows!.length) return `${duck.rows!.length} rows vs ${pg.rows!.length}`;
  for (let i = 0; i < duck.rows!.length; i++) {
    const [a, b] = [duck.rows![i]!, pg.rows![i]!];
    if (a.some((v, j) => !close(v, b[j]!))) return `row ${i}: ${String(a)} vs ${String(b)}`;
  }
  return undefined;
}

function dimension(name: string): DimensionName {
  return { name, span: { start: FILE_START.start, end: FILE_START.end } } as DimensionName;
}

/** The queries of one KPI: default, --by one dimension, --by none, another grain, a range, --compare previous. */
function queriesOf(project: Project, name: string, periods: readonly string[]): Query[] {
  const kpi = [...project.model.kpis.values()].find((k) => k.name === name)!;
  const queries: Query[] = [{ kpi: name }, { kpi: name, by: 'none' }];
  const customer = project.model.customer ? project.model.sources.get(project.model.customer) : undefined;
  const firstColumn = customer ? [...customer.dimensions.values()].find((d) => d.kind === 'column') : undefined;
  if (kpi.segments.length > 1) queries.push({ kpi: name, by: [kpi.segments[0]!] });
  else if (firstColumn) queries.push({ kpi: name, by: [dimension(firstColumn.name)] });
  queries.push({ kpi: name, grain: kpi.grain === 'quarter' ? 'month' : 'quarter' });
  if (periods.length >= 3) queries.push({ kpi: name, from: periods[1]!, to: periods[periods.length - 1]! });
  if (kpi.grain && !kpi.cohort) queries.push({ kpi: name, compare: 'previous' });
  return queries;
}

describe.skipIf(skip !== undefined)('the same answers on DuckDB and PostgreSQL', () => {
  const projects = new Map<string, { duck: Project; pg: Project }>();

  beforeAll(async () => {
    for (const name of EXAMPLES) await loadCsvs(`ex_${name}`, csvFiles(REPO, name));
    await ensureReader(EXAMPLES.map((name) => `ex_${name}`));
    for (const name of EXAMPLES) {
      projects.set(name, {
        duck: await openProject({ projectDir: resolve(REPO, 'examples', name) }),
        pg: await openProject({ projectDir: postgresCopy(REPO, name, `ex_${name}`) }),
      });
    }
    const zone = 'America/Los_Angeles';
    projects.set('saas@zone', {
      duck: await openProject({ projectDir: duckdbCopy(REPO, 'saas', zone) }),
      pg: await openProject({ projectDir: postgresCopy(REPO, 'saas', 'ex_saas', { timezone: zone }) }),
    });
  }, 300_000);

  afterAll(async () => {
    for (const { duck, pg } of projects.values()) {
      await duck.close();
      await pg.close();
    }
  });

  it.each([...EXAMPLES, 'saas@zone'])(
    '%s: every KPI, every query shape',
    async (name) => {
      const { duck, pg } = projects.get(name)!;
      expect(pg.offline).toBeUndefined();
      expect(pg.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`)).toEqual([]);
      const kpis = [...duck.model.kpis.values()].map((k) => k.name).sort();
      expect([...pg.model.kpis.values()].map((k) => k.name).sort()).toEqual(kpis);
      const differences: string[] = [];
      let compared = 0;
      let withRows = 0;
      for (const kpi of kpis) {
        const first = await outcome(duck, { kpi });
        const periodAt = first.columns?.indexOf('period') ?? -1;
        const periods = periodAt < 0 ? [] : [...new Set(first.rows!.map((r) => String(r[periodAt])))];
        for (const query of queriesOf(duck, kpi, periods)) {
          const [a, b] = [await outcome(duck, query), await outcome(pg, query)];
          compared += 1;
          if (a.rows && a.rows.length > 0) withRows += 1;
          const diff = difference(a, b);
          if (diff)
            differences.push(
              `${JSON.stringify({ ...query, by: query.by === 'none' ? 'none' : query.by?.map((d) => d.name) })}: ${diff}`,
            );
        }
      }
      expect(differences).toEqual([]);
      // The matrix is not empty: most queries return rows.
      expect(withRows).toBeGreaterThan(compared / 2);
    },
    600_000,
  );
});
