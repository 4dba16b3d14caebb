// What `compile` and `run` share: the flags to a query, the KPI's own
// problems first, then the compiler's diagnostics.
//
// A project with an error somewhere unrelated (another team's draft file, a
// dimension this KPI never names, another KPI) still compiles and runs this
// KPI; an error in what this KPI depends on stops it, since its numbers
// could be wrong (compiler/semantic/affects.ts).

import { malformedFilesOf } from '../execute.ts';
import type { Diagnostic } from '../../compiler/index.ts';
import type { Query } from '../../compiler/index.ts';
import type { Kpi } from '../../compiler/index.ts';
import { errorsAffecting } from '../../compiler/index.ts';
import type { Expr } from '../../compiler/index.ts';
import { checkValueLiterals, columnsOfLiterals, valueLiteralsOfWhere } from '../../compiler/index.ts';
import { readColumnValues } from '../project/column-values.ts';
import { readSchemaSnapshot } from '../project/schema-snapshot.ts';
import type { Project } from '../project/open.ts';
import { EXIT } from './errors.ts';
import { findKpi } from './kpi-lookup.ts';
import type { Output } from './output.ts';
import { parseQueryFlags, QUERY_FILE } from './query-flags.ts';
import type { QueryFlags } from './query-flags.ts';
import { mergeTexts, printDiagnostics } from './report.ts';

export interface PreparedQuery {
  readonly kpi: Kpi;
  readonly query: Query;
  readonly texts: ReadonlyMap<string, string>;
}

/** Parse the flags and find the KPI; print its blocking problems. `undefined` with an exit code when it cannot run. */
export function prepareQuery(
  project: Project,
  name: string,
  flags: QueryFlags,
  output: Output,
): PreparedQuery | number {
  const parsed = parseQueryFlags(name, flags);
  const kpi = findKpi(project, name, output);
  if (typeof kpi === 'number') return kpi;
  const texts = mergeTexts(project.texts, parsed.texts);
  const { by, where } = parsed.query;
  const blocking = errorsAffecting(project.model, kpi, project.diagnostics, {
    where,
    by: by === 'none' ? undefined : by,
  });
  if (blocking.length > 0) {
    printDiagnostics(output, blocking, texts, 'err');
    return EXIT.problems;
  }
  // A malformed data file the KPI reads does affect it: the query stops with that diagnostic (execute.ts).
  const own = new Set(malformedFilesOf(project, kpi.name).refused);
  const elsewhere = project.diagnostics.filter((d) => d.severity === 'error' && !own.has(d)).length;
  if (elsewhere > 0) {
    output.err(
      `note: ${elsewhere} error${elsewhere === 1 ? '' : 's'} elsewhere in the project do${elsewhere === 1 ? 'es' : ''} not affect \`${kpi.name}\`; run \`kpic check\` to see them.\n`,
    );
  }
  printDiagnostics(output, parsed.diagnostics, texts, 'err');
  if (kpi.status === 'deprecated') output.err(deprecationWarning(kpi));
  return { kpi, query: parsed.query, texts };
}

/**
 * `unknown-value` for the text literals of a query's `--where` (at
 * `<query>`) that their column's values, in the data or the schema
 * snapshot, do not hold: one small query per column a literal names.
 */
export async function whereValueWarnings(project: Project, where: Expr | undefined): Promise<Diagnostic[]> {
  if (!where) return [];
  const literals = valueLiteralsOfWhere(project.model, where, QUERY_FILE);
  if (literals.length === 0) return [];
  const snapshot = readSchemaSnapshot(project.root).snapshot;
  const valuesOf = await readColumnValues(project, columnsOfLiterals(literals), snapshot);
  return checkValueLiterals(project.model, literals, valuesOf);
}

/** Print the compiler's diagnostics; the exit code when there are errors (2 for problems in what was typed on the command line). */
export function reportCompile(
  output: Output,
  diagnostics: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
): number | undefined {
  printDiagnostics(output, diagnostics, texts, 'err');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  return errors.some((d) => d.file === QUERY_FILE) ? EXIT.usage : EXIT.problems;
}

/** Running a deprecated KPI still works; the warning names what to use instead. */
function deprecationWarning(kpi: { readonly name: string; readonly replacedBy?: string }): string {
  const instead =
    kpi.replacedBy === undefined
      ? 'it has no `replaced_by`; ask its owner what replaces it'
      : `use \`${kpi.replacedBy}\` instead`;
  return `warning: KPI \`${kpi.name}\` is deprecated: ${instead}.\n`;
}
