// `kpic lint --format github` writes workflow commands; a CI runner reads
// every line of the log that starts with `::` as one. A file name (or any
// text a finding quotes) holding a line break and `::error` would start a
// command of its own: a fake annotation, or worse (`::add-mask::`,
// `::stop-commands::`). The attack is shown first with the finding written
// without escaping, then stopped by the formatter and by the real CLI.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { formatLintGithub } from '../../runtime/format/lint/github.ts';
import { kpic } from '../cli/helpers.ts';

/** The workflow commands a runner would see in `log`: the name of each line that starts one, as the runner parses it. */
function workflowCommands(log: string): string[] {
  return log
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimStart())
    .filter((line) => line.startsWith('::'))
    .map((line) => /^::([A-Za-z-]+)/.exec(line)?.[1] ?? '?');
}

const HOSTILE_NAME = 'metrics/a\n::error title=build::all checks passed\n.kpi';
const ESC = '\x1b';

const finding: Diagnostic = {
  code: 'missing-owner',
  severity: 'warn',
  message: `KPI \`x\` in ${HOSTILE_NAME} has no owner 100%\r\n::add-mask::secret${ESC}[2K`,
  file: HOSTILE_NAME,
  span: { start: { offset: 0, line: 5, column: 5 }, end: { offset: 0, line: 5, column: 8 } },
};

/** The command written without any escaping: what the defence is for. */
function unescaped(d: Diagnostic): string {
  return `::warning file=${d.file},line=5,col=5,endLine=5,endColumn=8,title=${d.code}::${d.message}\n`;
}

describe('lint --format github against workflow-command injection', () => {
  it('without escaping, a line break in a name or message starts fake commands', () => {
    expect(workflowCommands(unescaped(finding))).toEqual(['warning', 'error', 'error', 'add-mask']);
  });

  it('the formatter writes exactly one command, every special and control encoded', () => {
    const text = formatLintGithub([finding]);
    expect(workflowCommands(text)).toEqual(['warning']);
    expect(text.split('\n')).toEqual([
      '::warning file=metrics/a%0A%3A%3Aerror title=build%3A%3Aall checks passed%0A.kpi,line=5,col=5,endLine=5,endColumn=8,title=missing-owner::' +
        'KPI `x` in metrics/a%0A::error title=build::all checks passed%0A.kpi has no owner 100%25%0D%0A::add-mask::secret\\x1b[2K',
      '',
    ]);
    expect(text).not.toContain(ESC);
  });
});

describe('through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-gh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'kpic.yaml'), 'name: gh\n');
  mkdirSync(join(dir, 'metrics'));
  const kpi = (entity: string, name: string) => `customer ${entity} from "data/customers.csv" {
  key customer_id
  measure ${name}_count = count()
}
kpi ${name} {
  description "Customers."
  numerator ${name}_count
}
`;
  writeFileSync(join(dir, HOSTILE_NAME), kpi('customers', 'base'));
  // A second customer entity: its finding quotes the hostile name in the message.
  writeFileSync(join(dir, `metrics/b${ESC}]0;owned\x07.kpi`), kpi('customers2', 'other'));

  it('a hostile .kpi file name gives one annotation per finding and no raw control', async () => {
    const r = await kpic(dir, ['lint', '--format', 'github']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(workflowCommands(r.stdout)).toEqual(lines.map((l) => /^::(\w+)/.exec(l)![1]));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((l) => /^::(error|warning|notice) file=metrics\/[ab]/.test(l))).toBe(true);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    // The message quoting the hostile name keeps it, encoded.
    expect(r.stdout).toContain('customers` (metrics/a%0A::error title=build::all checks passed%0A.kpi:1:10)');
    expect(r.stdout).toContain('file=metrics/b\\x1b]0;owned\\x07.kpi,');
  });

  it('the human format shows the names on one line, escaped', async () => {
    const r = await kpic(dir, ['lint']);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain('metrics/a\\n::error title=build::all checks passed\\n.kpi:5:5 warn missing-owner');
    expect(r.stdout).toContain('metrics/b\\x1b]0;owned\\x07.kpi:1:10 error duplicate-customer');
    expect(r.stdout.split('\n')).toContain('metrics/b\\x1b]0;owned\\x07.kpi');
  });
});
