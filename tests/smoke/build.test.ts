// An installed kpic runs the JavaScript that `npm run build` writes (Node
// does not strip types under node_modules). Build into a scratch folder of
// the repository and run the compiled CLI on an example.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..');
const out = join(repo, '.tmp', 'dist-test');

describe('the compiled package', () => {
  it('builds, and its CLI compiles a KPI of an example', () => {
    rmSync(out, { recursive: true, force: true });
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: repo, encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    const main = join(out, 'runtime', 'cli', 'main.js');
    const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, 'kpic', '--project', 'examples/jaffle_shop', 'compile', 'revenue_per_customer'], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('-- kpi: revenue_per_customer');
    expect(run.stdout).toMatch(/read_csv\('[^']*raw_payments\.csv'\)/);
  });
});
