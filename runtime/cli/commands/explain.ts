// `kpic explain KPI`: measures, sources, joins, the path to the customer,
// repeated values; the same description as the servers' `describe_kpi`.

import type { Command } from 'commander';
import { escapeControls } from '../../../compiler/index.ts';
import { describeKpi } from '../../service/catalog.ts';
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
        // The description `describe_kpi` answers with, as text. Titles, descriptions and predicates are
        // quoted from `.kpi` files: control characters are shown escaped.
        output.out(escapeControls(explainKpi(describeKpi(project, kpi))));
        return EXIT.ok;
      });
    });
}
