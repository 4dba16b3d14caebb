// `kpic test [PATHS] [--filter TEXT]`: metric tests, fixture rows in and expected values out.
//
// Test files are `*.test.yaml` (or `.yml`) anywhere in the project; see
// docs/testing.md for the format and the number tolerance. Exit 0 when every
// test passes, 1 when one fails or cannot run (or a test file is malformed),
// 2 for a usage error (a missing path, a filter that matches nothing).

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createColors } from 'picocolors';
import { escapeControls, escapeLine } from '../../../compiler/index.ts';
import { findRootFolder, loadDefinitions } from '../../diff/definitions.ts';
import { findTestFiles, runTests } from '../../testing/run.ts';
import type { TestOutcome, TestRun } from '../../testing/run.ts';
import { EXIT, UsageError } from '../errors.ts';
import { outputOf } from '../output.ts';

export function register(program: Command): void {
  program
    .command('test')
    .description('run the metric tests (*.test.yaml): fixture rows in, expected KPI values out')
    .argument('[paths...]', 'test files or folders (default: every *.test.yaml of the project)')
    .option('--filter <text>', 'only tests whose name or KPI contains this text')
    .action(async (paths: string[], flags: { filter?: string }, command: Command) => {
      const output = outputOf(command);
      const { project } = command.optsWithGlobals<{ project?: string }>();
      const root = findRootFolder(process.cwd(), project);
      const files = paths.length > 0 ? expand(paths) : findTestFiles(root);
      if (files.length === 0) {
        output.out('no metric tests found (files named *.test.yaml); see docs/testing.md\n');
        process.exitCode = EXIT.ok;
        return;
      }
      let at = 'loading the project';
      const run = await output.progress(
        () => `kpic test: ${at}`,
        () =>
          runTests(loadDefinitions(root), files, flags.filter, (index, total, test) => {
            at = `test ${index + 1}/${total}, ${test.name}`;
          }),
      );
      if (flags.filter !== undefined && run.outcomes.length === 0 && run.problems.length === 0) {
        throw new UsageError(
          `--filter ${flags.filter} matches no test`,
          'the filter is matched, without regard to case, against test names and KPI names.',
        );
      }
      output.out(renderRun(run, output.color));
      const failed = run.outcomes.some((o) => o.kind !== 'pass') || run.problems.length > 0;
      process.exitCode = failed ? EXIT.problems : EXIT.ok;
    });
}

function expand(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    if (!existsSync(absolute)) throw new UsageError(`no such file or folder: ${path}`);
    files.push(...(statSync(absolute).isDirectory() ? findTestFiles(absolute) : [absolute]));
  }
  return [...new Set(files)].sort();
}

/** One line per test, the diff or the reason under each failure, and a summary line. */
export function renderRun(run: TestRun, color: boolean): string {
  const c = createColors(color);
  const out: string[] = [];
  // Names, files and messages come from a test file a pull request can change: controls are shown, never obeyed.
  for (const problem of run.problems)
    out.push(`${c.red('ERROR')} ${escapeLine(problem.file)}:${problem.line} ${escapeControls(problem.message)}`);
  for (const outcome of run.outcomes) out.push(...renderOutcome(outcome, c));
  const count = (kind: TestOutcome['kind']) => run.outcomes.filter((o) => o.kind === kind).length;
  const parts = [`${count('pass')} passed`];
  if (count('fail') > 0) parts.push(`${count('fail')} failed`);
  if (count('error') > 0) parts.push(`${count('error')} could not run`);
  if (run.problems.length > 0)
    parts.push(`${run.problems.length} problem${run.problems.length === 1 ? '' : 's'} in test files`);
  const total = run.outcomes.length;
  out.push(
    '',
    `${total} test${total === 1 ? '' : 's'}: ${parts.join(', ')} (${run.files} file${run.files === 1 ? '' : 's'})`,
  );
  return `${out.join('\n')}\n`;
}

function renderOutcome(outcome: TestOutcome, c: ReturnType<typeof createColors>): string[] {
  const { test } = outcome;
  const where = `${escapeLine(test.file)}:${test.line}`;
  const named = `${escapeLine(test.name)} (${escapeLine(test.kpi)})`;
  if (outcome.kind === 'pass') return [`${c.green('PASS')}  ${where} ${named}`];
  const label = outcome.kind === 'fail' ? c.red('FAIL') : c.red('ERROR');
  const head = outcome.kind === 'fail' ? ['    expected (-) and actual (+) rows:'] : [];
  const paint = (line: string) => (line.startsWith('- ') ? c.red(line) : line.startsWith('+ ') ? c.green(line) : line);
  return [
    `${label}${outcome.kind === 'fail' ? '  ' : ' '}${where} ${named}`,
    ...head,
    ...outcome.lines.map((l) => `    ${paint(escapeControls(l))}`),
  ];
}
