import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register, runLintCommand } from '../../runtime/cli/commands/lint.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with these files; no data at all, since lint needs none. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-lint-'));
  dirs.push(dir);
  // A project is a folder with kpic.yaml (the defaults unless the case gives one).
  if (!('kpic.yaml' in files)) writeFileSync(join(dir, 'kpic.yaml'), 'name: lint-test\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const CUSTOMERS = `customer customers from "data/customers.csv" {
  key customer_id
  measure customer_count = count()
}
`;
const CLEAN = `${CUSTOMERS}kpi customer_base {
  description "Number of customers."
  owner "customer-success"
  numerator customer_count
}
`;
const NO_OWNER = CLEAN.replace('  owner "customer-success"\n', '');
const NO_REFERENCE = `${CLEAN}source campaigns from "data/campaigns.csv" {
  measure spend = sum(cost)
}
kpi total_spend {
  description "Spend."
  owner "marketing"
  numerator spend
}
`;

const lint = (
  cwd: string,
  args: { format?: string; maxWarnings?: string; paths?: string[]; projectDir?: string } = {},
) =>
  runLintCommand({
    cwd,
    paths: args.paths ?? [],
    format: args.format ?? 'json',
    maxWarnings: args.maxWarnings,
    projectDir: args.projectDir,
  });

describe('kpic lint', () => {
  it('exits 0 on a clean project, with no data present', async () => {
    const outcome = await lint(project({ 'metrics/kpis.kpi': CLEAN }), { format: 'pretty' });
    expect(outcome).toEqual({ exitCode: 0, stdout: 'no problems in 1 file\n', stderr: '' });
  });

  it('exits 1 on an error-level finding and reports it', async () => {
    const outcome = await lint(project({ 'kpis.kpi': NO_REFERENCE }));
    expect(outcome.exitCode).toBe(1);
    const findings = JSON.parse(outcome.stdout) as { rule: string; file: string; line: number; column: number }[];
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      'kpis.kpi:13:5 customer-reference',
    ]);
  });

  it('exits 0 with warnings, and 1 past --max-warnings', async () => {
    const dir = project({ 'kpis.kpi': NO_OWNER });
    expect((await lint(dir)).exitCode).toBe(0);
    expect((await lint(dir, { maxWarnings: '1' })).exitCode).toBe(0);
    const over = await lint(dir, { maxWarnings: '0' });
    expect(over.exitCode).toBe(1);
    expect(over.stderr).toBe('kpic lint: 1 warning, more than --max-warnings 0.\n');
  });

  it('reads severities from kpic.yaml and points at unknown rule ids there', async () => {
    const dir = project({
      'kpic.yaml':
        'name: demo\nmetrics: ["metrics/**/*.kpi"]\nlint:\n  rules:\n    missing-owner: error\n    missing-ownr: off\n',
      'metrics/kpis.kpi': NO_OWNER,
    });
    const outcome = await lint(dir);
    expect(outcome.exitCode).toBe(1);
    const findings = JSON.parse(outcome.stdout) as {
      rule: string;
      severity: string;
      file: string;
      line: number;
      column: number;
      help: string;
    }[];
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.severity}`)).toEqual([
      'kpic.yaml:6:5 unknown-rule warn',
      'metrics/kpis.kpi:5:5 missing-owner error',
    ]);
    expect(findings[0]!.help).toBe('did you mean `missing-owner`?');
  });

  it('reports only the files asked for, while reading the whole project', async () => {
    const dir = project({ 'a.kpi': CUSTOMERS, 'b.kpi': 'kpi customer_base {\n  numerator customer_count\n}\n' });
    const all = JSON.parse((await lint(dir)).stdout) as { file: string }[];
    expect(new Set(all.map((f) => f.file))).toEqual(new Set(['b.kpi']));
    const onlyA = await lint(dir, { paths: ['a.kpi'] });
    expect(onlyA.exitCode).toBe(0);
    expect(JSON.parse(onlyA.stdout)).toEqual([]);
  });

  it('also shows syntax errors: a rule cannot judge what does not parse', async () => {
    const outcome = await lint(project({ 'kpis.kpi': `${CLEAN}kpi broken {\n  numerator (\n}\n` }));
    expect(outcome.exitCode).toBe(1);
    const findings = JSON.parse(outcome.stdout) as { file: string; severity: string }[];
    expect(findings.some((f) => f.file === 'kpis.kpi' && f.severity === 'error')).toBe(true);
  });

  it('writes github annotations with repository paths and SARIF', async () => {
    const dir = project({ 'kpis/kpic.yaml': 'name: demo\n', 'kpis/metrics/a.kpi': NO_OWNER });
    const github = await lint(dir, { format: 'github', projectDir: 'kpis' });
    expect(github.stdout).toBe(
      '::warning file=kpis/metrics/a.kpi,line=5,col=5,endLine=5,endColumn=18,title=missing-owner::' +
        'KPI `customer_base` has no `owner`: nobody is accountable for acting when it goes red.%0Ahint: add `owner "team-or-person"` to the KPI.\n',
    );
    const outside = await runLintCommand({
      cwd: join(dir, 'kpis', 'metrics'),
      paths: [],
      format: 'github',
      maxWarnings: undefined,
      projectDir: '..',
    });
    expect(outside.stdout.startsWith('::warning file=metrics/a.kpi,')).toBe(true);
    const sarif = JSON.parse((await lint(dir, { format: 'sarif', projectDir: 'kpis' })).stdout) as {
      version: string;
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(
      sarif.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri]),
    ).toEqual([['missing-owner', 'metrics/a.kpi']]);
  });

  it('exits 2 on usage and project-file problems', async () => {
    const dir = project({ 'kpis.kpi': CLEAN });
    expect(await lint(dir, { format: 'xml' })).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('unknown --format `xml`'),
    });
    expect(await lint(dir, { maxWarnings: 'many' })).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('--max-warnings'),
    });
    expect((await lint(dir, { paths: ['nope.kpi'] })).exitCode).toBe(2);
    expect((await lint(dir, { projectDir: 'missing' })).exitCode).toBe(2);
    expect((await lint(project({ 'kpic.yaml': 'lint: [unclosed\n', 'a.kpi': CLEAN }))).exitCode).toBe(2);
  });

  it('registers `lint` on the program and sets the exit code', async () => {
    const dir = project({ 'kpis.kpi': NO_REFERENCE });
    const program = new Command('kpic').option('--project <dir>');
    register(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const previous = process.exitCode;
    try {
      await program.parseAsync(['lint', '--project', dir, '--format', 'json', '--max-warnings', '3'], { from: 'user' });
      expect(process.exitCode).toBe(1);
      const printed = write.mock.calls.map((c) => String(c[0])).join('');
      expect(JSON.parse(printed)).toHaveLength(1);
    } finally {
      write.mockRestore();
      process.exitCode = previous;
    }
  });
});
