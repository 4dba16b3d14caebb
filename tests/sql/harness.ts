// The planner tests' harness: `.kpi` text and CSV data in, compiled query and
// rows out. The catalog comes from DuckDB describing the files, as the
// runtime does, through `describeSql`.

import { parseFile } from '../../compiler/syntax/parse.ts';
import { listRelations } from '../../compiler/semantic/relations.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { catalogFromEntries, relationKey, scalarTypeOf, type CatalogEntry } from '../../compiler/semantic/catalog.ts';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import type { Model } from '../../compiler/semantic/model.ts';
import type { KpiFile } from '../../compiler/syntax/ast.ts';
import { compileQuery } from '../../compiler/compile.ts';
import type { CompiledQuery, Query } from '../../compiler/plan/query.ts';
import { describeSql } from '../../compiler/sql/relation.ts';
import { openTestDb, type Json, type TestDb } from './duckdb.ts';

export interface Project {
  readonly db: TestDb;
  readonly model: Model;
  /** The model built from the same files given in reverse order. */
  readonly reversed: Model;
  compile(query: Query, dataRoot?: string): CompiledQuery;
  diagnose(query: Query): readonly Diagnostic[];
  run(query: Query): Promise<{ compiled: CompiledQuery; rows: Record<string, Json>[] }>;
  close(): Promise<void>;
}

/** Parse, describe, resolve: fails the test on any error diagnostic of the model. */
export interface ProjectOptions {
  readonly timezone?: string;
  /** Prefix of the temp data root's folder name (to put odd characters in the path). */
  readonly prefix?: string;
  /** Statements run before the catalog is described (tables for `table` sources). */
  readonly setup?: readonly string[];
}

export async function openProject(
  kpi: Record<string, string>,
  data: Record<string, string>,
  options: ProjectOptions | string = {},
): Promise<Project> {
  const { timezone = 'UTC', prefix, setup = [] } = typeof options === 'string' ? { timezone: options } : options;
  const db = await openTestDb(data, prefix);
  for (const statement of setup) await db.all(statement.replaceAll('$ROOT', db.root));
  const files: KpiFile[] = Object.entries(kpi).map(([path, text]) => {
    const parsed = parseFile(text, path);
    assertClean(parsed.diagnostics, 'parse');
    return parsed.value;
  });
  const entries = new Map<string, CatalogEntry>();
  for (const relation of listRelations(files)) {
    try {
      const described = await db.all(describeSql(relation, db.root));
      entries.set(relationKey(relation), {
        ok: true,
        columns: described.map((c) => ({
          name: String(c.column_name),
          type: scalarTypeOf(String(c.column_type)),
          sqlType: String(c.column_type),
        })),
      });
    } catch (error) {
      entries.set(relationKey(relation), { ok: false, message: String(error) });
    }
  }
  const catalog = catalogFromEntries(entries);
  const resolved = resolveProject(files, catalog, { timezone });
  assertClean(resolved.diagnostics, 'resolve');
  const reversed = resolveProject([...files].reverse(), catalog, { timezone }).value;
  const model = resolved.value;
  const compile = (query: Query, dataRoot = db.root) => {
    const result = compileQuery(model, query, { dataRoot });
    assertClean(result.diagnostics, 'compile');
    if (!result.value) throw new Error('compile gave no query');
    return result.value;
  };
  return {
    db,
    model,
    reversed,
    compile,
    diagnose: (query) => compileQuery(model, query, { dataRoot: db.root }).diagnostics,
    async run(query) {
      const compiled = compile(query);
      return { compiled, rows: await db.all(compiled.sql) };
    },
    close: () => db.close(),
  };
}

function assertClean(diagnostics: readonly Diagnostic[], stage: string): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(
      `${stage} errors:\n${errors.map((d) => `${d.file}:${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`).join('\n')}`,
    );
}
