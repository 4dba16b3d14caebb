// `kpic check [PATHS]`: parse, resolve against the data's real schema, lint,
// prepare every KPI's default query on the engine without running it, and
// check that the key behind every many-to-one link is unique in the data.

import { appendAll } from '../../../compiler/index.ts';
import { malformedFilesOf, modelFiles } from '../../execute.ts';
import type { Command } from 'commander';
import type { Diagnostic } from '../../../compiler/index.ts';
import { hasErrors, dedupeDiagnostics, sortDiagnostics } from '../../../compiler/index.ts';
import { compileQuery } from '../../../compiler/index.ts';
import { checkValueLiterals, columnsOfLiterals, valueLiteralsOfModel } from '../../../compiler/index.ts';
import type { Kpi } from '../../../compiler/index.ts';
import type { Project } from '../../project/open.ts';
import { outputOf } from '../output.ts';
import { exitCodeOf, printDiagnostics } from '../report.ts';
import { withProject } from '../session.ts';
import { changedFilesSince } from '../../diff/git.ts';
import { checkLinkKeys, linksFrom } from '../../project/link-keys.ts';
import { readSchemaSnapshot, snapshotSources } from '../../project/schema-snapshot.ts';
import { readColumnValues } from '../../project/column-values.ts';
import { emptyFileRelations, withEmptyRelations } from '../../project/empty-relations.ts';

export function register(program: Command): void {
  program
    .command('check')
    .description(
      "parse, resolve, type-check against the data's schema, lint, and validate every KPI's SQL on the engine",
    )
    .argument('[paths...]', 'files or folders to report on (the whole project is still loaded)')
    .option('--changed-since <ref>', 'report only problems in files changed since this git ref (and untracked files)')
    .action(async (paths: string[], options: { changedSince?: string }, command: Command) => {
      const output = outputOf(command);
      process.exitCode = await withProject(command, paths, async (project) => {
        const changed =
          options.changedSince === undefined ? undefined : changedFilesSince(project.root, options.changedSince);
        const inScope = (file: string) =>
          (project.reportedFiles === undefined || project.reportedFiles.has(file)) &&
          (changed === undefined || changed.has(file));
        const snapshot = snapshotSources(project.model, project.snapshotRelations ?? [], project.dataRoot);
        const extra = await validateKpis(project, inScope, snapshot.relationTexts);
        const keys =
          project.offline === undefined
            ? await checkLinkKeys(
                project,
                linksFrom(project.model, [...project.model.sources.keys()]).filter((l) => inScope(l.file)),
              )
            : [];
        const values = await checkValues(project, inScope);
        const diagnostics = sortDiagnostics(
          dedupeDiagnostics([...project.diagnostics, ...extra.diagnostics, ...keys, ...values]),
        ).filter((d) => changed === undefined || changed.has(d.file));
        printDiagnostics(output, diagnostics, project.texts, 'out');
        const counted = `${project.files.length} file${project.files.length === 1 ? '' : 's'}, ${project.model.kpis.size} KPI${project.model.kpis.size === 1 ? '' : 's'}`;
        if (snapshot.names.length > 0) {
          const list = snapshot.names.map((n) => `\`${n}\``).join(', ');
          const skipped =
            extra.notPrepared === 0
              ? ''
              : `; the SQL of ${extra.notPrepared} KPI${extra.notPrepared === 1 ? '' : 's'} reading them was not prepared on the engine`;
          output.out(
            `note: checked against the schema snapshot kpic.schema.json (their data is missing): ${list}${skipped}.\n`,
          );
        }
        if (diagnostics.length === 0) output.out(`no problems (${counted} checked)\n`);
        else output.out(`(${counted} checked)\n`);
        if (project.offline !== undefined) {
          output.err(
            `note: ${project.offline}; schemas come from kpic.schema.json (if any) and no SQL was prepared on the database.\n`,
          );
        }
        return exitCodeOf(diagnostics);
      });
    });
}

/**
 * Compile each KPI's default query and prepare its SQL (and its check
 * report) on the engine. A project with errors is still validated KPI by
 * KPI, but only the failures of KPIs that compile cleanly are reported: the
 * compile errors of a broken model repeat what resolve already said.
 */
