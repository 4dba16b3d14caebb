// The start-up section of `npm run bench`: each command as a whole process,
// as a user, an editor or a CI job starts it, paired with the plain
// baselines run in the same loop (so a busy machine slows both alike):
//
// - `node -e ""`: Node itself;
// - a plain Node + DuckDB script that runs the SQL `kpic run` runs (the SQL
//   is taken from `kpic compile`), on the same files: the target's baseline;
// - the same script with each CSV reader as a person writes it,
//   `read_csv('file.csv')` (DuckDB detects the file's dialect on every read;
//   kpic writes the dialect it detected once into its readers): for
//   reference, the same work done by hand;
// - for `check`: `lint` plus a plain Node + DuckDB script that runs the
//   DESCRIBE statements check runs, one per relation of the project.
//
// The same commands are timed from this checkout (the bundle, built fresh
// here; and the TypeScript sources, for reference) and from the installed
// package (`npm pack`, installed into a scratch project). Medians of N runs
// after one warm-up, interleaved round-robin. Figures are printed; nothing
// fails on a slow machine.
//
// kpic keeps parsed files and the engine's answers about data files between
// commands (docs/cli.md, "What kpic keeps between commands"); the warm-up
// fills a cache folder of the bench's own, so the main figures are those of
// a command run again on unchanged files, as a hook or an editor runs it.
// The same commands with the cache off (`KPIC_CACHE=off`: the first run
// after a change) are timed in the same loop.
//
//   node bench/startup.ts [--runs 15] [--no-installed]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeSql, listRelations } from '../compiler/index.ts';
import { readProjectFiles } from '../runtime/project/read-files.ts';

const repo = resolve(import.meta.dirname, '..');
const work = join(repo, 'bench', '.data', 'startup');
const cache = join(work, 'cache');
const project = join(repo, 'examples', 'saas');
const RUN_QUERY = ['csat', '--by', 'region', '--grain', 'none'];

