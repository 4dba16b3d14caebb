// `npm run bench`: kpic's speed, measured in one run on this machine.
//
//   npx node bench/run.ts [--events 10000000] [--customers 50000] [--repeats 5]
//
// 1. compile time of one KPI query, cold (first call in this process) and warm (median);
// 2. `check` of a generated project of 1,000 KPIs with no data access (parse, resolve, lint,
//    compile every KPI's default query), in process and through the CLI (`--only project`: 2 and 3 alone);
// 3. `lint` and `fmt --check` of the same project through the CLI;
// 4. for 6 KPI queries on the saas example at ~10 million events: kpic's SQL against
//    hand-written SQL for the same answer, median of N runs after a warm-up, and the ratio;
// 5. on PostgreSQL (KPIC_TEST_PG_URL; docs/postgres.md): kpic's SQL against hand-written PostgreSQL SQL
//    for 4 KPI queries at --postgres-events (default 1 million; bench/postgres.ts);
//    `--only postgres` runs this part alone;
// 6. a warm MCP `query_kpi` and HTTP `POST /query` against `kpic run` as a process, and a warm
//    `at_risk` of an alert against `kpic alert` as a process (bench/agents.ts); `--only agents` runs it alone;
// 7. start-up: each command as a whole process against `node -e ""` and a plain Node + DuckDB
//    script, from this checkout and from the installed package (bench/startup.ts);
//    `--only startup` runs this part alone;
// 8. `kpic alert` over the saas example at --customers (50,000) and --alert-events (5 million):
//    wall time and peak memory of the whole process (bench/alerts.ts); `--only alerts` runs it alone.
// 9. `kpic run` results of 10,000 / 100,000 / 1,000,000 rows in table, csv, json and markdown:
//    wall time and peak memory of the process (bench/results.ts); `--only results` runs it alone.
// 10. input that once cost far more than its size (unclosed blocks, a line of bad escapes, token
//    soup) at three sizes through `lint` and `check` (bench/costly-input.ts); `--only costly-input`.
// Figures are printed; nothing here fails on a slow machine.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileQuery } from '../compiler/compile.ts';
import type { Query } from '../compiler/plan/query.ts';
import { lintModel } from '../compiler/lint/lint.ts';
import { FILE_START as NO_SPAN } from '../compiler/diagnostics.ts';
import { EMPTY_CATALOG } from '../compiler/semantic/catalog.ts';
import { resolveProject } from '../compiler/semantic/resolve.ts';
import { formatFile } from '../compiler/syntax/format.ts';
import { parseFile } from '../compiler/syntax/parse.ts';
import { generate } from '../examples/saas/generate.ts';
import { openProject } from '../runtime/project/open.ts';
import type { Value } from '../runtime/engine/engine.ts';
import { BENCH_QUERIES } from './hand-sql.ts';
import { generateProject } from './generate-project.ts';
import { benchCatalog } from './catalog.ts';
import { benchAgents } from './agents.ts';
import { benchPostgres } from './postgres.ts';
import { benchStartup } from './startup.ts';
import { benchAlerts } from './alerts.ts';
import { benchResults } from './results.ts';
import { benchCostlyInput } from './costly-input.ts';

const repo = resolve(import.meta.dirname, '..');
const work = join(repo, 'bench', '.data');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    customers: { type: 'string', default: '50000' },
    repeats: { type: 'string', default: '5' },
    'postgres-events': { type: 'string', default: '1000000' },
    'alert-events': { type: 'string', default: '5000000' },
    'result-sizes': { type: 'string', default: '10000,100000,1000000' },
    only: { type: 'string' },
  },
});
const repeats = Number(args.repeats);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function time<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

async function timeAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await f();
  return [value, performance.now() - start];
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

// ---------------------------------------------------------------- the 1,000-KPI project