async function validateKpis(
  project: Project,
  inScope: (file: string) => boolean,
  snapshotRelations: readonly string[],
): Promise<{ diagnostics: Diagnostic[]; notPrepared: number }> {
  const diagnostics: Diagnostic[] = [];
  let notPrepared = 0;
  const projectHasErrors = hasErrors(project.diagnostics);
  const runnable = project.offline === undefined;
  // Prepared against empty relations of the described types: the binder's verdict, without reading the files again.
  const empties =
    project.dialect === 'duckdb' ? emptyFileRelations(project.model, project.dataRoot) : new Map<string, string>();
  // With every source a single file, replaced by an empty relation, and no database file, a
  // statement reads nothing: the engine's verdict depends on its text alone and is kept.
  const readsNothing =
    project.answers !== undefined && project.config.data.database === ':memory:' && modelFiles(project) !== undefined;
  for (const kpi of project.model.kpis.values()) {
    if (!inScope(kpi.file)) continue;
    let compiled: ReturnType<typeof compileQuery>;
    try {
      compiled = compileQuery(
        project.model,
        { kpi: kpi.name, dialect: project.dialect },
        { dataRoot: project.dataRoot },
      );
    } catch (error) {
      if (!projectHasErrors) diagnostics.push(internalError(kpi, error));
      continue;
    }
    if (!projectHasErrors) appendAll(diagnostics, compiled.diagnostics);
    if (!compiled.value || hasErrors(compiled.diagnostics) || !runnable) continue;
    // A malformed data file is reported once, at its line (data-malformed-row), not again per KPI.
    if (malformedFilesOf(project, kpi.name).refused.length > 0) continue;
    // Data described from the schema snapshot is not there to prepare against.
    if (snapshotRelations.some((text) => compiled.value!.sql.includes(text))) {
      notPrepared += 1;
      continue;
    }
    for (const sql of [compiled.value.sql, compiled.value.checkReportSql]) {
      if (sql === undefined) continue;
      const problem = await validateKept(project, withEmptyRelations(sql, empties), readsNothing);
      if (problem !== undefined)
        diagnostics.push(invalidSql(kpi, problem, project.dialect === 'postgres' ? 'PostgreSQL' : 'DuckDB'));
    }
  }
  return { diagnostics, notPrepared };
}

/** The engine's verdict on `statement` (undefined: valid), kept between commands when it reads nothing (cache/answers.ts). */
async function validateKept(project: Project, statement: string, readsNothing: boolean): Promise<string | undefined> {
  const probe = readsNothing ? project.answers?.lookup(statement, [], { prepared: true }) : undefined;
  const kept = probe?.answer as { problem?: unknown } | undefined;
  if (kept !== undefined && (kept.problem === null || typeof kept.problem === 'string'))
    return kept.problem ?? undefined;
  const problem = await project.engine.validate(statement);
  probe?.store({ problem: problem ?? null });
  return problem;
}

/**
 * `unknown-value` for text literals of the files in scope that the data's
 * (or the snapshot's) values of their column do not have: one query per
 * column a literal names, none for the others.
 */
async function checkValues(project: Project, inScope: (file: string) => boolean): Promise<Diagnostic[]> {
  const literals = valueLiteralsOfModel(project.model).filter((l) => inScope(l.file));
  if (literals.length === 0) return [];
  const snapshot = readSchemaSnapshot(project.root).snapshot;
  const valuesOf = await readColumnValues(project, columnsOfLiterals(literals), snapshot);
  return checkValueLiterals(project.model, literals, valuesOf);
}

function invalidSql(kpi: Kpi, problem: string, engine: string): Diagnostic {
  return {
    code: 'invalid-sql',
    severity: 'error',
    message: `the SQL of KPI \`${kpi.name}\` does not prepare on ${engine}: ${problem}`,
    file: kpi.file,
    span: kpi.nameSpan,
    help: `run \`kpic compile ${kpi.name}\` to see the SQL; a column of an unexpected type in the data is the usual cause.`,
  };
}

function internalError(kpi: Kpi, error: unknown): Diagnostic {
  return {
    code: 'internal-error',
    severity: 'error',
    message: `kpic failed to compile KPI \`${kpi.name}\`: ${error instanceof Error ? error.message : String(error)}`,
    file: kpi.file,
    span: kpi.nameSpan,
    help: 'this is a bug in kpic; please report it with the KPI.',
  };
}
