// A CSV file's dialect is detected once per version of the file
// (runtime/engine/csv-dialect.ts) and written into every reader of it
// (compiler/sql/dialect/duckdb.ts). What must hold: each dialect DuckDB's
// sniffer knows is found and read right (checked against numbers worked out
// by hand and against hand SQL that names the options itself); an edited
// file is sniffed again; every value from the file is a safe SQL literal;
// and on the example projects the pinned reader gives exactly what the
// engine's own detection gives.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvDialect, PhysicalRelation } from '../../compiler/index.ts';
import { relationSql, sqlText, db } from '../../compiler/index.ts';
import { SETTLE_MS } from '../../runtime/cache/answers.ts';
import type { Value } from '../../runtime/engine/engine.ts';
import { runQuery } from '../../runtime/execute.ts';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';
import { makeTempDir } from '../runtime/helpers.ts';
import { kpic } from './helpers.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

// The same five rows in every file: by hand, segment A has revenue 1.5 + 3.0 + 0.5 = 5
// and cost 0.5 + 1.5 + 0.5 = 2.5 (margin 2, 3 rows); B has 2.25 + 1.75 = 4 and 0.75 + 1.25 = 2 (margin 2, 2 rows).
const BY_HAND = [
  { segment: 'A', revenue: 5, cost: 2.5, rows: 3 },
  { segment: 'B', revenue: 4, cost: 2, rows: 2 },
];

/** File name -> its text, the dialect the sniffer must find, and the options hand SQL reads it with. */
const FILES: Record<string, { text: string; dialect: CsvDialect; hand: string }> = {
  semicolon: {
    text: 'segment;note;revenue;cost\nA;a;1.5;0.5\nB;b;2.25;0.75\nA;c;3.0;1.5\nB;d;1.75;1.25\nA;e;0.5;0.5\n',
    dialect: { delimiter: ';', quote: '', escape: '', header: true },
    hand: "delim = ';', header = true",
  },
  tab: {
    text: 'segment\tnote\trevenue\tcost\nA\ta\t1.5\t0.5\nB\tb\t2.25\t0.75\nA\tc\t3.0\t1.5\nB\td\t1.75\t1.25\nA\te\t0.5\t0.5\n',
    dialect: { delimiter: '\t', quote: '', escape: '', header: true },
    hand: "delim = '\t', header = true",
  },
  pipe: {
    text: 'segment|note|revenue|cost\nA|a|1.5|0.5\nB|b|2.25|0.75\nA|c|3.0|1.5\nB|d|1.75|1.25\nA|e|0.5|0.5\n',
    dialect: { delimiter: '|', quote: '', escape: '', header: true },
    hand: "delim = '|', header = true",
  },
  // No header row: the engine names the columns column0, column1, ...
  noheader: {
    text: 'A,a,1.5,0.5\nB,b,2.25,0.75\nA,c,3.0,1.5\nB,d,1.75,1.25\nA,e,0.5,0.5\n',
    dialect: { delimiter: ',', quote: '', escape: '', header: false },
    hand: "delim = ',', header = false, names = ['segment', 'note', 'revenue', 'cost']",
  },
  quoted: {
    text: 'segment,note,revenue,cost\nA,"hello, world",1.5,0.5\nB,"two\nlines, two",2.25,0.75\nA,"say ""hi""",3.0,1.5\nB,plain,1.75,1.25\nA,"e",0.5,0.5\n',
    dialect: { delimiter: ',', quote: '"', escape: '"', header: true },
    hand: `delim = ',', quote = '"', escape = '"', header = true`,
  },
  // Quote and escape are both `'`: written `''''` in SQL.
  singlequote: {
    text: "segment,note,revenue,cost\nA,'x, y',1.5,0.5\nB,'it''s',2.25,0.75\nA,'p',3.0,1.5\nB,'q, r',1.75,1.25\nA,'s',0.5,0.5\n",
    dialect: { delimiter: ',', quote: "'", escape: "'", header: true },
    hand: "delim = ',', quote = '''', escape = '''', header = true",
  },
  // Three lines before the header: the sniffer counts them as rows to skip.
  junk: {
    text: 'Report generated 2024-05-01\nby some tool\n\nsegment,note,revenue,cost\nA,a,1.5,0.5\nB,b,2.25,0.75\nA,c,3.0,1.5\nB,d,1.75,1.25\nA,e,0.5,0.5\n',
    dialect: { delimiter: ',', quote: '', escape: '', header: true, skip: 3 },
    hand: "delim = ',', header = true, skip = 3",
  },
  comment: {
    text: 'segment,note,revenue,cost\nA,a,1.5,0.5\n# checked by hand\nB,b,2.25,0.75\nA,c,3.0,1.5\n# two more\nB,d,1.75,1.25\nA,e,0.5,0.5\n',
    dialect: { delimiter: ',', quote: '', escape: '', header: true, comment: '#' },
    hand: "delim = ',', header = true, comment = '#'",
  },
  crlf: {
    text: 'segment,note,revenue,cost\r\nA,a,1.5,0.5\r\nB,b,2.25,0.75\r\nA,c,3.0,1.5\r\nB,d,1.75,1.25\r\nA,e,0.5,0.5\r\n',
    dialect: { delimiter: ',', quote: '', escape: '', header: true },
    hand: "delim = ',', header = true, new_line = '\\r\\n'",
  },
};

