// `kpic run` on a per-customer result of 10,000 / 100,000 / 1,000,000 rows
// (bench/per-customer-project.ts) in the formats table, csv, json and
// markdown, stdout to a file: wall time and peak RSS of the whole process.
// `--limit 1` is the same query with one row written (the engine's work,
// then the first chunk read), so the difference is what reading and
// printing the whole result costs.
//
//   npx node bench/run.ts --only results [--result-sizes 10000,100000,1000000]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { perCustomerProject } from './per-customer-project.ts';

const FORMATS = ['limit 1', 'table', 'csv', 'json', 'markdown'] as const;

export function benchResults(repo: string, work: string, sizes: readonly number[]): void {
  const bin = join(repo, 'runtime', 'cli', 'bin.js');
  const preload = join(repo, 'tests', 'support', 'max-rss.ts');
  console.log('\n## kpic run: results of any size (per-customer KPI, stdout to a file, whole process)');
  console.log('| rows | format | wall | peak RSS | output |');
  console.log('| ---: | --- | ---: | ---: | ---: |');
  for (const rows of sizes) {
    const project = join(work, `per-customer-${rows}`);
    perCustomerProject(project, rows);
    mkdirSync(join(work, 'results-out'), { recursive: true });
    for (const format of FORMATS) {
      const out = join(work, 'results-out', 'result');
      const rssFile = join(work, 'results-out', 'rss');
      rmSync(rssFile, { force: true });
      const args = format === 'limit 1' ? ['--format', 'csv', '--limit', '1'] : ['--format', format];
      const started = performance.now();
      const run = spawnSync(
        'sh',
        [
          '-c',
          `exec "$0" "$@" > "${out}"`,
          process.execPath,
          '--import',
          preload,
          bin,
          'run',
          'promoter_flag',
          ...args,
        ],
        { cwd: project, env: { ...process.env, NO_COLOR: '1', KPIC_MAX_RSS_FILE: rssFile }, encoding: 'utf8' },
      );
      const seconds = (performance.now() - started) / 1000;
      if (run.status !== 0) {
        console.log(`| ${rows} | ${format} | failed (exit ${run.status}): ${run.stderr.trim().split('\n')[0]} | | |`);
        continue;
      }
      const peakMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      const bytes = statSync(out).size;
      console.log(
        `| ${rows.toLocaleString('en')} | ${format} | ${seconds.toFixed(1)} s | ${Math.round(peakMiB)} MiB | ${(bytes / 2 ** 20).toFixed(1)} MiB |`,
      );
      rmSync(out, { force: true });
    }
    rmSync(project, { recursive: true, force: true });
  }
}