interface Case {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env?: Record<string, string>;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** GNU time, where there is one: the CPU time (user + system) of each process, which a busy machine inflates less than wall time. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Median CPU time (ms) of each case measured so far, when GNU time is there. */
const cpuMedians = new Map<string, number>();

/** Wall and CPU time of one whole process, in ms; a failing command stops the bench (it would measure an error path). */
function timeProcess(c: Case): { wall: number; cpu?: number } {
  const argv = GNU_TIME ? [GNU_TIME, '-f', 'KPIC_CPU %U %S', ...c.argv] : c.argv;
  const start = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KPIC_CACHE_DIR: cache, ...c.env },
  });
  const wall = performance.now() - start;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${c.label} failed (${result.status}): ${result.stderr}`);
  const cpu = /KPIC_CPU ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return cpu ? { wall, cpu: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : { wall };
}

/** Median wall time of each case, measured round-robin after one warm-up each (CPU medians go to `cpuMedians`). */
function measure(cases: readonly Case[], runs: number): Map<string, number> {
  for (const c of cases) timeProcess(c);
  const times = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  const cpus = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  for (let i = 0; i < runs; i++)
    for (const c of cases) {
      const t = timeProcess(c);
      times.get(c.label)!.push(t.wall);
      if (t.cpu !== undefined) cpus.get(c.label)!.push(t.cpu);
    }
  for (const [label, xs] of cpus) if (xs.length > 0) cpuMedians.set(label, median(xs));
  return new Map([...times].map(([label, xs]) => [label, median(xs)]));
}

/** The plain Node + DuckDB scripts; they live under bench/ so `@duckdb/node-api` resolves from this checkout. */
function writeBaselines(
  runSql: string,
  describes: readonly string[],
): { run: string; handRun: string; describe: string } {
  mkdirSync(work, { recursive: true });
  const script = (statements: readonly string[]) =>
    [
      "import { DuckDBInstance } from '@duckdb/node-api';",
      "const instance = await DuckDBInstance.create(':memory:');",
      'const connection = await instance.connect();',
      ...statements.map((s) => `console.log((await connection.runAndReadAll(${JSON.stringify(s)})).getRows().length);`),
      'connection.closeSync();',
      '',
    ].join('\n');
  const run = join(work, 'plain-run.mjs');
  const handRun = join(work, 'plain-run-by-hand.mjs');
  const describe = join(work, 'plain-describe.mjs');
  writeFileSync(run, script([runSql]));
  writeFileSync(handRun, script([byHand(runSql)]));
  writeFileSync(describe, script(describes));
  return { run, handRun, describe };
}

/** `read_csv('/p/a.csv', delim = ',', ...)` -> `read_csv('/p/a.csv')`: each reader as a person writes it. */
export function byHand(sql: string): string {
  return sql.replace(/read_csv\(('(?:[^']|'')*')(?:, (?:[^'()]|'(?:[^']|'')*')*)?\)/g, 'read_csv($1)');
}

/** The DESCRIBE statements `kpic check` runs on the saas example: one per relation its files name. */
function describeStatements(): string[] {
  const read = readProjectFiles(project);
  const dataRoot = resolve(project, read.config.data.root).replace(/\\/g, '/');
  return listRelations(read.files).map((relation) => describeSql(relation, dataRoot));
}

/** `npm pack` this checkout and install the tarball into a scratch project; the installed bin.js. */
function installPackage(): { bin: string; cleanup(): void } {
  const scratch = mkdtempSync(join(tmpdir(), 'kpic-bench-install-'));
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(scratch, 'package.json'), '{ "name": "bench-install", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', `./${tarball}`], {
    cwd: scratch,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    bin: join(scratch, 'node_modules', 'kpic', 'runtime', 'cli', 'bin.js'),
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

const fmt = (x: number) => `${x.toFixed(0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function report(title: string, m: Map<string, number>, prefix: string): void {
  const node = m.get('node -e ""')!;
  const plainRun = m.get('plain Node + DuckDB: run SQL')!;
  const handRun = m.get('plain Node + DuckDB: run SQL, readers by hand')!;
  const plainDescribe = m.get('plain Node + DuckDB: DESCRIBEs')!;
  const version = m.get(`${prefix} --version`)!;
  const lint = m.get(`${prefix} lint`)!;
  const run = m.get(`${prefix} run`)!;
  const check = m.get(`${prefix} check`)!;
  console.log(`\n### ${title}`);
  console.log('| command | median | baseline | baseline median | difference | ratio | target |');
  console.log('|---|---:|---|---:|---:|---:|---|');
  const row = (cmd: string, t: number, base: string, b: number, target: string) =>
    console.log(`| ${cmd} | ${fmt(t)} | ${base} | ${fmt(b)} | ${fmt(t - b)} | ${ratio(t, b)} | ${target} |`);
  row('kpic --version', version, 'node -e ""', node, `≤ +300 ms: ${t(version - node <= 300)}`);
  row('kpic lint (saas example)', lint, 'node -e ""', node, `≤ +300 ms: ${t(lint - node <= 300)}`);
  row(
    `kpic run ${RUN_QUERY.join(' ')}`,
    run,
    'plain Node + DuckDB, same SQL',
    plainRun,
    `≤ +200 ms: ${t(run - plainRun <= 200)}`,
  );
  row(
    `kpic run ${RUN_QUERY.join(' ')}`,
    run,
    'plain Node + DuckDB, `read_csv(file)` by hand',
    handRun,
    'for reference',
  );
  const checkBase = lint + plainDescribe - node;
  row(
    'kpic check (saas example)',
    check,
    'lint + plain DESCRIBEs',
    checkBase,
    `≤ 1.5×: ${t(check <= 1.5 * checkBase)}`,
  );
  const cpu = (label: string) => cpuMedians.get(label);
  const labels = [
    'node -e ""',
    'plain Node + DuckDB: run SQL',
    'plain Node + DuckDB: run SQL, readers by hand',
    'plain Node + DuckDB: DESCRIBEs',
    ...['--version', 'lint', 'run', 'check'].map((c) => `${prefix} ${c}`),
  ];
  if (labels.every((l) => cpu(l) !== undefined))
    console.log(`CPU time (user + system), medians: ${labels.map((l) => `${l} ${fmt(cpu(l)!)}`).join('; ')}`);
}

const t = (ok: boolean) => (ok ? 'met' : 'NOT met');

export async function benchStartup(options: { runs: number; installed: boolean }): Promise<void> {
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.ts')], { cwd: repo, stdio: 'inherit' });
  const checkoutBin = join(repo, 'runtime', 'cli', 'bin.js');
  const compiled = execFileSync(process.execPath, [checkoutBin, '--project', project, 'compile', ...RUN_QUERY], {
    encoding: 'utf8',
  });
  const baselines = writeBaselines(compiled, describeStatements());
  const base: Case[] = [
    { label: 'node -e ""', argv: [process.execPath, '-e', ''] },
    { label: 'plain Node + DuckDB: run SQL', argv: [process.execPath, baselines.run] },
    { label: 'plain Node + DuckDB: run SQL, readers by hand', argv: [process.execPath, baselines.handRun] },
    { label: 'plain Node + DuckDB: DESCRIBEs', argv: [process.execPath, baselines.describe] },
  ];
  const commands = (prefix: string, bin: string, env?: Record<string, string>): Case[] => [
    { label: `${prefix} --version`, argv: [process.execPath, bin, '--version'], ...(env ? { env } : {}) },
    { label: `${prefix} lint`, argv: [process.execPath, bin, '--project', project, 'lint'], ...(env ? { env } : {}) },
    {
      label: `${prefix} run`,
      argv: [process.execPath, bin, '--project', project, 'run', ...RUN_QUERY],
      ...(env ? { env } : {}),
    },
    { label: `${prefix} check`, argv: [process.execPath, bin, '--project', project, 'check'], ...(env ? { env } : {}) },
  ];
  console.log(`\n## start-up: whole processes, median of ${options.runs} after a warm-up (Node ${process.version})`);
  rmSync(cache, { recursive: true, force: true });
  const checkout = measure(
    [
      ...base,
      ...commands('bundle', checkoutBin, { KPIC_SOURCES: '0' }),
      ...commands('cold', checkoutBin, { KPIC_SOURCES: '0', KPIC_CACHE: 'off' }),
      ...commands('sources', checkoutBin, { KPIC_SOURCES: '1' }),
    ],
    options.runs,
  );
  report('checkout, bundle (dist/cli/main.js, what `npm run build` makes)', checkout, 'bundle');
  report(
    'checkout, bundle, nothing kept between commands (KPIC_CACHE=off: the first run after a change)',
    checkout,
    'cold',
  );
  report('checkout, TypeScript sources (KPIC_SOURCES=1, for reference)', checkout, 'sources');
  // The compile cache's share: the bundle with the cache turned off.
  const noCache = measure(
    [
      ...base.slice(0, 1),
      ...commands('no cache', checkoutBin, { KPIC_SOURCES: '0', NODE_DISABLE_COMPILE_CACHE: '1' }).slice(0, 2),
    ],
    options.runs,
  );
  console.log(
    `\nwithout Node's compile cache (NODE_DISABLE_COMPILE_CACHE=1): --version ${fmt(noCache.get('no cache --version')!)}, lint ${fmt(noCache.get('no cache lint')!)} (node -e "" ${fmt(noCache.get('node -e ""')!)})`,
  );
  if (!options.installed) return;
  const installed = installPackage();
  try {
    report(
      'installed package (npm pack, installed into a scratch project)',
      measure([...base, ...commands('installed', installed.bin)], options.runs),
      'installed',
    );
  } finally {
    installed.cleanup();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '15' }, 'no-installed': { type: 'boolean', default: false } },
  });
  await benchStartup({ runs: Number(values.runs), installed: !values['no-installed'] });
}
