// `kpic test` builds its fixture tables from type names a pull request can
// change (`kpic.schema.json`, a test file's `types`). Such a name reached
// `create table` as text; now it is parsed against a closed list and the
// fixtures run in the locked-down engine.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureType } from '../../runtime/testing/fixture-types.ts';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const INJECTED = `BIGINT); SET TimeZone = 'Asia/Tokyo'; create table "pwned" ("x" BIGINT`;

const TEST_FILE = `kpi: nps
data:
  customers:
    - { customer_id: 1, tier: gold, region: EMEA, signup_date: 2024-01-01 }
tests:
  - name: one promoter
    kpi: nps
    query: { by: none, grain: none }
    data:
      surveys:
        - { response_id: 1, customer_id: 1, responded_at: "2024-01-05 10:00:00", nps: 10 }
    expect:
      - { numerator: 1, denominator: 1, value: 100 }
`;

const project = copyTemplate('kpic-fixture-types-');
afterAll(() => project.cleanup());

describe('fixture type names', () => {
  it('are parsed against a closed list and respelled', () => {
    expect(fixtureType('bigint')).toBe('BIGINT');
    expect(fixtureType(' decimal( 18 , 2 ) ')).toBe('DECIMAL(18,2)');
    expect(fixtureType('timestamptz')).toBe('TIMESTAMP WITH TIME ZONE');
    expect(fixtureType('varchar[]')).toBe('VARCHAR[]');
    expect(fixtureType('VARCHAR(20)')).toBe('VARCHAR');
    for (const bad of [
      INJECTED,
      'BIGINT DEFAULT 5',
      'DECIMAL(39,2)',
      'DECIMAL(4,5)',
      'STRUCT(a INT)',
      "ENUM('a')",
      'BIGINT[][][]',
      'INTEGER --',
      '',
    ]) {
      expect(fixtureType(bad), bad).toBeUndefined();
    }
  });

  it('the attack: the old table statement on a plain engine runs the text of a committed file', async () => {
    // What the fixture engine used to run for a snapshot column `nps` of this type.
    const instance = await DuckDBInstance.create(':memory:', { enable_external_access: 'false' });
    const connection = await instance.connect();
    try {
      await connection.run(`create table "surveys" ("nps" ${INJECTED})`);
      const reader = await connection.runAndReadAll(
        `select current_setting('TimeZone') as tz, (select count(*) from information_schema.tables where table_name = 'pwned') as pwned`,
      );
      expect(reader.getRowObjectsJson()).toEqual([{ tz: 'Asia/Tokyo', pwned: '1' }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('kpic test refuses an unknown type in kpic.schema.json, naming the file and the column', async () => {
    writeFileSync(join(project.dir, 'nps.test.yaml'), TEST_FILE);
    const snapshot = await kpic(project.dir, ['schema', 'snapshot']);
    expect(snapshot.code).toBe(0);
    const clean = await kpic(project.dir, ['test']);
    expect(clean.stdout).toContain('1 test: 1 passed');
    expect(clean.code).toBe(0);

    const path = join(project.dir, 'kpic.schema.json');
    const text = readFileSync(path, 'utf8');
    const hostile = text.replace(
      /("name": "nps",\s*"type": )"BIGINT"/,
      (_, head: string) => `${head}${JSON.stringify(INJECTED)}`,
    );
    expect(hostile).not.toBe(text);
    writeFileSync(path, hostile);
    const r = await kpic(project.dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `ERROR nps.test.yaml:6 one promoter (nps)\n    kpic.schema.json: column "nps" of \`surveys\` has the type ${JSON.stringify(INJECTED)}, which is not a type metric tests know`,
    );
    expect(r.stdout).toContain('1 test: 0 passed, 1 could not run');
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    writeFileSync(path, text);
  });

  it("kpic test refuses an unknown type in a test file's types", async () => {
    const pinned = TEST_FILE.replace(
      '      surveys:\n',
      `      surveys:\n        types: { nps: ${JSON.stringify(INJECTED)} }\n        rows:\n`,
    ).replace('        - { response_id', '          - { response_id');
    writeFileSync(join(project.dir, 'nps.test.yaml'), pinned);
    const r = await kpic(project.dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`\`types\` of \`surveys\`: ${JSON.stringify(INJECTED)} is not a type metric tests know`);
    const listed = pinned.replace(JSON.stringify(INJECTED), '"decimal(4, 1)"');
    writeFileSync(join(project.dir, 'nps.test.yaml'), listed);
    const ok = await kpic(project.dir, ['test']);
    expect(ok.stdout).toContain('1 test: 1 passed');
    expect(ok.code).toBe(0);
  });

  it('a test query runs in the locked engine: one SELECT, configuration locked', async () => {
    // A metric test can only reach SQL through a compiled query; the engine
    // still refuses anything but one SELECT, and its settings cannot change.
    const { openFixtureEngine } = await import('../../runtime/testing/fixture-engine.ts');
    const engine = await openFixtureEngine();
    try {
      await expect(engine.query(`select 1; set TimeZone = 'Asia/Tokyo'`)).rejects.toThrow(
        /expected exactly one SELECT statement, got 2/,
      );
      await expect(engine.query(`set TimeZone = 'Asia/Tokyo'`)).rejects.toThrow(/only a SELECT statement may run/);
      await expect(engine.query(`select * from read_csv('/etc/passwd')`)).rejects.toThrow(/disabled|Permission/i);
      expect((await engine.query(`select current_setting('TimeZone') as tz`)).rows).toEqual([['UTC']]);
    } finally {
      engine.close();
    }
  });
});
