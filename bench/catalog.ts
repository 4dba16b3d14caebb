// The catalog section of `npm run bench`: `kpic docs` of the generated
// 1,000-KPI project (definitions only, as CI builds it) and `kpic docs
// --values` of the saas example, each as a whole process.

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? sizeOf(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(
  repo: string,
  project: string,
  args: readonly string[],
  runs: number,
): { ms: number; status: number | null } {
  const walls: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [join(repo, 'runtime', 'cli', 'bin.js'), '--project', project, ...args],
      { encoding: 'utf8' },
    );
    walls.push(performance.now() - started);
    status = result.status;
  }
  return { ms: median(walls), status };
}

/** `kpicProject`: the generated 1,000-KPI project; `saas`: the example project. */
export function benchCatalog(repo: string, work: string, kpicProject: string, saas: string): void {
  console.log('\n## kpic docs (whole process, median of 3)');
  const out = join(work, 'catalog-1000');
  const plain = timed(repo, kpicProject, ['docs', '--out', out, '--no-history'], 3);
  const pages = readdirSync(join(out, 'kpi')).length;
  console.log(
    `1,000-KPI project, definitions only: ${plain.ms.toFixed(0)} ms, exit ${plain.status}, ${pages} KPI pages, ${(sizeOf(out) / 1e6).toFixed(1)} MB`,
  );
  const valuesOut = join(work, 'catalog-saas');
  const withValues = timed(repo, saas, ['docs', '--out', valuesOut, '--values'], 3);
  console.log(
    `saas example with --values (every active KPI's queries and charts): ${withValues.ms.toFixed(0)} ms, exit ${withValues.status}`,
  );
  rmSync(out, { recursive: true, force: true });
  rmSync(valuesOut, { recursive: true, force: true });
}