function benchProject(): void {
  const dir = join(work, 'kpis-1000');
  const count = generateProject(dir, join(repo, 'metrics', 'model'));
  const paths = [
    ...readdirSync(join(dir, 'model')).map((f) => `model/${f}`),
    ...readdirSync(join(dir, 'kpis')).map((f) => `kpis/${f}`),
  ].sort();
  const texts = paths.map((p) => [p, readFileSync(join(dir, p), 'utf8')] as const);

  const checkOnce = () => {
    const files = texts.map(([p, t]) => parseFile(t, p).value);
    const model = resolveProject(files, EMPTY_CATALOG, { timezone: 'UTC' });
    const findings = lintModel(model.value);
    let compiled = 0;
    for (const kpi of model.value.kpis.values()) {
      if (compileQuery(model.value, { kpi: kpi.name }, { dataRoot: '/data' }).value) compiled++;
    }
    return { diagnostics: model.diagnostics.length + findings.length, compiled };
  };
  const runs = Array.from({ length: repeats }, () => time(checkOnce));
  const [first] = runs[0]!;
  console.log(`\n## check of a generated project: ${count} KPIs in ${paths.length} files, no data access`);
  console.log(
    `in process (parse + resolve + lint + compile every KPI): median ${ms(median(runs.map((r) => r[1])))} (target < 1000 ms); ${first.compiled} queries compiled, ${first.diagnostics} findings`,
  );

  const lintRuns = Array.from({ length: repeats }, () =>
    time(() => {
      const files = texts.map(([p, t]) => parseFile(t, p).value);
      return lintModel(resolveProject(files, EMPTY_CATALOG, {}).value).length;
    }),
  );
  console.log(
    `lint in process (parse + resolve + lint): median ${ms(median(lintRuns.map((r) => r[1])))} (target < 1000 ms)`,
  );
  const fmtRuns = Array.from({ length: repeats }, () =>
    time(() => texts.filter(([p, t]) => formatFile(t, p).value !== t).length),
  );
  console.log(
    `fmt --check in process: median ${ms(median(fmtRuns.map((r) => r[1])))}; ${fmtRuns[0]![0]} of ${texts.length} files would change`,
  );

  // Whole processes: with parsed files kept between commands (a cache folder of the bench's own,
  // filled by the first run; docs/cli.md) and with nothing kept (KPIC_CACHE=off, a first run).
  const cache = join(work, 'cache');
  rmSync(cache, { recursive: true, force: true });
  for (const [label, argv] of [
    ['kpic lint --format json', ['lint', '--format', 'json']],
    ['kpic fmt --check', ['fmt', '--check']],
  ] as const) {
    const walls = (env: Record<string, string>) =>
      Array.from({ length: 3 }, () => {
        const [result, wall] = time(() =>
          spawnSync(process.execPath, [join(repo, 'runtime', 'cli', 'bin.js'), '--project', dir, ...argv], {
            encoding: 'utf8',
            env: { ...process.env, KPIC_CACHE_DIR: cache, ...env },
          }),
        );
        return { wall, status: result.status };
      });
    const cold = walls({ KPIC_CACHE: 'off' });
    const warm = walls({});
    console.log(
      `${label} (whole process, Node start included): median ${ms(median(warm.map((w) => w.wall)))} with parsed files kept, ${ms(median(cold.map((w) => w.wall)))} with nothing kept; exit ${warm[0]!.status}`,
    );
  }
}

// ---------------------------------------------------------------- compile time

async function benchCompileAndExecution(): Promise<void> {
  const events = Number(args.events);
  const customers = Number(args.customers);
  const dataDir = join(work, `saas-${customers}-${events}`);
  const projectDir = join(work, 'saas-project');
  if (!existsSync(join(dataDir, 'events.parquet'))) {
    console.log(
      `\ngenerating the saas example at ${customers} customers and ${events} events (cached in ${dataDir}) ...`,
    );
    const [, wall] = await timeAsync(() => generate({ seed: 42, customers, events, out: dataDir, format: 'parquet' }));
    console.log(`generated in ${(wall / 1000).toFixed(1)} s`);
  }
  // The standard library (model and KPIs), pointed at the Parquet files.
  rmSync(projectDir, { recursive: true, force: true });
  copyKpiFiles(join(repo, 'metrics'), join(projectDir, 'metrics'));
  writeFileSync(
    join(projectDir, 'kpic.yaml'),
    `name: bench-saas\nmetrics: ["metrics/**/*.kpi"]\ndata:\n  root: ${dataDir}\n  threads: 2\n  memory_limit: 8GB\n`,
  );

  const project = await openProject({ projectDir });
  try {
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length)
      throw new Error(
        `the bench project has errors: ${errors.map((d) => `${d.file}:${d.span.start.line} ${d.code} ${d.message}`).join('; ')}`,
      );

    const query: Query = { kpi: 'nps', by: [{ name: 'tier', span: NO_SPAN }], grain: 'month' };
    const options = { dataRoot: project.dataRoot };
    const [, cold] = time(() => compileQuery(project.model, query, options));
    const warm = Array.from({ length: 200 }, () => time(() => compileQuery(project.model, query, options))[1]);
    console.log('\n## compile time of one KPI query (nps by tier, month)');
    console.log(
      `cold (first call in this process): ${ms(cold)}; warm: median ${ms(median(warm))} of 200 (target < 5 ms)`,
    );

    console.log(
      `\n## execution on ${events.toLocaleString('en')} events: kpic SQL vs hand-written SQL, median of ${repeats} after a warm-up`,
    );
    console.log('| KPI query | kpic | hand-written | ratio | same answer |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const q of BENCH_QUERIES) {
      const by = q.by === 'none' ? 'none' : q.by.map((name) => ({ name, span: NO_SPAN }));
      const compiled = compileQuery(project.model, { kpi: q.kpi, by, grain: q.grain }, options).value;
      if (!compiled) throw new Error(`${q.kpi} did not compile`);
      const hand = q.hand(project.dataRoot);
      const kpicRows = await project.engine.all(compiled.sql);
      const handRows = await project.engine.all(hand);
      const same = sameAnswer(kpicRows.rows, kpicRows.columns, handRows.rows, handRows.columns);
      const kpicTimes: number[] = [];
      const handTimes: number[] = [];
      for (let i = 0; i < repeats; i++) {
        kpicTimes.push((await timeAsync(() => project.engine.all(compiled.sql)))[1]);
        handTimes.push((await timeAsync(() => project.engine.all(hand)))[1]);
      }
      const k = median(kpicTimes);
      const h = median(handTimes);
      const label = `${q.kpi} --grain ${q.grain} --by ${q.by === 'none' ? 'none' : q.by.join(',')}`;
      console.log(`| ${label} | ${ms(k)} | ${ms(h)} | ${(k / h).toFixed(2)} | ${same} |`);
    }
    console.log('(target: ratio at most 1.10 for every KPI)');
  } finally {
    await project.close();
  }
}

