// The escape suite through the CLI: every way a pull request could make kpic
// read a file outside the project, one distinct attempt per channel.
//
// Each attempt is first made without kpic's defences (a plain DuckDB
// instance, a plain `fs` read or glob) and must read the secret there: proof
// that the attempt names a real file that really can be read. Then the same
// project goes through `kpic`, which must refuse it with a refusal or
// permission error (the attempt's own pattern, not any error), print no line
// of the secret, show no stack trace, and exit with a non-zero code.

import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { globSync } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { leaks, runKpic } from '../hostile/cli.ts';

const SECRET = 'hunter2-secret-outside';
const LIMIT_MS = 300_000;

/** The places of one attempt: a base folder holding the secret files and the project. */
interface Places {
  readonly base: string;
  readonly dir: string;
  readonly data: string;
}

interface Escape {
  readonly name: string;
  readonly channel:
    | 'kpi table'
    | 'kpi from'
    | 'kpi file'
    | 'glob'
    | 'include'
    | 'kpic.yaml'
    | 'query flags'
    | 'environment'
    | 'database';
  /** Plant the attempt in the project. */
  setup(p: Places): Promise<void> | void;
  /** The same read without kpic's defences; its text must hold the secret. */
  plain(p: Places): Promise<string> | string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** What kpic must say; undefined where the attempt is simply never seen (a linked folder is not walked). */
  readonly refusal?: RegExp;
}

const CUSTOMERS = 'customer c from "customers.csv" {\n  key customer_id\n  measure everyone = count()\n}\n';

const bases: string[] = [];

function places(): Places {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-escape-')));
  bases.push(base);
  const dir = join(base, 'project');
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(base, 'secret.csv'), `customer_id,secret\n1,${SECRET}\n`);
  writeFileSync(join(base, 'secret.json'), JSON.stringify({ customer_id: 1, secret: SECRET }));
  writeFileSync(join(base, 'secret.kpi'), `# ${SECRET}\nkpi ${SECRET.replaceAll('-', '_')} {\n`);
  writeFileSync(join(data, 'customers.csv'), 'customer_id,tier\n1,gold\n2,silver\n');
  writeFileSync(join(dir, 'kpic.yaml'), 'name: escape\nmetrics: ["**/*.kpi"]\ndata:\n  root: data\ntimezone: UTC\n');
  return { base, dir, data };
}

