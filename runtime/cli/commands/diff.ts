// `kpic diff --base REF [--format text|markdown|json] [--values]`: what
// changed in the metric definitions since a git ref, what depends on it,
// and whether an active KPI changed meaning without a new `version`.
//
// The base version is read from git (`git show REF:path` for every `.kpi`
// and kpic.yaml of the repository, into a temporary folder); both versions
// are resolved without data. Exit 1 when an active KPI has a breaking
// change without a version increase; 2 for a bad ref or flag.

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { EMPTY_CATALOG } from '../../../compiler/index.ts';
import { diffDefinitions } from '../../diff/compare.ts';
import { findRootFolder, loadDefinitions } from '../../diff/definitions.ts';
import { checkoutDefinitions } from '../../diff/git.ts';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../diff/render.ts';
import type { DiffReport } from '../../diff/render.ts';
import { compareValues } from '../../diff/values.ts';
import { openProject } from '../../project/open.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';
import { requireRunnableEngine } from '../session.ts';

const FORMATS = ['text', 'markdown', 'json'] as const;

export function register(program: Command): void {
  program
    .command('diff')
    .description('what changed in the metric definitions since a git ref, and what depends on it')
    .requiredOption('--base <ref>', 'the git ref to compare with, e.g. origin/main')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--values', "run the old and new definitions on the data and show each changed KPI's latest value")
    .action(async (flags: { base: string; format: (typeof FORMATS)[number]; values?: boolean }, command: Command) => {
      const output = outputOf(command);
      const { project } = command.optsWithGlobals<{ project?: string }>();
      const root = findRootFolder(process.cwd(), project);
      const temp = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-diff-')));
      try {
        const baseRoot = checkoutDefinitions(root, flags.base, temp);
        const base = loadDefinitions(baseRoot, { catalog: EMPTY_CATALOG });
        const head = loadDefinitions(root, { catalog: EMPTY_CATALOG });
        const diff = diffDefinitions(
          { model: base.model, texts: base.texts },
          { model: head.model, texts: head.texts },
        );
        let report: DiffReport = { base: flags.base, ...diff };
        if (flags.values) {
          let at = 'opening the project';
          const values = await output.progress(
            () => `kpic diff --values: ${at}`,
            async () => {
              const opened = await openProject({ projectDir: root });
              try {
                requireRunnableEngine(opened);
                return await compareValues(opened, base.files, diff.kpis, (index, total, kpi) => {
                  at = `KPI ${index + 1}/${total}, ${kpi}`;
                });
              } finally {
                await opened.close();
              }
            },
          );
          report = { ...report, values };
        }
        const render =
          flags.format === 'markdown' ? renderDiffMarkdown : flags.format === 'json' ? renderDiffJson : renderDiffText;
        output.out(render(report));
        const errors = head.diagnostics.filter((d) => d.severity === 'error').length;
        if (errors > 0)
          output.err(
            `note: the working tree's metric files have ${errors} error${errors === 1 ? '' : 's'}; run \`kpic check\` to see them.\n`,
          );
        process.exitCode = report.findings.some((f) => f.severity === 'error') ? EXIT.problems : EXIT.ok;
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    });
}
