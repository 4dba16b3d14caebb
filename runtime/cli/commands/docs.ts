// `kpic docs --out DIR [--values]`: a static HTML catalog of the KPIs: the
// scorecard (index), a page per KPI, the lineage graph and the archive of
// deprecated KPIs. Without `--values` it is built from the `.kpi` files alone
// (and kpic.schema.json when there is one), so it runs in CI with no data;
// with `--values` each active KPI's default query runs on the data and the
// pages show values, statuses and charts.

import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Kpi, Model } from '../../../compiler/index.ts';
import { findRootFolder, loadDefinitions } from '../../diff/definitions.ts';
import { kpisWithValues, renderCatalog, renderCharts, writeCatalog } from '../../docs/build.ts';
import { fileHistory } from '../../docs/history.ts';
import type { HistoryEntry } from '../../docs/history.ts';
import { collectValues } from '../../docs/values.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';
import type { Output } from '../output.ts';
import { withProject } from '../session.ts';

interface DocsFlags {
  out: string;
  values?: boolean;
  history: boolean;
}

export function register(program: Command): void {
  program
    .command('docs')
    .description('write a static HTML catalog of the KPIs (scorecard, KPI pages, lineage)')
    .requiredOption('--out <dir>', 'the folder to write (replaced as a whole)')
    .option('--values', "run each active KPI's default query and show values, statuses and charts")
    .option('--no-history', 'leave out the version history from git')
    .action(async (flags: DocsFlags, command: Command) => {
      const output = outputOf(command);
      const { project } = command.optsWithGlobals<{ project?: string }>();
      const root = findRootFolder(process.cwd(), project);
      if (flags.values) {
        process.exitCode = await withProject(command, undefined, async (opened) => {
          const kpis = kpisWithValues(opened.model);
          const values = await collectValues(opened, kpis, progressLine(output));
          clearProgress(output);
          const charts = await renderCharts(opened.model, values);
          const files = renderCatalog({
            name: opened.config.name ?? basename(opened.root),
            model: opened.model,
            texts: opened.texts,
            dataRoot: opened.config.data.root.replace(/\/+$/, '') || '.',
            values,
            charts,
            ...(flags.history ? { history: historyOf(opened.root, opened.model) } : {}),
          });
          writeCatalog(flags.out, files);
          const failed = [...values.values()].filter((v) => v.error !== undefined).length;
          report(
            output,
            flags.out,
            opened.model,
            `, values of ${kpis.length - failed} active KPI${kpis.length - failed === 1 ? '' : 's'}`,
          );
          if (failed > 0)
            output.err(`note: ${failed} KPI${failed === 1 ? '' : 's'} could not be computed; their pages say why.\n`);
          return EXIT.ok;
        });
        return;
      }
      const definitions = loadDefinitions(root);
      const files = renderCatalog({
        name: definitions.config.name ?? basename(root),
        model: definitions.model,
        texts: definitions.texts,
        dataRoot: definitions.config.data.root.replace(/\/+$/, '') || '.',
        ...(flags.history ? { history: historyOf(root, definitions.model) } : {}),
      });
      writeCatalog(flags.out, files);
      report(output, flags.out, definitions.model, '');
      const errors = definitions.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors > 0)
        output.err(
          `note: the project has ${errors} error${errors === 1 ? '' : 's'}; run \`kpic check\` to see them.\n`,
        );
      process.exitCode = EXIT.ok;
    });
}

function report(output: Output, out: string, model: Model, extra: string): void {
  const kpis = model.kpis.size;
  output.out(
    `wrote ${out}: ${kpis} KPI page${kpis === 1 ? '' : 's'}, index.html, lineage.html, deprecated.html${extra}\n`,
  );
}

/** The git history of every file that declares a KPI (one `git log` per file). */
function historyOf(root: string, model: Model): Map<string, HistoryEntry[]> {
  const files = new Set([...model.kpis.values()].map((k) => k.file));
  return new Map([...files].map((file) => [file, fileHistory(root, file)]));
}

/** One line on stderr, rewritten in place, only when stderr is a terminal. */
function progressLine(output: Output): (done: number, total: number, kpi: Kpi) => void {
  const started = Date.now();
  return (done, total, kpi) => {
    if (!output.colorErr) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    output.err(`\r\x1b[2Kcomputing values ${done + 1}/${total}: ${kpi.name} (${seconds} s)`);
  };
}

function clearProgress(output: Output): void {
  if (output.colorErr) output.err('\r\x1b[2K');
}
