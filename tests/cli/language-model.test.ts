// The language's model as every command sees it (issue: the language on real
// data): derived KPIs resolved with the rest of the model, so `lint` finds
// what `check` finds, and errors in one declaration do not block the others.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAAS_DATA, SAAS_MODEL } from '../language/saas-fixture.ts';
import { copyTemplate, kpic } from './helpers.ts';

const project = copyTemplate('kpic-lang-');
afterAll(() => project.cleanup());

writeFileSync(
  join(project.dir, 'metrics/derived.kpi'),
  'kpi nps_doubled {\n  owner "x"\n  value nps * 2\n  segment by tier\n  grain month\n}\n',
);
writeFileSync(
  join(project.dir, 'metrics/broken.kpi'),
  [
    'kpi nps_ratio {\n  owner "x"\n  value nps / nosuch_kpi\n}\n',
    'kpi ping {\n  owner "x"\n  value pong + 1\n}\n',
    'kpi pong {\n  owner "x"\n  value ping * 2\n}\n',
  ].join(''),
);

describe.concurrent('derived KPIs in the model', () => {
  it('lint reports an unknown KPI and a cycle in a derived value, as check does', async () => {
    for (const command of ['lint', 'check']) {
      const r = await kpic(project.dir, [command]);
      expect(r.code, command).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out, command).toContain('metrics/broken.kpi:3:15 error unknown-kpi');
      expect(out, command).toMatch(/metrics\/broken\.kpi:11:9 error kpi-cycle[\s\S]*ping -> pong -> ping/);
    }
  });

  it('run of a KPI that does not resolve prints its own errors and counts the others', async () => {
    const ratio = await kpic(project.dir, ['run', 'nps_ratio']);
    expect(ratio.code).toBe(1);
    expect(ratio.stderr).toContain('error: KPI `nps_ratio` cannot be used: 1 error in it or in what it depends on');
    expect(ratio.stderr).toContain('metrics/broken.kpi:3:15 error unknown-kpi');
    expect(ratio.stderr).not.toContain('kpi-cycle');
    expect(ratio.stderr).toContain('note: 1 other error in the project does not affect `nps_ratio`; run `kpic check`');
    // `ping` reads `pong`, where the cycle's error is reported: that error is ping's too.
    const ping = await kpic(project.dir, ['run', 'ping']);
    expect(ping.code).toBe(1);
    expect(ping.stderr).toMatch(/metrics\/broken\.kpi:11:9 error kpi-cycle/);
    expect(ping.stderr).not.toContain('unknown-kpi');
    expect(ping.stderr).toContain('note: 1 other error in the project does not affect `ping`');
  });

  it("explain shows a derived KPI's path to the customer through its inputs", async () => {
    const r = await kpic(project.dir, ['explain', 'nps_doubled']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('through the KPIs it is computed from: nps');
    expect(r.stdout).toContain('promoters: surveys -> customers');
    expect(r.stdout).not.toContain('none: no measure of this KPI reaches the customer entity');
  });

  it('list shows the sound derived KPI and not the broken ones', async () => {
    const r = await kpic(project.dir, ['list', '--json']);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((k) => k.name);
    expect(names).toContain('nps_doubled');
    expect(names).not.toContain('ping');
  });

  it('a sound derived KPI runs although another file has errors', async () => {
    const r = await kpic(project.dir, [
      'run',
      'nps_doubled',
      '--format',
      'csv',
      '--from',
      '2024-01-01',
      '--to',
      '2024-02-01',
    ]);
    expect(r.code).toBe(0);
    // January: gold is customer 1 (10: promoter), 1 response: NPS 100, doubled 200.
    // Silver: customers 2 (6: detractor) and 3 (9: promoter): (1 - 1) / 2 = 0.
    expect(r.stdout).toBe(
      'period,tier,numerator,denominator,value,status,target_met\r\n2024-01-01,gold,,,200,,\r\n2024-01-01,silver,,,0,,\r\n',
    );
    expect(r.stderr).toContain('2 errors elsewhere in the project do not affect `nps_doubled`');
  });
});

