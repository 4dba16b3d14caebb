// Finding the KPI a command names, with a did-you-mean when there is none.

import { errorsOfDeclaredKpi, suggest } from '../../compiler/index.ts';
import type { Kpi } from '../../compiler/index.ts';
import type { Project } from '../project/open.ts';
import { EXIT, UsageError } from './errors.ts';
import type { Output } from './output.ts';
import { printDiagnostics } from './report.ts';

/**
 * The KPI called `name` (any case). A name declared nowhere is a usage error
 * (exit 2, with a did-you-mean). A KPI that is declared but did not resolve
 * (its own errors, or its measures') is not "unknown": the errors in it and
 * in what it depends on are printed, with a count of the project's others,
 * and the exit code is 1.
 */
export function findKpi(project: Project, name: string, output: Output): Kpi | number {
  const kpi = project.model.kpis.get(name.toLowerCase());
  if (kpi) return kpi;
  const declared = project.files.some((f) =>
    (f.declarations ?? []).some((d) => d?.kind === 'kpi' && d.name?.text.toLowerCase() === name.toLowerCase()),
  );
  if (declared) {
    const all = project.diagnostics.filter((d) => d.severity === 'error');
    const own = errorsOfDeclaredKpi(project.model, name, all);
    // Nothing found in what it depends on (a problem the dependencies do not see): show every error.
    const shown = own.length > 0 ? own : all;
    const others = all.length - shown.length;
    output.err(
      `error: KPI \`${name}\` cannot be used: ${own.length > 0 ? `${plural(own.length, 'error')} in it or in what it depends on` : 'the project has errors'}\n`,
    );
    printDiagnostics(output, shown, project.texts, 'err');
    if (others > 0)
      output.err(
        `note: ${plural(others, 'other error')} in the project do${others === 1 ? 'es' : ''} not affect \`${name}\`; run \`kpic check\` to see them.\n`,
      );
    return EXIT.problems;
  }
  const names = [...project.model.kpis.values()].map((k) => k.name);
  const guess = suggest(name, names);
  const hint = guess
    ? `did you mean \`${guess}\`?`
    : names.length === 0
      ? 'the project declares no KPI; run `kpic check` to see why.'
      : 'run `kpic list` to see the KPIs of the project.';
  throw new UsageError(`unknown KPI \`${name}\``, hint);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
