// The distinct values of the text columns that literals are compared with,
// for `unknown-value` (compiler/semantic/value-literals.ts).
//
// From the data: one small query per column a literal needs (`select
// distinct ... limit 101`), never a column no literal names. From the schema
// snapshot: the values `kpic schema snapshot` stored, for data that is not
// here (and for `kpic lint`, which has no engine). A column with more than
// MAX_DISTINCT_VALUES values, or a longer value than MAX_VALUE_LENGTH, is not
// a category: its literals are not checked.

import type { Model, ValueColumn } from '../../compiler/index.ts';
import { distinctValuesSql, MAX_DISTINCT_VALUES, MAX_VALUE_LENGTH, relationKey } from '../../compiler/index.ts';
import { EngineError } from '../engine/engine-error.ts';
import { singleFile } from '../engine/catalog.ts';
import type { Project } from './open.ts';
import type { SchemaSnapshot } from './schema-snapshot.ts';

/** `valuesOf` for `checkValueLiterals`: a column's values, or undefined when unknown. */
export type ColumnValues = (column: ValueColumn) => readonly string[] | undefined;

/** The values of `columns`, read from the data where it is, else from the snapshot. */
export async function readColumnValues(
  project: Project,
  columns: readonly ValueColumn[],
  snapshot: SchemaSnapshot | undefined,
): Promise<ColumnValues> {
  const found = new Map<string, readonly string[]>();
  const fromSnapshot = snapshotValues(project.model, snapshot);
  for (const column of columns) {
    const source = project.model.sources.get(column.source);
    if (!source || source.relation.kind === 'derived') continue;
    const missing =
      project.offline !== undefined || (project.snapshotRelations ?? []).includes(relationKey(source.relation));
    const values = missing ? fromSnapshot(column) : await queryValues(project, column);
    if (values) found.set(idOf(column), values);
  }
  return (column) => found.get(idOf(column));
}

/** The values the snapshot stores for a column (of the relation the column's source reads). */
export function snapshotValues(model: Model, snapshot: SchemaSnapshot | undefined): ColumnValues {
  return (column) => {
    const source = model.sources.get(column.source);
    if (!snapshot || !source || source.relation.kind === 'derived') return undefined;
    const lower = column.column.toLowerCase();
    return snapshot.get(relationKey(source.relation))?.find((c) => c.name.toLowerCase() === lower)?.values;
  };
}

/**
 * The column's distinct values, sorted; undefined when it is not a text
 * column, has too many values or too long ones, or cannot be read (the query
 * itself then reports why).
 */
export async function queryValues(project: Project, column: ValueColumn): Promise<readonly string[] | undefined> {
  const source = project.model.sources.get(column.source);
  if (!source || source.relation.kind === 'derived') return undefined;
  const known = source.columns.get(column.column.toLowerCase());
  if (known?.type !== 'text') return undefined;
  const text = distinctValuesSql(
    source.relation,
    known.name,
    project.dataRoot,
    project.dialect,
    MAX_DISTINCT_VALUES + 1,
  );
  if (text === undefined) return undefined;
  // The values depend on the file alone: kept while it stays the same (cache/answers.ts).
  const files = project.answers ? singleFile(source.relation, project.dataRoot) : undefined;
  const probe = files ? project.answers?.lookup(text, files) : undefined;
  const kept = keptValues(probe?.answer);
  if (kept !== undefined) return kept.values ?? undefined;
  try {
    const result = await project.engine.all(text);
    const values = result.rows.map(([v]) => String(v));
    const category = values.length > MAX_DISTINCT_VALUES || values.some((v) => v.length > MAX_VALUE_LENGTH);
    const answer = category ? undefined : values.sort();
    probe?.store({ values: answer ?? null });
    return answer;
  } catch (error) {
    if (error instanceof EngineError && error.kind === 'interrupted') throw error;
    return undefined;
  }
}

/** A kept answer: `{ values: [...] }`, or `{ values: null }` for a column that is not a category; undefined when there is none or it is not one. */
function keptValues(answer: unknown): { values: readonly string[] | null } | undefined {
  if (typeof answer !== 'object' || answer === null || !('values' in answer)) return undefined;
  const { values } = answer as { values: unknown };
  if (values === null) return { values: null };
  return Array.isArray(values) && values.every((v) => typeof v === 'string') ? { values } : undefined;
}

function idOf(column: ValueColumn): string {
  return `${column.source}\u0000${column.column.toLowerCase()}`;
}
