// Exit codes of cli.md, and no stack trace on any bad input.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from './helpers.ts';
import type { CliResult } from './helpers.ts';

const project = copyTemplate('kpic-exit-');
afterAll(() => project.cleanup());

function expectClean(r: CliResult): void {
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stdout).not.toMatch(STACK_FRAME);
  expect(`${r.stdout}${r.stderr}`).not.toContain('\u001b[');
}

describe.concurrent('usage errors exit 2', () => {
  it.each([
    [['frobnicate'], /unknown command/],
    [['run'], /missing required argument/],
    [['run', 'nps', '--format', 'xml'], /Allowed choices are table, csv, json, markdown/],
    [['run', 'nps', '--bogus'], /unknown option '--bogus'/],
    [['run', 'nps', '--grain', 'monthly'], /did you mean `month`\?/],
    [['run', 'nps', '--from', '2024-02-30'], /`2024-02-30` is not a date/],
    [['run', 'nps', '--from', '2024-03-01', '--to', '2024-02-01'], /is not before --to/],
    [['run', 'nps', '--by', 'tier;drop'], /is not a dimension name/],
    [['run', 'nps', '--timeout', 'soon'], /not a number of seconds/],
    [['run', 'nsp'], /unknown KPI `nsp`\nhint: did you mean `nps`\?/],
    [['explain', 'npx'], /did you mean `nps`\?/],
    [['compile', 'nps', '--by', 'teir'], /<query>:1:6 error .*\n.*--by teir\n.*\^\^\^\^/],
    [['run', 'nps', '--dialect', 'postgres'], /--dialect postgres is for `kpic compile`/],
    [['check', 'no/such/file.kpi'], /no such file or folder: no\/such\/file.kpi/],
    [['--project', 'nowhere', 'list'], /no such folder/],
  ])('kpic %j', async (args, message) => {
    const r = await kpic(project.dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectClean(r);
  });

  it('--help and --version exit 0, and every command is registered', async () => {
    const help = await kpic(project.dir, ['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'check', 'lint', 'list', 'explain', 'compile', 'run'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const version = await kpic(project.dir, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe.concurrent('project file errors exit 2', () => {
  it('shows the place in kpic.yaml', async () => {
    const dir = copyTemplate('kpic-yaml-');
    writeFileSync(join(dir.dir, 'kpic.yaml'), 'metrics: ["metrics/**/*.kpi"]\ndata:\n  engine: mysql\n');
    const r = await kpic(dir.dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'kpic.yaml:3:11 error config-invalid-value\n  3 |   engine: mysql\n    |           ^^^^^',
    );
    expectClean(r);
    dir.cleanup();
  });

  it('refuses a missing database file and never creates it', async () => {
    const dir = copyTemplate('kpic-nodb-');
    writeFileSync(join(dir.dir, 'kpic.yaml'), 'data:\n  database: warehouse.duckdb\n  root: data\n');
    const r = await kpic(dir.dir, ['run', 'nps']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/warehouse.duckdb` does not exist/);
    expectClean(r);
    dir.cleanup();
  });

  it('a PostgreSQL server that cannot be reached: one line naming host, database and variable, exit 3, no password', async () => {
    const dir = copyTemplate('kpic-pg-');
    writeFileSync(join(dir.dir, 'kpic.yaml'), 'data:\n  engine: postgres\n  url_env: KPIC_DB\n  root: data\n');
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    const env = { KPIC_DB: 'postgres://analyst:hunter2-secret@127.0.0.1:1/warehouse' };
    const r = await kpic(dir.dir, ['run', 'nps'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^error: cannot connect to PostgreSQL at 127\.0\.0\.1:1, database warehouse \(from KPIC_DB\): .*ECONNREFUSED.*\n$/,
    );
    expect(r.stderr + r.stdout).not.toContain('hunter2');
    const unset = await kpic(dir.dir, ['run', 'nps'], { env: {} });
    expect(unset.code).toBe(3);
    expect(unset.stderr).toContain('the variable KPIC_DB (data.url_env in kpic.yaml) is not set');
    // compile needs no database: it prints PostgreSQL's SQL.
    const compiled = await kpic(dir.dir, ['compile', 'nps'], { env });
    expect(compiled.stdout).not.toContain('hunter2');
    dir.cleanup();
  });
});

describe.concurrent('problems in .kpi files exit 1', () => {
  it('reports every broken file, one not UTF-8 among them', async () => {
    const dir = copyTemplate('kpic-broken-');
    writeFileSync(
      join(dir.dir, 'metrics', 'latin1.kpi'),
      Buffer.concat([Buffer.from('kpi caf'), Buffer.from([0xe9]), Buffer.from(' {}\n')]),
    );
    writeFileSync(join(dir.dir, 'metrics', 'syntax.kpi'), 'kpi broken {\n  numerator = = promoters\n}\n');
    const r = await kpic(dir.dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('metrics/latin1.kpi:1:8 error invalid-encoding');
    expect(r.stdout).toMatch(/metrics\/syntax\.kpi:2:\d+ error /);
    expect(r.stdout).toMatch(/\d+ errors?, \d+ warnings? in \d+ files?\n/);
    expectClean(r);
    dir.cleanup();
  });

  it('refuses a data file that links outside the data root, and a missing one', async () => {
    const dir = copyTemplate('kpic-link-');
    const outside = join(dir.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.csv'), 'response_id,customer_id,responded_at,nps\n1,1,2024-01-01,10\n');
    symlinkSync(join(outside, 'secret.csv'), join(dir.dir, 'data', 'linked.csv'));
    writeFileSync(
      join(dir.dir, 'metrics', 'extra.kpi'),
      'source linked from "linked.csv" {\n  customer customer_id\n  time responded_at\n  measure linked_rows = count()\n}\n\nsource gone from "gone.csv" {\n  customer customer_id\n  measure gone_rows = count()\n}\n',
    );
    const r = await kpic(dir.dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('metrics/extra.kpi:1:20 error unsafe-path');
    expect(r.stdout).toContain('metrics/extra.kpi:7:18 error source-unreadable');
    expect(r.stdout.match(/ error /g)).toHaveLength(2);
    expect(r.stdout).not.toContain('2024-01-01,10');
    expectClean(r);
    dir.cleanup();
  });
});

describe.concurrent('engine errors at run time exit 3', () => {
  it('a cast that fails on the data', async () => {
    const dir = copyTemplate('kpic-cast-');
    writeFileSync(
      join(dir.dir, 'data', 'scores.csv'),
      'score_id,customer_id,taken_at,score\n1,1,2024-01-05,7\n2,2,2024-01-06,n/a\n',
    );
    writeFileSync(
      join(dir.dir, 'metrics', 'scores.kpi'),
      [
        'source scores from "scores.csv" {',
        '  key score_id',
        '  customer customer_id',
        '  time taken_at',
        '  measure score_total = sum(number(score))',
        '}',
        '',
        'kpi score_total {',
        '  owner "cx"',
        '  description "Sum of scores."',
        '  numerator score_total',
        '}',
        '',
      ].join('\n'),
    );
    const r = await kpic(dir.dir, ['run', 'score_total', '--format', 'csv']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: Conversion Error/);
    expectClean(r);
    dir.cleanup();
  });
});
