// Finding the KPI a command names, with a did-you-mean when there is none.

import { suggest } from '../../compiler/index.ts';
import type { Kpi } from '../../compiler/index.ts';
import type { Project } from '../project/open.ts';
import { EXIT, UsageError } from './errors.ts';
import type { Output } from './output.ts';
import { printDiagnostics } from './report.ts';

/**
 * The KPI called `name` (any case). A name declared nowhere is a usage error
 * (exit 2, with a did-you-mean). A KPI that is declared but did not resolve
 * (its own errors, or its measures') is not "unknown": the project's errors
 * are printed and the exit code is 1.
 */
export function findKpi(project: Project, name: string, output: Output): Kpi | number {
  const kpi = project.model.kpis.get(name.toLowerCase());
  if (kpi) return kpi;
  const declared = project.files.some((f) =>
    (f.declarations ?? []).some((d) => d?.kind === 'kpi' && d.name?.text.toLowerCase() === name.toLowerCase()),
  );
  if (declared) {
    output.err(`error: KPI \`${name}\` cannot be used: the project has errors\n`);
    printDiagnostics(
      output,
      project.diagnostics.filter((d) => d.severity === 'error'),
      project.texts,
      'err',
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