/** Copy every `.kpi` file under `from` to `to`, with file sources renamed from `.csv` to `.parquet`. */
function copyKpiFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyKpiFiles(join(from, entry.name), join(to, entry.name));
    else if (entry.name.endsWith('.kpi')) {
      writeFileSync(
        join(to, entry.name),
        readFileSync(join(from, entry.name), 'utf8').replaceAll('.csv"', '.parquet"'),
      );
    }
  }
}

/**
 * Both answers agree on every (period, segment) they share; rows that only
 * kpic has must be empty cells of its period spine (numerator 0 or null, value null).
 */
function sameAnswer(
  a: readonly (readonly Value[])[],
  aCols: readonly string[],
  b: readonly (readonly Value[])[],
  bCols: readonly string[],
): string {
  const keyCols = bCols.filter((c) => !['numerator', 'denominator', 'value'].includes(c));
  const pick = (row: readonly Value[], cols: readonly string[], name: string) => row[cols.indexOf(name)];
  const key = (row: readonly Value[], cols: readonly string[]) =>
    keyCols.map((c) => String(pick(row, cols, c))).join('|');
  const hand = new Map(b.map((row) => [key(row, bCols), row]));
  let extra = 0;
  for (const row of a) {
    const other = hand.get(key(row, aCols));
    if (!other) {
      const num = pick(row, aCols, 'numerator');
      if ((num === null || Number(num) === 0) && pick(row, aCols, 'value') === null) {
        extra++;
        continue;
      }
      return `no: kpic has ${key(row, aCols)} that hand SQL lacks`;
    }
    hand.delete(key(row, aCols));
    for (const c of ['numerator', 'denominator', 'value']) {
      const x = pick(row, aCols, c);
      const y = pick(other, bCols, c);
      if (x === null || y === null) {
        if (x !== y) return `no: ${c} at ${key(row, aCols)}: ${x} vs ${y}`;
        continue;
      }
      const dx = Number(x),
        dy = Number(y);
      if (Math.abs(dx - dy) > 1e-9 * Math.max(1, Math.abs(dy))) return `no: ${c} at ${key(row, aCols)}: ${x} vs ${y}`;
    }
  }
  if (hand.size) return `no: hand SQL has ${hand.size} rows kpic lacks`;
  return `yes (${a.length} rows${extra ? `, ${extra} empty spine rows` : ''})`;
}

mkdirSync(work, { recursive: true });
console.log(`# kpic benchmark — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
const alertOptions = { customers: Number(args.customers), events: Number(args['alert-events']), repeats: 3 };
const resultSizes = args['result-sizes'].split(',').map(Number);
const postgresOptions = { events: Number(args['postgres-events']), customers: 10_000, repeats };
if (args.only === 'postgres') {
  await benchPostgres(repo, work, postgresOptions, { median, ms, sameAnswer });
} else if (args.only === 'startup') {
  await benchStartup({ runs: Math.max(10, repeats), installed: true });
} else if (args.only === 'alerts') {
  await benchAlerts(repo, work, alertOptions);
} else if (args.only === 'agents') {
  await benchAgents(repo, 15);
} else if (args.only === 'results') {
  benchResults(repo, work, resultSizes);
} else if (args.only === 'costly-input') {
  benchCostlyInput(repo, work);
} else if (args.only === 'project') {
  benchProject();
} else {
  benchProject();
  benchCatalog(repo, work, join(work, 'kpis-1000'), join(repo, 'examples', 'saas'));
  await benchCompileAndExecution();
  await benchPostgres(repo, work, postgresOptions, { median, ms, sameAnswer });
  await benchAgents(repo, 15);
  await benchAlerts(repo, work, alertOptions);
  await benchStartup({ runs: Math.max(10, repeats), installed: true });
  benchResults(repo, work, resultSizes);
  benchCostlyInput(repo, work);
}
