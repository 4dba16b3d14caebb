// `kpic test` without a schema snapshot: an aggregated dimension two links
// away whose predicate names a column of the customer entity unqualified
// (`usage.used_on >= signup_date`) reads the entity's column, as it does on
// the real data. Before the fix the fixture tables guessed a null
// `usage.signup_date` and the query compared a DATE with it (the test could
// not run); a predicate that reads such a guess counts nothing.
// Expected numbers are worked out by hand in the comments.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../runtime/diff/definitions.ts';
import { findTestFiles, runTests } from '../../runtime/testing/run.ts';
import { SAAS_MODEL } from './saas-fixture.ts';

const MODEL = SAAS_MODEL.replace(
  '  measure accounts_count = count()\n',
  '  measure accounts_count = count()\n  measure paid_users = count() where first_paid_use is not null\n',
);

const EXTRA = `
kpi paid_adoption {
  numerator paid_users
  denominator accounts_count
}
`;

// a1 signs up 2024-01-10 and uses s1 on 2024-01-11 (count 1): activated.
// a2 signs up 2024-01-10; its only usage (s2, 2024-01-05) is before signup: not activated.
// a3 signs up 2024-01-10 and uses s3 on 2024-01-12 with a count of 0: not activated.
// activation = 1 / 3. Paid use (subscriptions.mrr > 0, a column in the middle of the path):
// a1 (s1 mrr 10) and a2 (s2 mrr 20, usage before signup still counts); a3's s3 has mrr 0: 2 / 3.
const DATA = `    data:
      accounts:
        - { account_id: a1, signup_date: 2024-01-10, tier: pro }
        - { account_id: a2, signup_date: 2024-01-10, tier: basic }
        - { account_id: a3, signup_date: 2024-01-10, tier: pro }
      subscriptions:
        - { subscription_id: s1, account_id: a1, plan: pro, mrr: 10, started_at: 2024-01-10, ended_at: null }
        - { subscription_id: s2, account_id: a2, plan: basic, mrr: 20, started_at: 2024-01-01, ended_at: null }
        - { subscription_id: s3, account_id: a3, plan: trial, mrr: 0, started_at: 2024-01-10, ended_at: null }
      usage:
        - { usage_id: u1, subscription_id: s1, used_on: 2024-01-11, count: 1 }
        - { usage_id: u2, subscription_id: s2, used_on: 2024-01-05, count: 1 }
        - { usage_id: u3, subscription_id: s3, used_on: 2024-01-12, count: 0 }
      tickets: []
`;

const TESTS = `tests:
  - name: activation reads the account's signup date
    kpi: activation
    query: { by: none, grain: none }
${DATA}    expect:
      - { numerator: 1, denominator: 3 }
  - name: paid use reads the subscription's mrr
    kpi: paid_adoption
    query: { by: none, grain: none }
${DATA}    expect:
      - { numerator: 2, denominator: 3 }
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kpic-fixture-binding-'));
  mkdirSync(join(root, 'metrics'));
  writeFileSync(
    join(root, 'kpic.yaml'),
    'name: t\nmetrics: ["metrics/**/*.kpi"]\ndata:\n  engine: duckdb\n  root: data\ntimezone: UTC\n',
  );
  writeFileSync(join(root, 'metrics/m.kpi'), MODEL + EXTRA);
  writeFileSync(join(root, 'metrics/a.test.yaml'), TESTS);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('kpic test without a schema snapshot, two links away', () => {
  it('binds an unqualified entity column in an aggregated predicate to the entity', async () => {
    const definitions = loadDefinitions(root);
    expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = await runTests(definitions, findTestFiles(root), undefined);
    expect(run.problems).toEqual([]);
    expect(run.outcomes.map((o) => [o.test.name, o.kind, o.kind === 'pass' ? [] : o.lines])).toEqual([
      ["activation reads the account's signup date", 'pass', []],
      ["paid use reads the subscription's mrr", 'pass', []],
    ]);
  }, 120_000);

  it('still guesses a column the source reads elsewhere', async () => {
    // `count` is read by `usage_total` on usage itself: a test that gives no usage rows still runs.
    const definitions = loadDefinitions(root);
    writeFileSync(
      join(root, 'metrics/b.test.yaml'),
      'kpi: activation\ntests:\n  - name: no usage\n    query: { by: none, grain: none }\n    data:\n      accounts: [{ account_id: a1, signup_date: 2024-01-10, tier: pro }]\n      subscriptions: []\n      usage: []\n      tickets: []\n    expect:\n      - { numerator: 0, denominator: 1 }\n',
    );
    const run = await runTests(definitions, [join(root, 'metrics/b.test.yaml')], undefined);
    expect(run.outcomes.map((o) => [o.kind, o.kind === 'pass' ? [] : o.lines])).toEqual([['pass', []]]);
  }, 120_000);
});
