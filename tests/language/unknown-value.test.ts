// `unknown-value`: a text literal compared with a low-cardinality text column
// is checked against the column's values, from the data (`kpic check`, `kpic
// run --where`) or from the schema snapshot (`kpic lint`, `kpic check`
// without the data). Hand-made data: every expected finding is worked out
// from the CSV files below.

import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsOfLiterals, valueLiteralsOfModel } from '../../compiler/index.ts';
import { SETTLE_MS } from '../../runtime/cache/answers.ts';
import { readColumnValues } from '../../runtime/project/column-values.ts';
import { openProject } from '../../runtime/project/open.ts';
import { kpic } from '../cli/helpers.ts';

// Regions EMEA, AMER, APAC; tiers gold, silver. Survey types nps, csat, ces.
// `code` has 101 distinct values (too many to be a category); `notes` is free text no literal names.
const CUSTOMERS =
  'customer_id,signup_date,tier,region,notes\n1,2024-01-03,gold,EMEA,first\n2,2024-01-15,silver,AMER,second\n3,2024-02-01,gold,APAC,third\n';
const SURVEYS = `response_id,customer_id,responded_at,survey_type,score,code\n${Array.from(
  { length: 101 },
  (_, i) =>
    `${i + 1},${(i % 3) + 1},2024-02-${String((i % 27) + 1).padStart(2, '0')} 10:00:00,${['nps', 'csat', 'ces'][i % 3]},${i % 11},c${i}`,
).join('\n')}\n`;

const MODEL = `customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier, region
}
source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  dimension survey_type, code
  measure nps_answers = count() where survey_type = "NPS"
  measure other_answers = count() where survey_type in ("csat", "cees")
  measure coded = count() where code = "zzz"
}
kpi answers {
  owner "x"
  numerator nps_answers
  where region != "Antarctica"
  segment by region
  grain month
  warn < 1
  critical < 0 for region = "Emea"
  alert quiet_gold {
    by customer
    where tier = "Gold"
    when status critical
  }
}
kpi others {
  owner "x"
  numerator other_answers + coded
  segment by tier
  grain month
}
`;

// Line:column of each literal in MODEL, and the help each finding gives.
const EXPECTED = [
  'metrics/m.kpi:11:53 unknown-value did you mean "nps"?',
  'metrics/m.kpi:12:65 unknown-value did you mean "ces"?',
  'metrics/m.kpi:18:19 unknown-value its values are: "AMER", "APAC", "EMEA"',
  'metrics/m.kpi:22:29 unknown-value did you mean "EMEA"?',
  'metrics/m.kpi:25:18 unknown-value did you mean "gold"?',
];

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function makeProject(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-unknown-value-')));
  roots.push(root);
  mkdirSync(join(root, 'metrics'));
  mkdirSync(join(root, 'data'));
  writeFileSync(
    join(root, 'kpic.yaml'),
    'name: values\nmetrics: ["metrics/**/*.kpi"]\ndata:\n  engine: duckdb\n  root: data\ntimezone: UTC\n',
  );
  writeFileSync(join(root, 'metrics/m.kpi'), MODEL);
  writeFileSync(join(root, 'data/customers.csv'), CUSTOMERS);
  writeFileSync(join(root, 'data/surveys.csv'), SURVEYS);
  return root;
}

/** `file:line:col code help` of each unknown-value finding in the pretty output of check or lint. */
function findings(text: string): string[] {
  return text
    .split(/\n\n/)
    .map((block) => {
      const head = /^(\S+):(\d+):(\d+) warn unknown-value/m.exec(block);
      const hint = /hint: (.*)$/m.exec(block)?.[1]?.replace(' (values compare with their case)', '');
      return head ? `${head[1]}:${head[2]}:${head[3]} unknown-value ${hint}` : undefined;
    })
    .filter((f): f is string => f !== undefined);
}