const column = (file: string, name: string) =>
  file === 'noheader' ? `column${['segment', 'note', 'revenue', 'cost'].indexOf(name)}` : name;

/** The customer entity (one per project, so one project per file) with two KPIs: revenue over cost by segment, and its rows by segment. */
function model(file: string): string {
  return `
customer ${file} from "${file}.csv" {
  key ${column(file, 'note')}
  dimension segment = ${column(file, 'segment')}
  measure revenue = sum(${column(file, 'revenue')})
  measure cost = sum(${column(file, 'cost')})
  measure rows = count()
}

kpi margin {
  owner "finance"
  numerator revenue
  denominator cost
  segment by segment
}

kpi row_count {
  owner "finance"
  numerator rows
  segment by segment
}
`;
}

let temp: ReturnType<typeof makeTempDir>;

beforeAll(() => {
  temp = makeTempDir('kpic-csv-dialect-');
  for (const [file, { text }] of Object.entries(FILES)) {
    mkdirSync(join(temp.dir, file, 'data'), { recursive: true });
    writeFileSync(join(temp.dir, file, 'kpic.yaml'), 'name: t\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
    writeFileSync(join(temp.dir, file, 'model.kpi'), model(file));
    writeFileSync(join(temp.dir, file, 'data', `${file}.csv`), text);
  }
});

afterAll(() => temp?.cleanup());

/** Rows of a result as plain values (numbers for numbers). */
function plain(rows: readonly (readonly Value[])[]): (string | number | null)[][] {
  return rows.map((row) =>
    row.map((v) => (v === null ? null : typeof v === 'bigint' || typeof v === 'number' ? Number(v) : String(v))),
  );
}

async function kpiRows(project: Project, kpi: string): Promise<{ sql: string; rows: (string | number | null)[][] }> {
  const result = await runQuery(project, { kpi, grain: 'none' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const value = result.value!;
  const names = value.columns.map((c) => c.name);
  const keep = ['segment', 'numerator', 'denominator', 'value'].map((n) => names.indexOf(n)).filter((i) => i >= 0);
  const rows = plain(value.rows).map((row) => keep.map((i) => row[i]!));
  return { sql: value.sql, rows: rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))) };
}

