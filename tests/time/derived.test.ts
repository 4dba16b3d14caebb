// Derived KPIs (`value EXPR` over other KPIs): arithmetic across files, null
// inputs, `previous`, cycles; checked against hand-worked numbers and hand SQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns, plain, SOURCES } from './data.ts';

const BASE = `
kpi logins {
  numerator login_count
  grain month
}
kpi active {
  numerator active_customers
  grain month
}
kpi long_sessions {
  numerator avg_long_session
  grain month
}
`;

// In another file: names cross files.
const DERIVED = `
kpi logins_per_active {
  value logins / active
  grain month
  warn < 1.5
}
kpi logins_times_long {
  value logins * long_sessions
  grain month
}
kpi login_growth {
  value logins / previous(logins) - 1
  grain month
  critical < -30%
}
kpi nested {
  value logins_per_active * 2 + 1
  grain month
}
`;

// A diamond: every level reads the two before it (Fibonacci). Planned and
// emitted once per KPI, the SQL grows by a few CTEs a level, not 1.6x.
const DIAMOND =
  Array.from({ length: 23 }, (_, i) => i + 2)
    .map((i) => `kpi fib${i} {\n  value fib${i - 1} + fib${i - 2}\n  grain month\n}\n`)
    .join('') + 'kpi fib0 {\n  value active\n  grain month\n}\nkpi fib1 {\n  value logins\n  grain month\n}\n';

let project: Project;
beforeAll(async () => {
  project = await openProject(
    {
      'metrics/sources.kpi': SOURCES,
      'metrics/base.kpi': BASE,
      'metrics/derived/ratios.kpi': DERIVED,
      'metrics/derived/diamond.kpi': DIAMOND,
    },
    DATA,
  );
});
afterAll(() => project.close());

describe('derived KPIs', () => {
  it('plans and emits a KPI read along many paths once (a diamond of 25 levels)', async () => {
    const started = performance.now();
    const { rows, compiled } = await project.run({ kpi: 'fib24' });
    expect(performance.now() - started).toBeLessThan(5_000);
    // One values CTE per KPI of the diamond.
    expect(compiled.sql.match(/"fib\d+_values" as \(/g)?.length).toBe(25);
    // With fib0 = active and fib1 = logins, fib_n = F(n) * logins + F(n-1) * active
    // (F(1) = F(2) = 1; fib2 = logins + active), so fib24 = 46368 * logins + 28657 * active.
    // logins Jan 3, Feb 3, Mar 4; active Jan 2, Feb 2, Mar 3.
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 46368 * 3 + 28657 * 2 },
      { period: '2024-02-01', value: 46368 * 3 + 28657 * 2 },
      { period: '2024-03-01', value: 46368 * 4 + 28657 * 3 },
    ]);
  });

  it('divides one KPI by another per period (hand numbers)', async () => {
    // logins Jan 3, Feb 3, Mar 4; active Jan 2, Feb 2, Mar 3.
    const { rows, compiled } = await project.run({ kpi: 'logins_per_active' });
    expect(compiled.columns.map((c) => c.name)).toEqual([
      'period',
      'numerator',
      'denominator',
      'value',
      'status',
      'target_met',
    ]);
    expect(pickColumns(rows, ['period', 'value', 'status'])).toEqual([
      { period: '2024-01-01', value: 1.5, status: 'ok' },
      { period: '2024-02-01', value: 1.5, status: 'ok' },
      { period: '2024-03-01', value: Math.round((4 / 3) * 1e9) / 1e9, status: 'warn' },
    ]);
  });

  it('agrees with hand SQL per segment', async () => {
    const { rows } = await project.run({ kpi: 'logins_per_active', by: [{ name: 'plan', span: span() }] });
    const hand = await project.db.all(`
      select date_trunc('month', e.at)::date as period, c.plan,
             count(*)::double / count(distinct e.customer_id) as value
      from read_csv('${project.db.root}/events.csv') e join read_csv('${project.db.root}/customers.csv') c using (customer_id)
      group by all order by 1, 2`);
    expect(pickColumns(rows, ['period', 'plan', 'value'])).toEqual(plain(hand));
  });

  it('is null where an input is null', async () => {
    // avg_long_session (duration > 100): Jan 150, Feb none (null), Mar 200.
    const { rows } = await project.run({ kpi: 'logins_times_long' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 450 },
      { period: '2024-02-01', value: null },
      { period: '2024-03-01', value: 800 },
    ]);
  });

  it('nests: a derived KPI of a derived KPI', async () => {
    const { rows } = await project.run({ kpi: 'nested', to: '2024-03-01' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 4 },
      { period: '2024-02-01', value: 4 },
    ]);
  });

  it('reads the previous period, also the one before --from', async () => {
    const all = await project.run({ kpi: 'login_growth' });
    expect(pickColumns(all.rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: null },
      { period: '2024-02-01', value: 0 },
      { period: '2024-03-01', value: Math.round((4 / 3 - 1) * 1e9) / 1e9 },
    ]);
    const from = await project.run({ kpi: 'login_growth', from: '2024-02-01' });
    expect(pickColumns(from.rows, ['period', 'value'])).toEqual([
      { period: '2024-02-01', value: 0 },
      { period: '2024-03-01', value: Math.round((4 / 3 - 1) * 1e9) / 1e9 },
    ]);
  });

  it("compiles to one statement whose inputs are each KPI's own CTEs", () => {
    const { sql } = project.compile({ kpi: 'logins_per_active' });
    expect(sql).toContain('"logins_per_active_values"');
    expect(sql.match(/"events_rows(_\d)?" as/g)).toHaveLength(2);
    expect(project.compile({ kpi: 'logins_per_active' }).sql).toBe(sql);
  });

  it('exposes its inputs for explain', () => {
    expect(project.compile({ kpi: 'login_growth' }).components).toEqual([
      { kpi: 'logins', lag: 0 },
      { kpi: 'logins', lag: 1 },
    ]);
  });
});

