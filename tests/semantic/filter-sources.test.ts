// A KPI filter on a plain column of one measure's source: bound there, and
// unreachable (broadcast by the planner) at the other measure sources.

import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { bindExpr } from '../../compiler/semantic/bind.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { csv } from '../sql/duckdb.ts';
import { openProject } from '../sql/harness.ts';
import { catalogOf } from './catalog-fixture.ts';
import { expectOne, resolveTexts, summary } from './helpers.ts';

const TEXT = `customer customers from "c.csv" {
  key customer_id
  dimension tier
  measure n = count()
}
source events from "e.csv" {
  key event_id
  customer customer_id
  time ts
  measure e = count()
}
source audits from "a.csv" {
  key audit_id
  measure audited = count()
}
`;
const CATALOG = catalogOf({
  'file:c.csv': { customer_id: 'integer', tier: 'text', email: 'text' },
  'file:e.csv': { event_id: 'integer', customer_id: 'integer', ts: 'timestamp', amount: 'integer' },
  'file:a.csv': { audit_id: 'integer', severity: 'integer', email: 'text' },
});

function expression(text: string) {
  return parseExpression(text, '<query>').value!;
}

describe('bindExpr: columns of sources the root cannot reach', () => {
  const { value: model, diagnostics } = resolveTexts({ 'm.kpi': TEXT }, CATALOG);

  it('resolves the model cleanly', () => {
    expect(diagnostics.map(summary)).toEqual([]);
  });

  it('binds a plain column at the source that has it', () => {
    const bound = bindExpr(model, 'events', expression('amount > 0'), '<query>', { predicate: true });
    expect(bound.diagnostics).toEqual([]);
    expect(bound.value).toMatchObject({ kind: 'binary', left: { kind: 'column', source: 'events', column: 'amount' } });
  });

  it('lists it as unreachable at a source that cannot reach it (not unknown-dimension)', () => {
    const bound = bindExpr(model, 'customers', expression('amount > 0 and tier = "gold"'), '<query>', {
      predicate: true,
    });
    expect(bound.diagnostics).toEqual([]);
    expect(bound.unreachable.map((n) => n.name)).toEqual(['amount']);
    expect(bound.value).toMatchObject({ kind: 'binary', op: '=', left: { column: 'tier' } });
  });

  it('still refuses a plain column of a source the root does reach (even if an unreachable one has it too): it must be qualified', () => {
    const text = 'email = "x"';
    const bound = bindExpr(model, 'events', expression(text), '<query>', { predicate: true });
    expect(bound.diagnostics.map((d) => [d.code, d.help])).toEqual([
      ['unknown-dimension', expect.stringContaining('customers.email')],
    ]);
  });

  it('still reports a name that is nowhere in the model', () => {
    const bound = bindExpr(model, 'customers', expression('amout > 0'), '<query>', { predicate: true });
    expect(bound.diagnostics.map((d) => d.code)).toEqual(['unknown-dimension']);
    expect(bound.unreachable).toEqual([]);
  });
});

describe('a KPI filter on a column of one of its measure sources', () => {
  it('is accepted by the resolver and compiles, filtering only the measure whose source has the column', () => {
    const text = `${TEXT}kpi k {\n  numerator n + e\n  where amount > 0\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'm.kpi': text }, CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    const compiled = compileQuery(model, { kpi: 'k', grain: 'none', by: 'none' }, { dataRoot: '/data' });
    expect(compiled.diagnostics.filter((d) => d.severity === 'error').map(summary)).toEqual([]);
    const sql = compiled.value!.sql;
    // The filter appears once: on the events scan, not on customers.
    expect(sql.match(/"amount" > 0/g)).toHaveLength(1);
  });

  it('gives the value worked out by hand on DuckDB: customers all counted, events only with amount > 0', async () => {
    const data = {
      'c.csv': csv('customer_id,tier,email', [
        [1, 'gold', 'a@x'],
        [2, 'silver', 'b@x'],
        [3, 'gold', 'c@x'],
      ]),
      'e.csv': csv('event_id,customer_id,ts,amount', [
        [10, 1, '2024-01-05 10:00:00', 5],
        [11, 1, '2024-01-06 10:00:00', 0],
        [12, 2, '2024-02-01 09:00:00', -2],
        [13, 3, '2024-03-01 08:00:00', 7],
      ]),
      'a.csv': csv('audit_id,severity,email', [[1, 3, 'z@x']]),
    };
    const project = await openProject({ 'm.kpi': `${TEXT}kpi k {\n  numerator n + e\n  where amount > 0\n}\n` }, data);
    try {
      const { rows } = await project.run({ kpi: 'k', grain: 'none', by: 'none' });
      // n = 3 customers (the filter cannot apply to them), e = 2 events (10 and 13) with amount > 0.
      expect(rows.map((r) => [Number(r['numerator']), Number(r['value'])])).toEqual([[5, 5]]);
    } finally {
      await project.close();
    }
  });

  it('is unknown-dimension, naming the owner, when no measure source reaches it', () => {
    const text = `${TEXT}kpi k {\n  numerator n + e\n  where severity > 2\n}\n`;
    const { diagnostics } = resolveTexts({ 'm.kpi': text }, CATALOG);
    const found = expectOne(diagnostics, 'unknown-dimension', 'm.kpi', text, 'severity >');
    expect(found.message).toContain('`audits`');
    expect(found.message).toContain('`customers` and `events`');
  });
});