describe('each dialect the sniffer knows', () => {
  for (const [file, { dialect, hand }] of Object.entries(FILES)) {
    it(`${file}: detected once, written into the reader, and read as by hand`, async () => {
      const project = await openProject({ projectDir: join(temp.dir, file) });
      try {
        expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const relation = project.model.sources.get(file)?.relation as PhysicalRelation & { kind: 'file' };
        expect(relation.read?.dialect).toEqual(dialect);

        const margin = await kpiRows(project, 'margin');
        expect(margin.rows).toEqual(BY_HAND.map((h) => [h.segment, h.revenue, h.cost, h.revenue / h.cost]));
        const count = await kpiRows(project, 'row_count');
        expect(count.rows).toEqual(BY_HAND.map((h) => [h.segment, h.rows, null, h.rows]));

        // The query reads the file with the sniffed dialect, never with a detection of its own.
        const root = project.dataRoot;
        const reader = sqlText(relationSql(relation, root).compile(db));
        expect(margin.sql).toContain(`from ${reader}`);
        expect(reader).toMatch(/^read_csv\('[^']*', delim = '.+', quote = .*, escape = .*, header = (true|false)/);

        // Hand SQL naming its own options (and, for the file without a header, the column names) gives the same sums.
        const handSql = `select segment, sum(revenue), sum(cost) from read_csv('${root}/${file}.csv', ${hand}) group by segment order by segment`;
        expect(plain((await project.engine.all(handSql)).rows)).toEqual(margin.rows.map((row) => row.slice(0, 3)));
      } finally {
        await project.close();
      }
    });
  }

  it("writes a quote or delimiter `'` and a backslash as safe literals, and drops a value it cannot write", async () => {
    // DuckDB's sniffer never proposes `'` as a delimiter; the writer must still quote it right.
    const dir = join(temp.dir, 'odd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'odd.csv'), "segment'note'revenue\nA'x\\y'2\nB'\\'3\n");
    const read = (d: CsvDialect) =>
      sqlText(relationSql({ kind: 'file', path: 'odd.csv', format: 'csv', read: { dialect: d } }, '/r').compile(db));
    const odd: CsvDialect = { delimiter: "'", quote: '', escape: '\\', header: true };
    expect(read(odd)).toBe("read_csv('/r/odd.csv', delim = '''', quote = '', escape = '\\', header = true)");
    const text = read(odd).replace("'/r/", `'${dir}/`);
    // By hand: A has note x\y and revenue 2; B has note \ and revenue 3.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(`select * from ${text} order by segment`)).getRows();
    connection.closeSync();
    expect(plain(rows as Value[][])).toEqual([
      ['A', 'x\\y', 2],
      ['B', '\\', 3],
    ]);
    // Values no sniffer gives (a line break, a control character, too long, no delimiter): the plain reader.
    for (const bad of [
      { ...odd, delimiter: '\n' },
      { ...odd, quote: '\u0000' },
      { ...odd, delimiter: '(empty)' },
      { ...odd, delimiter: '' },
      { ...odd, skip: -1 },
      { ...odd, comment: "'); select 1; --" },
    ]) {
      expect(read(bad)).toBe("read_csv('/r/odd.csv')");
    }
  });
});

describe('an edited file', () => {
  it('is sniffed again: new rows and a new delimiter give the new answer on the next run', async () => {
    const dir = makeTempDir('kpic-csv-edit-');
    try {
      const cache = join(dir.dir, 'cache');
      const project = join(dir.dir, 'p');
      mkdirSync(join(project, 'data'), { recursive: true });
      writeFileSync(join(project, 'kpic.yaml'), 'name: t\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
      writeFileSync(
        join(project, 'model.kpi'),
        'customer sales from "sales.csv" {\n  key note\n  dimension segment\n  measure revenue = sum(revenue)\n  measure cost = sum(cost)\n}\n\nkpi margin {\n  owner "finance"\n  numerator revenue\n  denominator cost\n  segment by segment\n}\n',
      );
      writeFileSync(join(project, 'data', 'sales.csv'), FILES['semicolon']!.text);
      await sleep(SETTLE_MS + 300);
      const run = () =>
        kpic(project, ['run', 'margin', '--grain', 'none', '--format', 'csv'], { env: { KPIC_CACHE_DIR: cache } });
      const first = await run();
      expect(first.stderr).toBe('');
      // By hand (BY_HAND): A 5 / 2.5, B 4 / 2.
      expect(lines(first.stdout)).toEqual(['A,5,2.5,2', 'B,4,2,2']);
      const sniffs = () =>
        readdirSync(join(cache, 'answers'))
          .filter((name) => name.endsWith('.json'))
          .map((name) => JSON.parse(readFileSync(join(cache, 'answers', name), 'utf8')))
          .filter((e) => e.statement.includes('sniff_csv('));
      expect(sniffs().map((e) => e.answer.dialect.delimiter)).toEqual([';']);
      // The same run again reads the kept dialect.
      expect(lines((await run()).stdout)).toEqual(['A,5,2.5,2', 'B,4,2,2']);

      // Comma-delimited now, one more row for B: by hand B has 4 + 6 = 10 over 2 + 3 = 5.
      writeFileSync(
        join(project, 'data', 'sales.csv'),
        'segment,note,revenue,cost\nA,a,1.5,0.5\nB,b,2.25,0.75\nA,c,3.0,1.5\nB,d,1.75,1.25\nA,e,0.5,0.5\nB,f,6,3\n',
      );
      const second = await run();
      expect(second.stderr).toBe('');
      expect(lines(second.stdout)).toEqual(['A,5,2.5,2', 'B,10,5,2']);
      const compiled = await kpic(project, ['compile', 'margin', '--grain', 'none'], {
        env: { KPIC_CACHE_DIR: cache },
      });
      expect(compiled.stdout).toContain("/sales.csv', delim = ',', quote = '', escape = '', header = true)");
    } finally {
      dir.cleanup();
    }
  });
});

/** The data lines of `run --format csv` (the header dropped), each as segment,numerator,denominator,value. */
function lines(stdout: string): string[] {
  const [header, ...rows] = stdout.trim().split('\n');
  const names = header!.split(',');
  const at = ['segment', 'numerator', 'denominator', 'value'].map((n) => names.indexOf(n));
  return rows.map((row) => {
    const cells = row.split(',');
    return at.map((i) => String(Number.isNaN(Number(cells[i])) ? cells[i] : Number(cells[i]))).join(',');
  });
}

describe('the example projects', () => {
  for (const name of ['saas', 'jaffle_shop', 'telco_churn']) {
    it(`${name}: every KPI reads the same with the kept dialect, without the cache, and with the engine's own detection`, async () => {
      const open = async (cache: boolean) => {
        const saved = process.env['KPIC_CACHE'];
        if (cache) delete process.env['KPIC_CACHE'];
        else process.env['KPIC_CACHE'] = 'off';
        try {
          return await openProject({ projectDir: join(EXAMPLES, name) });
        } finally {
          if (saved === undefined) delete process.env['KPIC_CACHE'];
          else process.env['KPIC_CACHE'] = saved;
        }
      };
      // Opened twice with the cache: the second takes the dialect from the kept answer (the data files are settled).
      await (await open(true)).close();
      const kept = await open(true);
      const uncached = await open(false);
      try {
        expect(kept.answers).toBeDefined();
        expect(uncached.answers).toBeUndefined();
        const kpis = [...kept.model.kpis.keys()];
        expect(kpis.length).toBeGreaterThan(0);
        for (const kpi of kpis) {
          const a = await runQuery(kept, { kpi });
          const b = await runQuery(uncached, { kpi });
          expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(a.value!.sql).toBe(b.value!.sql);
          expect(a.value!.sql).toMatch(/read_csv\('[^']*', delim = ','/);
          const pinned = plain(a.value!.rows);
          expectClose(plain(b.value!.rows), pinned);
          // The same statement with every reader left to detect the dialect itself.
          const detected = a.value!.sql.replace(/read_csv\('((?:[^']|'')*)'(, [^)]*)?\)/g, "read_csv('$1')");
          expect(detected).not.toContain('delim =');
          expectClose(plain((await kept.engine.all(detected)).rows), pinned);
        }
      } finally {
        await kept.close();
        await uncached.close();
      }
    });
  }
});

/** The same rows, numbers within 1e-9 relative (a parallel sum of doubles may differ in the last bits between runs). */
function expectClose(actual: (string | number | null)[][], expected: (string | number | null)[][]): void {
  expect(actual.length).toBe(expected.length);
  const rounded = (rows: (string | number | null)[][]) =>
    rows.map((row) => row.map((v) => (typeof v === 'number' && v !== 0 ? Number(v.toPrecision(10)) : v)));
  expect(rounded(actual)).toEqual(rounded(expected));
}
