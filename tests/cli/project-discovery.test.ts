// Finding the project: the nearest kpic.yaml at or above the working folder,
// as git finds its repository; without one, every command that needs a
// project says so, suggests `kpic init`, and exits 2.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from './helpers.ts';

let empty: string;
let project: ReturnType<typeof copyTemplate>;

beforeAll(() => {
  empty = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-noproject-')));
  mkdirSync(join(empty, 'a', 'b'), { recursive: true });
  project = copyTemplate();
  mkdirSync(join(project.dir, 'deep', 'er'), { recursive: true });
});

afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  project.cleanup();
});

describe('project discovery', () => {
  for (const args of [
    ['list'],
    ['check'],
    ['lint'],
    ['run', 'nps'],
    ['compile', 'nps'],
    ['explain', 'nps'],
    ['test'],
    ['fmt', '--check'],
  ]) {
    it(`kpic ${args.join(' ')} without a project names the search and suggests kpic init`, async () => {
      const cwd = join(empty, 'a', 'b');
      const r = await kpic(cwd, args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`no kpic project found (searched for kpic.yaml from ${cwd} up to /)`);
      expect(r.stderr).toContain('hint: run `kpic init` to create one here, or pass `--project DIR`');
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }, 60_000);
  }

  it('a project is found from a folder below it', async () => {
    const r = await kpic(join(project.dir, 'deep', 'er'), ['list', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((k) => k.name);
    expect(names.length).toBeGreaterThan(0);
  }, 60_000);

  it('lint and fmt of given files work without a project', async () => {
    writeFileSync(join(empty, 'a', 'one.kpi'), 'source s from "s.csv" {\n  key id\n}\n');
    const lint = await kpic(join(empty, 'a'), ['lint', 'one.kpi']);
    expect(lint.stderr).not.toContain('no kpic project found');
    const fmt = await kpic(join(empty, 'a'), ['fmt', '--check', 'one.kpi']);
    expect(fmt.stderr).not.toContain('no kpic project found');
    expect(fmt.code).toBe(0);
  }, 60_000);

  it('list shows indicator, version and replaced_by; running a deprecated KPI warns naming its replacement', async () => {
    writeFileSync(
      join(project.dir, 'metrics', 'old.kpi'),
      'kpi old_new_customers {\n  owner "growth"\n  perspective customer\n  indicator leading\n  numerator signups\n  status deprecated\n  replaced_by new_customers\n  version 2\n}\n',
    );
    const json = await kpic(project.dir, ['list', '--json']);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r['name'] === 'old_new_customers')).toMatchObject({
      indicator: 'leading',
      status: 'deprecated',
      version: 2,
      replaced_by: 'new_customers',
    });
    expect(rows.find((r) => r['name'] === 'nps')).toMatchObject({
      indicator: 'lagging',
      status: 'active',
      version: null,
      replaced_by: null,
    });
    const table = await kpic(project.dir, ['list']);
    expect(table.stdout).toMatch(/indicator.*status.*version.*replaced_by/);
    expect(table.stdout).toMatch(/old_new_customers.*leading.*deprecated.*2.*new_customers/);
    const run = await kpic(project.dir, ['run', 'old_new_customers', '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: KPI `old_new_customers` is deprecated: use `new_customers` instead.');
    const current = await kpic(project.dir, ['run', 'new_customers', '--format', 'csv']);
    expect(current.stderr).not.toContain('deprecated');
  }, 120_000);

  it('init prints npx next steps, with the npm setup when no package.json lists kpic; its workflow installs with npm ci', async () => {
    const bare = await kpic(empty, ['init', 'bare']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('  cd bare\n  npm init -y');
    expect(bare.stdout).toContain('npm install --save-dev kpic');
    expect(bare.stdout).toContain('  npx kpic check\n');
    expect(bare.stdout).not.toMatch(/^ {2}kpic /m);
    const workflow = readFileSync(join(empty, 'bare', '.github', 'workflows', 'kpic.yml'), 'utf8');
    expect(workflow).toContain('run: npm ci');
    expect(workflow).not.toContain('npm install --global');
    expect(workflow.match(/run: kpic /g)).toBeNull();
    mkdirSync(join(empty, 'pinned'));
    writeFileSync(join(empty, 'pinned', 'package.json'), '{ "devDependencies": { "kpic": "file:kpic-0.1.0.tgz" } }\n');
    const pinned = await kpic(join(empty, 'pinned'), ['init', 'metrics']);
    expect(pinned.stdout).toContain('  cd metrics\n  npx kpic check\n');
    expect(pinned.stdout).not.toContain('npm init');
  }, 60_000);
});

describe('paths in GitHub annotations', () => {
  it('an included file is named by its repository path, without ../', async () => {
    // examples/saas includes ../../metrics: run from the repository root, as CI does.
    const repo = join(import.meta.dirname, '..', '..');
    const r = await kpic(repo, ['--project', 'examples/saas', 'lint', '--format', 'github']);
    const files = [...r.stdout.matchAll(/file=([^,]+),/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((f) => f.startsWith('metrics/'))).toBe(true);
    expect(files.filter((f) => f.includes('..'))).toEqual([]);
    for (const file of files) expect(existsSync(join(repo, file)), file).toBe(true);
  }, 60_000);
});
