// Aggregated dimensions across several many-to-one links (usage ->
// subscriptions -> accounts), checked against hand-written SQL and
// hand-worked numbers; a path that fans out is refused naming the link.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { SAAS_DATA, SAAS_MODEL } from './saas-fixture.ts';

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'm.kpi': SAAS_MODEL }, SAAS_DATA);
});
afterAll(() => project?.close());

describe('aggregated dimensions two links away', () => {
  it('computes the first value date per account as hand-written SQL does', async () => {
    const { rows } = await project.run({ kpi: 'activation', by: [{ name: 'account_id', span: SPAN }], grain: 'none' });
    const hand = await project.db.all(`
      select a.account_id, min(u.used_on) as first_value_date
      from '${project.db.root}/accounts.csv' a
      left join '${project.db.root}/subscriptions.csv' s on s.account_id = a.account_id
      left join '${project.db.root}/usage.csv' u on u.subscription_id = s.subscription_id and u.count > 0 and u.used_on >= a.signup_date
      group by a.account_id order by a.account_id`);
    // By hand: a1 2024-01-20 (u1 is before signup, u2 counts 0); a2 2024-02-03; a3 none; a4 none (only usage before signup).
    expect(hand.map((r) => [r.account_id, r.first_value_date])).toEqual([
      ['a1', '2024-01-20'],
      ['a2', '2024-02-03'],
      ['a3', null],
      ['a4', null],
    ]);
    expect(rows.map((r) => [r.account_id, r.numerator])).toEqual(
      hand.map((r) => [r.account_id, r.first_value_date === null ? '0' : '1']),
    );
  });

  it('activation and time to value by signup month, by hand', async () => {
    const activation = await project.run({ kpi: 'activation', by: 'none' });
    // January: a1 (activated), a4 (not): 1 / 2. February: a2 (activated), a3 (joined mid-month, no usage): 1 / 2.
    expect(activation.rows.map((r) => [r.period, r.numerator, r.denominator, r.value])).toEqual([
      ['2024-01-01', '1', '2', 0.5],
      ['2024-02-01', '1', '2', 0.5],
    ]);
    const ttv = await project.run({ kpi: 'time_to_value', by: 'none' });
    // a1: 2024-01-10 -> 2024-01-20 = 10 days; a2: 2024-02-01 -> 2024-02-03 = 2 days.
    expect(ttv.rows.map((r) => [r.period, r.value])).toEqual([
      ['2024-01-01', 10],
      ['2024-02-01', 2],
    ]);
  });

  it('a predicate may use a column of a source in the middle of the path', async () => {
    const dim = project.model.sources.get('accounts')!.dimensions.get('first_paid_use')!;
    expect(dim.kind === 'aggregated' && dim.path.map((l) => `${l.from}->${l.to}`)).toEqual([
      'usage->subscriptions',
      'subscriptions->accounts',
    ]);
    const compiled = project.compile({
      kpi: 'activation',
      by: [{ name: 'first_paid_use', span: SPAN }],
      grain: 'none',
    });
    const rows = await project.db.all(compiled.sql);
    // a1's paid use is u3 (s2, mrr 100) on 2024-01-20; a2's u5 on 2024-02-03; a4 paid (s4) on 2024-01-02; a3 none.
    expect(rows.map((r) => [r.first_paid_use, r.denominator]).sort()).toEqual([
      [null, '1'],
      ['2024-01-02', '1'],
      ['2024-01-20', '1'],
      ['2024-02-03', '1'],
    ]);
  });
});

describe('paths that cannot be aggregated', () => {
  const resolve = (extra: string) =>
    resolveProject([parseFile(SAAS_MODEL + extra, 'm.kpi').value], EMPTY_CATALOG, {}).diagnostics.filter(
      (d) => d.severity === 'error',
    );

  it('refuses a path that fans out, naming the link', () => {
    const [d, ...rest] = resolve(
      'source terms from "subscriptions.csv" {\n  key subscription_id\n  customer account_id\n  dimension ticket_count = count(tickets.ticket_id)\n}\n',
    );
    expect(rest).toEqual([]);
    expect(d?.code).toBe('aggregate-source');
    expect(d?.message).toContain('`terms.account_id -> accounts.account_id` taken backwards');
  });

  it('refuses a source with no path at all', () => {
    const [d] = resolve(
      'source notes from "notes.csv" {\n  key note_id\n}\nsource regions from "regions.csv" {\n  key region_id\n  dimension n = count(notes.note_id)\n}\n',
    );
    expect(d?.code).toBe('aggregate-source');
    expect(d?.message).toContain('`notes` has no link to `regions`');
  });
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