/** Rows of a statement on a DuckDB instance without any sandbox, as text. */
async function plainDuckDb(sql: string, database = ':memory:', options: Record<string, string> = {}): Promise<string> {
  const instance = await DuckDBInstance.create(database, options);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return JSON.stringify(reader.getRows(), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A `.duckdb` file made by `statements`. */
async function makeDatabase(path: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  for (const statement of statements) await connection.run(statement);
  connection.closeSync();
  instance.closeSync();
}

const kpi = (p: Places, file: string, text: string) => writeFileSync(join(p.dir, file), text);
const yaml = (p: Places, text: string) => writeFileSync(join(p.dir, 'kpic.yaml'), text);
const withDatabase =
  'name: escape\nmetrics: ["**/*.kpi"]\ndata:\n  root: data\n  database: warehouse.duckdb\ntimezone: UTC\n';
const KPI_OVER = (source: string) => `kpi leak {\n  owner "x"\n  numerator ${source}\n}\n`;

const ESCAPES: readonly Escape[] = [
  {
    name: "`table` through a committed `.tmp -> /` link (DuckDB's default temp folder)",
    channel: 'kpi table',
    setup: (p) => {
      symlinkSync('/', join(p.dir, '.tmp'));
      kpi(
        p,
        'leak.kpi',
        `customer c from table \`.tmp${p.base}/secret.json\` {\n  key customer_id\n  measure everyone = count()\n}\n${KPI_OVER('everyone')}`,
      );
    },
    plain: (p) => plainDuckDb(`select * from '${p.dir}/.tmp${p.base}/secret.json'`),
    args: ['run', 'leak', '--format', 'csv'],
    refusal: /no table or view named/,
  },
  {
    name: '`table` naming an absolute file path (replacement scan)',
    channel: 'kpi table',
    setup: (p) => kpi(p, 'leak.kpi', `customer c from table \`${p.base}/secret.csv\` {\n  key customer_id\n}\n`),
    plain: (p) => plainDuckDb(`select * from '${p.base}/secret.csv'`),
    refusal: /no table or view named/,
  },
  {
    name: '`table` naming a relative climb out of the working folder',
    channel: 'kpi table',
    setup: (p) => kpi(p, 'leak.kpi', 'customer c from table `../secret.csv` {\n  key customer_id\n}\n'),
    plain: (p) => plainDuckDb(`select * from '${p.dir}/../secret.csv'`),
    refusal: /no table or view named/,
  },
  {
    name: '`from` a symlink in the data root to a file outside',
    channel: 'kpi from',
    setup: (p) => {
      symlinkSync(join(p.base, 'secret.csv'), join(p.data, 'link.csv'));
      kpi(p, 'leak.kpi', 'customer c from "link.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.data}/link.csv')`),
    refusal: /unsafe-path[\s\S]*leads outside the data root/,
  },
  {
    name: '`from` a hard link in the data root to a file outside',
    channel: 'kpi from',
    setup: (p) => {
      linkSync(join(p.base, 'secret.csv'), join(p.data, 'hard.csv'));
      kpi(p, 'leak.kpi', 'customer c from "hard.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.data}/hard.csv')`),
    refusal: /unsafe-path[\s\S]*hard link/,
  },
  {
    name: '`from` through a linked folder in the data root',
    channel: 'kpi from',
    setup: (p) => {
      symlinkSync(p.base, join(p.data, 'up'));
      kpi(p, 'leak.kpi', 'customer c from "up/secret.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.data}/up/secret.csv')`),
    refusal: /unsafe-path[\s\S]*leads outside the data root/,
  },
  {
    name: '`from` a glob through a linked folder in the data root',
    channel: 'kpi from',
    setup: (p) => {
      symlinkSync(p.base, join(p.data, 'up'));
      kpi(p, 'leak.kpi', 'customer c from "up/*.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.data}/up/*.csv')`),
    refusal: /unsafe-path[\s\S]*leads outside the data root/,
  },
  {
    name: 'a `.kpi` symlink to a file outside (its lines would show in code frames)',
    channel: 'kpi file',
    setup: (p) => symlinkSync(join(p.base, 'secret.kpi'), join(p.dir, 'leak.kpi')),
    plain: (p) => readFileSync(join(p.dir, 'leak.kpi'), 'utf8'),
    args: ['lint'],
    refusal: /leak\.kpi:1:1 error unsafe-path/,
  },
  {
    // Before the safe reader checked the link count, lint printed the secret in its code frames.
    name: 'a `.kpi` hard link to a file outside (a second name for the same file)',
    channel: 'kpi file',
    setup: (p) => linkSync(join(p.base, 'secret.kpi'), join(p.dir, 'leak.kpi')),
    plain: (p) => readFileSync(join(p.dir, 'leak.kpi'), 'utf8'),
    args: ['lint'],
    refusal: /leak\.kpi:1:1 error unsafe-path[\s\S]*hard link/,
  },
  {
    name: 'a linked folder matched by the `metrics` globs (`ln -s / root`)',
    channel: 'glob',
    setup: (p) => symlinkSync(p.base, join(p.dir, 'root')),
    plain: (p) =>
      globSync(['**/*.kpi'], { cwd: p.dir, absolute: true })
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    args: ['lint'],
  },
  {
    name: '`include` of a file outside the project',
    channel: 'include',
    setup: (p) => yaml(p, 'metrics: ["**/*.kpi"]\ninclude: [../secret.kpi]\ndata:\n  root: data\n'),
    plain: (p) => readFileSync(join(p.dir, '../secret.kpi'), 'utf8'),
    refusal: /kpic\.yaml:2:\d+ error unsafe-path/,
  },
  {
    name: '`include` of the folder above the project',
    channel: 'include',
    setup: (p) => yaml(p, 'metrics: ["**/*.kpi"]\ninclude: [..]\ndata:\n  root: data\n'),
    plain: (p) =>
      globSync(['**/*.kpi'], { cwd: join(p.dir, '..'), absolute: true })
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    refusal: /kpic\.yaml:2:\d+ error unsafe-path/,
  },
  {
    name: 'kpic.yaml itself a symlink to a file outside',
    channel: 'kpic.yaml',
    setup: (p) => {
      writeFileSync(join(p.base, 'config.yaml'), `name: ${SECRET}\nthreads: [${SECRET}]\n`);
      rmSync(join(p.dir, 'kpic.yaml'));
      symlinkSync(join(p.base, 'config.yaml'), join(p.dir, 'kpic.yaml'));
    },
    plain: (p) => readFileSync(join(p.dir, 'kpic.yaml'), 'utf8'),
    refusal: /kpic\.yaml leads outside the project/,
  },
  {
    name: '`data.root` above the project',
    channel: 'kpic.yaml',
    setup: (p) => {
      yaml(p, 'metrics: ["**/*.kpi"]\ndata:\n  root: ..\n');
      kpi(p, 'leak.kpi', 'customer c from "secret.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.dir}/../secret.csv')`),
    refusal: /kpic\.yaml:3:\d+ error config-invalid-value[\s\S]*lies outside the project/,
  },
  {
    name: '`data.root` a committed link to a folder outside',
    channel: 'kpic.yaml',
    setup: (p) => {
      symlinkSync(p.base, join(p.dir, 'outside'));
      yaml(p, 'metrics: ["*.kpi"]\ndata:\n  root: outside\n');
      kpi(p, 'leak.kpi', 'customer c from "secret.csv" {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb(`select * from read_csv('${p.dir}/outside/secret.csv')`),
    refusal: /config-invalid-value[\s\S]*lies outside the project/,
  },
  {
    name: '`data.database` a database file outside the project',
    channel: 'kpic.yaml',
    setup: async (p) => {
      await makeDatabase(join(p.base, 'other.duckdb'), [
        `create table secret as select * from read_csv('${p.base}/secret.csv')`,
      ]);
      yaml(p, 'metrics: ["*.kpi"]\ndata:\n  root: data\n  database: ../other.duckdb\n');
      kpi(p, 'leak.kpi', 'customer c from table secret {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb('select * from secret', join(p.base, 'other.duckdb')),
    refusal: /config-invalid-value[\s\S]*lies outside the project/,
  },
  {
    name: 'the project database holds a view reading a file outside',
    channel: 'database',
    setup: async (p) => {
      await makeDatabase(join(p.dir, 'warehouse.duckdb'), [
        `create view customers_v as select * from read_csv('${p.base}/secret.csv')`,
      ]);
      yaml(p, withDatabase);
      kpi(
        p,
        'leak.kpi',
        `customer c from table customers_v {\n  key customer_id\n  measure everyone = count()\n}\n${KPI_OVER('everyone')}`,
      );
    },
    plain: (p) => plainDuckDb('select * from customers_v', join(p.dir, 'warehouse.duckdb')),
    args: ['run', 'leak', '--format', 'csv'],
    refusal: /Permission Error/,
  },
  {
    name: 'the project database holds a table macro reading a file outside, behind a view',
    channel: 'database',
    setup: async (p) => {
      await makeDatabase(join(p.dir, 'warehouse.duckdb'), [
        `create macro leak_rows() as table select * from read_text('${p.base}/secret.csv')`,
        'create view customers_v as select 1 as customer_id, content from leak_rows()',
      ]);
      yaml(p, withDatabase);
      kpi(p, 'leak.kpi', 'customer c from table customers_v {\n  key customer_id\n  dimension content\n}\n');
    },
    plain: (p) => plainDuckDb('select * from customers_v', join(p.dir, 'warehouse.duckdb')),
    refusal: /Permission Error/,
  },
  {
    name: 'the project database holds a view reading through `<database>.tmp -> /`',
    channel: 'database',
    setup: async (p) => {
      symlinkSync('/', join(p.dir, 'warehouse.duckdb.tmp'));
      await makeDatabase(join(p.dir, 'warehouse.duckdb'), [
        `create view customers_v as select * from read_csv('${p.dir}/warehouse.duckdb.tmp${p.base}/secret.csv')`,
      ]);
      yaml(p, withDatabase);
      kpi(p, 'leak.kpi', 'customer c from table customers_v {\n  key customer_id\n}\n');
    },
    plain: (p) => plainDuckDb('select * from customers_v', join(p.dir, 'warehouse.duckdb')),
    refusal: /Permission Error/,
  },
  {
    name: '`--where` carrying a SQL subquery that reads a file',
    channel: 'query flags',
    setup: (p) => kpi(p, 'leak.kpi', `${CUSTOMERS}${KPI_OVER('everyone')}`),
    plain: (p) => plainDuckDb(`select * from read_csv('${p.base}/secret.csv')`),
    args: [
      'run',
      'leak',
      '--format',
      'csv',
      '--where',
      "customer_id in (select customer_id from read_csv('../secret.csv'))",
    ],
    refusal: /<query>:1:\d+ error/,
  },
  {
    name: '`table` naming `~/secret.csv` with HOME set to the folder holding it',
    channel: 'environment',
    setup: (p) => kpi(p, 'leak.kpi', 'customer c from table `~/secret.csv` {\n  key customer_id\n}\n'),
    plain: async (p) => {
      const home = process.env['HOME'];
      process.env['HOME'] = p.base;
      try {
        return await plainDuckDb(`select * from '~/secret.csv'`);
      } finally {
        process.env['HOME'] = home;
      }
    },
    env: { HOME: '' },
    refusal: /no table or view named/,
  },
];

afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

describe('escape suite, through the CLI', () => {
  it('holds distinct attempts over every channel', () => {
    expect(new Set(ESCAPES.map((e) => e.name)).size).toBe(ESCAPES.length);
    const channels = new Set(ESCAPES.map((e) => e.channel));
    for (const channel of [
      'kpi table',
      'kpi from',
      'kpi file',
      'glob',
      'include',
      'kpic.yaml',
      'query flags',
      'environment',
      'database',
    ]) {
      expect(channels, channel).toContain(channel);
    }
    console.log(`escape suite: ${ESCAPES.length} attempts over ${channels.size} channels`);
  });

  for (const attempt of ESCAPES) {
    it(`${attempt.channel}: ${attempt.name}`, { timeout: LIMIT_MS * 2 }, async () => {
      const p = places();
      await attempt.setup(p);
      // Without the defences the attempt reads the secret: it is a real escape.
      expect(await attempt.plain(p)).toContain(SECRET);
      const env = attempt.env?.['HOME'] === '' ? { HOME: p.base } : attempt.env;
      const run = await runKpic(p.dir, attempt.args ?? ['check'], LIMIT_MS, env);
      const output = `${run.stdout}\n${run.stderr}`;
      const context = `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
      expect(run.timedOut, context).toBe(false);
      expect(output, context).not.toContain(SECRET);
      expect(leaks(output), context).toEqual([]);
      if (attempt.refusal) {
        expect(output, context).toMatch(attempt.refusal);
        expect(run.code, context).not.toBe(0);
      } else {
        // A linked folder is not walked at all: nothing of it is named.
        expect(output, context).not.toMatch(/secret\.kpi|root\//);
      }
    });
  }
});
