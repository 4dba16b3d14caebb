// Running a KPI query: compile, execute the one statement, count what checks excluded.

import type { Result } from '../compiler/diagnostics.ts';
import { hasErrors } from '../compiler/diagnostics.ts';
import { compileQuery } from '../compiler/plan/compile.ts';
import type { Query, ResultColumn } from '../compiler/plan/query.ts';
import { EngineError } from './engine/engine.ts';
import type { Value } from './engine/engine.ts';
import type { Project } from './project/open.ts';

export interface QueryResult {
  sql: string;
  columns: readonly ResultColumn[];
  rows: readonly (readonly Value[])[];
  excluded: readonly { source: string; check: string; excluded: bigint }[];
  /** The engine's type name per column (an addition to the documented API; formats use it to keep DECIMALs numeric). */
  types: readonly string[];
}

/**
 * Compile `query` against the project's model and run it. Compile problems
 * come back as diagnostics with an `undefined` value; an engine failure or
 * an interrupt throws `EngineError` (exit code 3 in the CLI).
 */
export async function runQuery(
  project: Project,
  query: Query,
  options: { timeoutMs?: number } = {},
): Promise<Result<QueryResult | undefined>> {
  const compiled = compileQuery(project.model, query, { dataRoot: project.dataRoot });
  if (!compiled.value || hasErrors(compiled.diagnostics)) return { value: undefined, diagnostics: compiled.diagnostics };
  const { sql, columns, checkReportSql } = compiled.value;
  const started = Date.now();
  const result = await project.engine.all(sql, options);
  const excluded: { source: string; check: string; excluded: bigint }[] = [];
  if (checkReportSql) {
    const remaining = options.timeoutMs === undefined ? undefined : Math.max(1, options.timeoutMs - (Date.now() - started));
    const report = await project.engine.all(checkReportSql, remaining === undefined ? {} : { timeoutMs: remaining }).catch((error: unknown) => {
      // The budget is the whole run's: say so, not the remainder's.
      if (error instanceof EngineError && error.kind === 'interrupted' && options.timeoutMs !== undefined) {
        throw new EngineError('interrupted', `query interrupted after ${options.timeoutMs / 1000} s`);
      }
      throw error;
    });
    for (const [source, check, count] of report.rows) {
      excluded.push({ source: String(source), check: String(check), excluded: BigInt(count as bigint | number) });
    }
  }
  return {
    value: { sql, columns, rows: result.rows, excluded, types: result.types ?? columns.map(() => 'VARCHAR') },
    diagnostics: compiled.diagnostics,
  };
}
