// `kpic report [--format markdown|html] [--out FILE]`: a one-file review of
// the latest complete period of every active KPI (docs/catalog.md).

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { kpisWithValues } from '../../docs/build.ts';
import { REPORT_FORMATS, renderHtmlReport, renderMarkdownReport } from '../../docs/report.ts';
import type { ReportFormat } from '../../docs/report.ts';
import { collectValues } from '../../docs/values.ts';
import { EXIT, UsageError } from '../errors.ts';
import { outputOf } from '../output.ts';
import { withProject } from '../session.ts';
import { writeFileAtomic } from '../write-atomic.ts';
import { projectInputs, refuseProjectInput } from '../out-target.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('write a review of the latest complete period of every active KPI')
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('markdown'))
    .option('--out <file>', 'write the report to a file (atomically) instead of stdout')
    .action(async (flags: { format: ReportFormat; out?: string }, command: Command) => {
      const output = outputOf(command);
      const out = flags.out === undefined ? undefined : outFile(flags.out);
      process.exitCode = await withProject(command, undefined, async (project) => {
        if (out !== undefined) refuseProjectInput(flags.out!, projectInputs(project));
        const kpis = kpisWithValues(project.model);
        const values = await collectValues(project, kpis);
        const input = { name: project.config.name ?? basename(project.root), model: project.model, kpis, values };
        const text = flags.format === 'html' ? await renderHtmlReport(input) : renderMarkdownReport(input);
        if (out === undefined) output.out(text);
        else writeFileAtomic(out, text);
        return EXIT.ok;
      });
    });
}

function outFile(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute) && statSync(absolute).isDirectory())
    throw new UsageError(`--out ${path} is a folder`, 'give a file name, e.g. --out review.md');
  const folder = dirname(absolute);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`--out ${path}: the folder ${folder} does not exist`);
  return absolute;
}
