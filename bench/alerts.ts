// `kpic alert` over the saas example at 50,000 customers (docs/alerts.md):
// the whole command as a process, wall time and peak resident memory
// (GNU time's maximum resident set size, when /usr/bin/time is there).
//
//   npx node bench/run.ts --only alerts [--customers 50000] [--alert-events 5000000]

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, TABLES } from '../examples/saas/generate.ts';

export async function benchAlerts(
  repo: string,
  work: string,
  options: { customers: number; events: number; repeats: number },
): Promise<void> {
  const { customers, events, repeats } = options;
  const dataDir = join(work, `saas-${customers}-${events}`);
  if (!existsSync(join(dataDir, 'events.parquet'))) {
    console.log(
      `\ngenerating the saas example at ${customers} customers and ${events} events (cached in ${dataDir}) ...`,
    );
    await generate({ seed: 42, customers, events, out: dataDir, format: 'parquet' });
  }
  // The hand-made sales plan is not generated: its CSV file goes next to the Parquet tables.
  copyFileSync(join(repo, 'examples', 'saas', 'data', 'signup-plan.csv'), join(dataDir, 'signup-plan.csv'));
  const projectDir = join(work, 'saas-alerts-project');
  rmSync(projectDir, { recursive: true, force: true });
  copyKpiFiles(join(repo, 'metrics'), join(projectDir, 'metrics'));
  copyKpiFiles(join(repo, 'examples', 'saas', 'kpis'), join(projectDir, 'kpis'));
  writeFileSync(
    join(projectDir, 'kpic.yaml'),
    `name: bench-alerts\nmetrics: ["metrics/**/*.kpi", "kpis/**/*.kpi"]\ndata:\n  root: ${dataDir}\n  threads: 2\n  memory_limit: 8GB\n`,
  );
  const bin = join(repo, 'runtime', 'cli', 'bin.js');
  const timed = existsSync('/usr/bin/time');
  console.log(
    `\n## kpic alert on the saas example: ${customers.toLocaleString('en')} customers, ${events.toLocaleString('en')} events (every alert of examples/saas/kpis/alerts.kpi)`,
  );
  console.log('| run | wall | peak memory (max RSS) | breaches | exit |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (let i = 0; i < repeats; i++) {
    const args = ['alert', '--format', 'json', '--fail-on', 'none'];
    const started = Date.now();
    const run = timed
      ? spawnSync('/usr/bin/time', ['-f', 'KPIC_MAXRSS %M', process.execPath, bin, '--project', projectDir, ...args], {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        })
      : spawnSync(process.execPath, [bin, '--project', projectDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const wall = Date.now() - started;
    const rss = /KPIC_MAXRSS (\d+)/.exec(run.stderr ?? '')?.[1];
    let breaches = '?';
    try {
      breaches = String((JSON.parse(run.stdout) as { breaches: unknown[] }).breaches.length);
    } catch {
      breaches = `(no report: ${(run.stderr ?? '').split('\n')[0]})`;
    }
    console.log(
      `| ${i + 1} | ${(wall / 1000).toFixed(2)} s | ${rss ? `${(Number(rss) / 1024).toFixed(0)} MB` : 'n/a'} | ${breaches} | ${run.status} |`,
    );
  }
}

/** Every `.kpi` file under `from`, file sources renamed from `.csv` to `.parquet`. */
/** A generated table's CSV file as a `.kpi` file names it: read as Parquet here. */
const GENERATED_CSV = new RegExp(`"(${TABLES.join('|')})\\.csv"`, 'g');

function copyKpiFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyKpiFiles(join(from, entry.name), join(to, entry.name));
    else if (entry.name.endsWith('.kpi'))
      writeFileSync(
        join(to, entry.name),
        readFileSync(join(from, entry.name), 'utf8').replace(GENERATED_CSV, '"$1.parquet"'),
      );
  }
}