describe('derived KPI errors', () => {
  // The resolver finds cycles and unknown KPIs, so `kpic lint` and `check` report them without a query.
  it("names the whole cycle, in the model's diagnostics", () => {
    const files = [
      parseFile(SOURCES, 'metrics/sources.kpi').value,
      parseFile('kpi a {\n  value b + 1\n}\n', 'metrics/a.kpi').value,
      parseFile('kpi b {\n  value c * 2\n}\n', 'metrics/b.kpi').value,
      parseFile('kpi c {\n  value a - 1\n}\nkpi d {\n  value a\n}\nkpi e {\n  value logins_x\n}\n', 'metrics/c.kpi')
        .value,
    ];
    for (const order of [files, [...files].reverse()]) {
      const resolved = resolveProject(order, EMPTY_CATALOG, {});
      const cycle = resolved.diagnostics.filter((d) => d.code === 'kpi-cycle');
      expect(cycle).toHaveLength(1);
      expect(cycle[0]!.message).toContain('a -> b -> c -> a');
      expect(cycle[0]!.file).toBe('metrics/c.kpi');
      expect(cycle[0]!.span.start.line).toBe(2);
      // KPIs on the cycle, and those reading them, are left out of the model; `d` says nothing more.
      expect([...resolved.value.kpis.keys()].filter((k) => 'abcde'.includes(k))).toEqual([]);
      expect(resolved.diagnostics.filter((d) => d.code === 'unknown-kpi').map((d) => d.span.start.line)).toEqual([8]);
    }
  });

  it('rejects unknown KPIs with a suggestion, and previous without a grain', () => {
    const bad = compileQuery(project.model, { kpi: 'logins_per_active', grain: 'none' }, { dataRoot: '/data' });
    expect(bad.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const none = compileQuery(project.model, { kpi: 'login_growth', grain: 'none' }, { dataRoot: '/data' });
    expect(none.diagnostics.map((d) => d.code)).toContain('previous-without-grain');
  });

  it('reports a misspelt KPI when the model is resolved', () => {
    const files = [
      parseFile(SOURCES, 'metrics/sources.kpi').value,
      parseFile(BASE, 'metrics/base.kpi').value,
      parseFile('kpi t {\n  value logns / active\n}\n', 'metrics/t.kpi').value,
    ];
    const [d] = resolveProject(files, EMPTY_CATALOG, {}).diagnostics.filter((x) => x.severity === 'error');
    expect(d?.code).toBe('unknown-kpi');
    expect(d?.help).toContain('`logins`');
  });
});

function span() {
  return { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
}