// The case: one aggregated dimension of the customer entity cannot be
// resolved; every KPI that does not use it still runs, compiles, documents and tests.
describe.concurrent('one broken declaration does not block the others', () => {
  const saas = makeSaasProject();
  afterAll(() => saas.cleanup());

  it('run and compile a KPI that does not use the broken dimension, with a note', async () => {
    const run = await kpic(saas.dir, ['run', 'activation', '--format', 'csv', '--by', 'none']);
    expect(run.code).toBe(0);
    // January: a1 activated, a4 not; February: a2 activated, a3 (joined mid-month) not.
    expect(run.stdout).toBe(
      'period,numerator,denominator,value,status,target_met\r\n2024-01-01,1,2,0.5,,\r\n2024-02-01,1,2,0.5,,\r\n',
    );
    expect(run.stderr).toContain('1 error elsewhere in the project does not affect `activation`');
    const compile = await kpic(saas.dir, ['compile', 'activation']);
    expect(compile.code).toBe(0);
    expect(compile.stdout).toMatch(/^-- kpi: activation/);
  });

  it('stops a KPI whose filter names the broken dimension, showing that error', async () => {
    const r = await kpic(saas.dir, ['run', 'activation', '--where', 'ticket_reach > 0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error unknown-source');
    const blocked = await kpic(saas.dir, ['run', 'uses_broken']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('error unknown-source');
  });

  it('check reports the error; docs and test still work for the sound KPIs', async () => {
    const check = await kpic(saas.dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/metrics\/model\.kpi:\d+:\d+ error unknown-source/);
    const docs = await kpic(saas.dir, ['docs', '--out', 'site']);
    expect(docs.code).toBe(0);
    expect(docs.stdout).toContain('KPI page');
    // `kpic test` binds `signup_date` (an entity column in a predicate two links away) to the
    // entity without a schema snapshot, as with one.
    const bare = await kpic(saas.dir, ['test']);
    expect(bare.stdout + bare.stderr).toContain('1 passed');
    expect(bare.code).toBe(0);
    expect((await kpic(saas.dir, ['schema', 'snapshot'])).code).toBe(0);
    const test = await kpic(saas.dir, ['test']);
    expect(test.stdout + test.stderr).toContain('1 passed');
    expect(test.code).toBe(0);
  });
});

function makeSaasProject(): { dir: string; cleanup: () => void } {
  const made = copyTemplate('kpic-saas-');
  rmSync(join(made.dir, 'metrics'), { recursive: true });
  rmSync(join(made.dir, 'data'), { recursive: true });
  mkdirSync(join(made.dir, 'metrics'));
  mkdirSync(join(made.dir, 'data'));
  for (const [file, text] of Object.entries(SAAS_DATA)) writeFileSync(join(made.dir, 'data', file), text);
  const broken = SAAS_MODEL.replace(
    '  measure accounts_count = count()',
    '  dimension ticket_reach = count(notes.note_id)\n  measure accounts_count = count()',
  );
  writeFileSync(
    join(made.dir, 'metrics/model.kpi'),
    `${broken}\nkpi uses_broken {\n  numerator accounts_count\n  where ticket_reach > 0\n}\n`,
  );
  writeFileSync(
    join(made.dir, 'metrics/activation.test.yaml'),
    [
      'kpi: activation',
      'tests:',
      '  - name: one account activated',
      '    query: { by: none, grain: none }',
      '    data:',
      '      accounts: [{ account_id: a1, signup_date: 2024-01-10, tier: pro }]',
      '      subscriptions: [{ subscription_id: s1, account_id: a1, plan: pro, mrr: 10, started_at: 2024-01-10, ended_at: null }]',
      '      usage: [{ usage_id: u1, subscription_id: s1, used_on: 2024-01-11, count: 1 }]',
      '      tickets: []',
      '    expect:',
      '      - { numerator: 1, denominator: 1, value: 1 }',
      '',
    ].join('\n'),
  );
  return made;
}