describe('unknown-value', () => {
  it('check reads the values from the data; lint without a snapshot cannot and says nothing', async () => {
    const root = makeProject();
    const check = await kpic(root, ['check']);
    expect(findings(check.stdout + check.stderr)).toEqual(EXPECTED);
    // A warning: the project still checks (exit 0).
    expect(check.code).toBe(0);
    const lint = await kpic(root, ['lint']);
    expect(findings(lint.stdout + lint.stderr)).toEqual([]);
    expect(lint.code).toBe(0);
  }, 240_000);

  it('run warns about a --where literal at <query>, and runs', async () => {
    const root = makeProject();
    const run = await kpic(root, ['run', 'answers', '--where', 'region = "emea"', '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warn unknown-value');
    expect(run.stderr).toContain('<query>:');
    expect(run.stderr).toContain('"emea" is not a value of `customers.region` in the data');
    expect(run.stderr).toContain('did you mean "EMEA"?');
    const right = await kpic(root, ['run', 'answers', '--where', 'region = "EMEA"', '--format', 'csv']);
    expect(right.stderr).not.toContain('unknown-value');
  }, 240_000);

  it('the snapshot stores the values of named text columns; lint and check without the data use them', async () => {
    const root = makeProject();
    expect((await kpic(root, ['schema', 'snapshot'])).code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'kpic.schema.json'), 'utf8')) as {
      relations: Record<string, { columns: { name: string; values?: string[] }[] }>;
    };
    const values = (relation: string, column: string) =>
      snapshot.relations[relation]!.columns.find((c) => c.name === column)?.values;
    expect(values('file:customers.csv', 'region')).toEqual(['AMER', 'APAC', 'EMEA']);
    expect(values('file:customers.csv', 'tier')).toEqual(['gold', 'silver']);
    expect(values('file:surveys.csv', 'survey_type')).toEqual(['ces', 'csat', 'nps']);
    // Free text no dimension or literal names, a number, and a column of 101 values: none stored.
    expect(values('file:customers.csv', 'notes')).toBeUndefined();
    expect(values('file:surveys.csv', 'score')).toBeUndefined();
    expect(values('file:surveys.csv', 'code')).toBeUndefined();

    const lint = await kpic(root, ['lint']);
    expect(findings(lint.stdout + lint.stderr)).toEqual(EXPECTED);
    rmSync(join(root, 'data/customers.csv'));
    rmSync(join(root, 'data/surveys.csv'));
    const check = await kpic(root, ['check']);
    expect(findings(check.stdout + check.stderr)).toEqual(EXPECTED);
  }, 240_000);

  it('reads only the columns that literals are compared with, one query each', async () => {
    const root = makeProject();
    const project = await openProject({ projectDir: root });
    try {
      const asked: string[] = [];
      const all = project.engine.all.bind(project.engine);
      (project.engine as { all: typeof all }).all = (sql, options) => {
        asked.push(sql);
        return all(sql, options);
      };
      const literals = valueLiteralsOfModel(project.model);
      const valuesOf = await readColumnValues(project, columnsOfLiterals(literals), undefined);
      expect(asked.map((sql) => /cast\("t"\."(\w+)"/.exec(sql)?.[1] ?? sql).sort()).toEqual([
        'code',
        'region',
        'survey_type',
        'tier',
      ]);
      expect(valuesOf({ source: 'customers', column: 'region' })).toEqual(['AMER', 'APAC', 'EMEA']);
      // 101 values: not a category, not checked.
      expect(valuesOf({ source: 'surveys', column: 'code' })).toBeUndefined();
    } finally {
      await project.close();
    }
  }, 240_000);
  it('keeps the values while the file stays the same, and asks again once it changed', async () => {
    const root = makeProject();
    // A file changed moments ago is not trusted to show a later change in its times (cache/answers.ts): wait.
    const settle = () => new Promise((done) => setTimeout(done, SETTLE_MS + 300));
    await settle();
    const valuesAsked = async () => {
      const project = await openProject({ projectDir: root });
      try {
        const asked: string[] = [];
        const all = project.engine.all.bind(project.engine);
        (project.engine as { all: typeof all }).all = (sql, options) => {
          if (sql.startsWith('select distinct')) asked.push(/cast\("t"\."(\w+)"/.exec(sql)?.[1] ?? sql);
          return all(sql, options);
        };
        const valuesOf = await readColumnValues(
          project,
          columnsOfLiterals(valueLiteralsOfModel(project.model)),
          undefined,
        );
        return {
          asked: asked.sort(),
          region: valuesOf({ source: 'customers', column: 'region' }),
          code: valuesOf({ source: 'surveys', column: 'code' }),
        };
      } finally {
        await project.close();
      }
    };
    const first = await valuesAsked();
    expect(first.asked).toEqual(['code', 'region', 'survey_type', 'tier']);
    expect(first.region).toEqual(['AMER', 'APAC', 'EMEA']);
    // Again: every answer kept, the column of 101 values (not a category) too.
    const second = await valuesAsked();
    expect(second.asked).toEqual([]);
    expect(second.region).toEqual(['AMER', 'APAC', 'EMEA']);
    expect(second.code).toBeUndefined();
    // A customer in a new region: customers.csv is asked again, surveys.csv is not.
    writeFileSync(join(root, 'data/customers.csv'), `${CUSTOMERS}4,2024-03-01,gold,LATAM,fourth\n`);
    await settle();
    const third = await valuesAsked();
    expect(third.asked).toEqual(['region', 'tier']);
    expect(third.region).toEqual(['AMER', 'APAC', 'EMEA', 'LATAM']);
  }, 240_000);
});
