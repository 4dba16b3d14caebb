// `kpic compile KPI`: the SQL of one query, to stdout.

import type { Command } from 'commander';
import { compileQuery } from '../../../compiler/index.ts';
import { EXIT } from '../errors.ts';
import { prepareQuery, reportCompile } from '../kpi-query.ts';
import { line, outputOf } from '../output.ts';
import { addQueryOptions } from '../query-flags.ts';
import type { QueryFlags } from '../query-flags.ts';
import { withProject } from '../session.ts';

export function register(program: Command): void {
  const command = program
    .command('compile')
    .description('print the SQL of one KPI query')
    .argument('<kpi>', 'the KPI to compile');
  addQueryOptions(command).action(async (name: string, flags: QueryFlags, cmd: Command) => {
    const output = outputOf(cmd);
    process.exitCode = await withProject(cmd, undefined, async (project) => {
      const prepared = prepareQuery(project, name, flags, output);
      if (typeof prepared === 'number') return prepared;
      // The engine's dialect unless --dialect asks for another one.
      const compiled = compileQuery(
        project.model,
        { dialect: project.dialect, ...prepared.query },
        { dataRoot: project.dataRoot },
      );
      const failed = reportCompile(output, compiled.diagnostics, prepared.texts);
      if (failed !== undefined || !compiled.value) return failed ?? EXIT.problems;
      output.out(line(compiled.value.sql));
      return EXIT.ok;
    });
  });
}
