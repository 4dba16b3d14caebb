// `kpic docs --out DIR`: a static HTML catalog of the KPIs (index by owner
// and status, a page per KPI, the archive of deprecated KPIs). Built from
// the `.kpi` files alone (and kpic.schema.json when there is one); no data
// is read.

import { basename } from 'node:path';
import type { Command } from 'commander';
import { findRootFolder, loadDefinitions } from '../../diff/definitions.ts';
import { renderCatalog, writeCatalog } from '../../docs/build.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';

export function register(program: Command): void {
  program
    .command('docs')
    .description('write a static HTML catalog of the KPIs')
    .requiredOption('--out <dir>', 'the folder to write (replaced as a whole)')
    .action((flags: { out: string }, command: Command) => {
      const output = outputOf(command);
      const { project } = command.optsWithGlobals<{ project?: string }>();
      const root = findRootFolder(process.cwd(), project);
      const definitions = loadDefinitions(root);
      const files = renderCatalog({
        name: definitions.config.name ?? basename(root),
        model: definitions.model,
        texts: definitions.texts,
        dataRoot: definitions.config.data.root.replace(/\/+$/, '') || '.',
      });
      writeCatalog(flags.out, files);
      const kpis = definitions.model.kpis.size;
      output.out(`wrote ${flags.out}: ${kpis} KPI page${kpis === 1 ? '' : 's'}, index.html, deprecated.html\n`);
      const errors = definitions.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors > 0) output.err(`note: the project has ${errors} error${errors === 1 ? '' : 's'}; run \`kpic check\` to see them.\n`);
      process.exitCode = EXIT.ok;
    });
}
