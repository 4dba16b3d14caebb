// `kpic explain KPI`: measures, sources, joins, the path to the customer, repeated values.

import type { Command } from 'commander';
import { compileQuery, escapeControls } from '../../../compiler/index.ts';
import { EXIT } from '../errors.ts';
import { explainKpi } from '../explain-kpi.ts';
import { findKpi } from '../kpi-lookup.ts';
import { outputOf } from '../output.ts';
import { withProject } from '../session.ts';

export function register(program: Command): void {
  program
    .command('explain')
    .description('how a KPI is computed: measures, sources, joins, the path to the customer')
    .argument('<kpi>', 'the KPI to explain')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const output = outputOf(cmd);
      process.exitCode = await withProject(cmd, undefined, async (project) => {
        const kpi = findKpi(project, name, output);
        if (typeof kpi === 'number') return kpi;
        const compiled = compileQuery(
          project.model,
          { kpi: kpi.name, dialect: project.dialect },
          { dataRoot: project.dataRoot },
        ).value;
        // Titles, descriptions and predicates are quoted from `.kpi` files: control characters are shown escaped.
        output.out(escapeControls(explainKpi({ model: project.model, kpi, texts: project.texts, compiled })));
        return EXIT.ok;
      });
    });
}
