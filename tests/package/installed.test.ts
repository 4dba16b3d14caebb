// The packaged kpic as a metrics repository gets it: `npm pack` in this
// checkout, the tarball installed into a scratch project, then `kpic init`
// and the commands CI runs, through `npx kpic` as the generated workflow does.
// Slow (it builds and installs); one file, generous timeouts.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
// npm and the installed bin run on this Node (kpic needs 22.12+), whatever the system's Node is.
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
  NO_COLOR: '1',
  KPIC_SOURCES: '',
};
let scratch: string;

function npx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['--no-install', 'kpic', ...args], { cwd: scratch, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-installed-')));
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(scratch, 'package.json'), '{ "name": "metrics", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `./${tarball}`], {
    cwd: scratch,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('ships the bundle, not the sources', () => {
    const installed = join(scratch, 'node_modules', 'kpic');
    expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'compiler', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'types', 'compiler', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'runtime', 'cli', 'main.ts'))).toBe(false);
    expect(existsSync(join(installed, 'CHANGELOG.md'))).toBe(true);
  });

  it('init, check, lint --format sarif, run and test work through npx kpic', () => {
    const init = npx(['init', '.']);
    expect(init.code).toBe(0);
    // package.json lists kpic: the next steps are the npx commands, nothing to set up.
    expect(init.stdout).toContain('  npx kpic check\n');
    expect(init.stdout).not.toContain('npm init');
    expect(init.stderr).toBe('');

    const check = npx(['check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/no problems \(2 files, 2 KPIs checked\)\n$/);

    const lint = npx(['lint', '--format', 'sarif']);
    expect(lint.code).toBe(0);
    const sarif = JSON.parse(lint.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { helpUri: string }[] } } }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.name).toBe('kpic');
    // Each rule's help page is a file of the installed package (docs/ ships in it).
    for (const rule of sarif.runs[0]!.tool.driver.rules) {
      expect(rule.helpUri, rule.helpUri).toMatch(/^file:\/\/.+\/node_modules\/kpic\/docs\/rules\/[a-z-]+\.md$/);
      expect(existsSync(fileURLToPath(rule.helpUri)), rule.helpUri).toBe(true);
    }

    // Eight customers in the template's customers.csv; no denominator.
    const run = npx(['run', 'new_customers', '--by', 'none', '--grain', 'none', '--format', 'csv']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('numerator,denominator,value,status,target_met\r\n8,,8,,\r\n');

    // A metric test worked by hand: answers 10, 9 and 4 are 2 promoters and 1 detractor of 3: NPS 33.3.
    writeFileSync(
      join(scratch, 'metrics', 'nps.test.yaml'),
      [
        'kpi: nps',
        'data:',
        '  customers:',
        '    - { customer_id: 1, tier: gold, region: EMEA, signup_date: 2024-01-01 }',
        'tests:',
        '  - name: three answers in gold give 33.3',
        '    query: { by: tier, grain: none }',
        '    data:',
        '      surveys:',
        '        - { response_id: 1, customer_id: 1, responded_at: "2024-01-05 10:00:00", nps: 10 }',
        '        - { response_id: 2, customer_id: 1, responded_at: "2024-01-06 10:00:00", nps: 9 }',
        '        - { response_id: 3, customer_id: 1, responded_at: "2024-01-07 10:00:00", nps: 4 }',
        '    expect:',
        '      - { tier: gold, numerator: 1, denominator: 3, value: 33.3, status: ok }',
        '',
      ].join('\n'),
    );
    const test = npx(['test']);
    expect(test.stdout + test.stderr).toContain('three answers in gold give 33.3');
    expect(test.code).toBe(0);
  }, 600_000);
});
