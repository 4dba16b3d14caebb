// `kpic check` prepares every KPI's SQL on the engine to catch what only the
// engine's binder sees (an aggregate over a text column, a bad cast). A
// `read_csv(...)` in a statement makes DuckDB sniff the file again at each
// prepare, which made check cost seconds per KPI on larger files. The
// columns and types are already known (they were described once when the
// project opened), so each file relation is prepared as an empty relation of
// exactly those columns and types: the binder's answer is the same, and no
// file is read.

import type { Model } from '../../compiler/index.ts';
import { describeSql } from '../../compiler/index.ts';

/** The FROM text of each described file relation -> an empty SELECT with its columns and types. */
export function emptyFileRelations(model: Model, dataRoot: string): ReadonlyMap<string, string> {
  const empties = new Map<string, string>();
  for (const source of model.sources.values()) {
    if (source.relation.kind !== 'file' || !source.schemaKnown || source.columns.size === 0) continue;
    const text = describeSql(source.relation, dataRoot).replace(/^describe select \* from /, '');
    const columns = [...source.columns.values()].map((c) => `cast(null as ${c.sqlType}) as ${quoteIdentifier(c.name)}`);
    empties.set(text, `(select ${columns.join(', ')} where false)`);
  }
  return empties;
}

/** `sql` with each relation text of `empties` replaced by its empty relation. */
export function withEmptyRelations(sql: string, empties: ReadonlyMap<string, string>): string {
  let result = sql;
  for (const [text, empty] of empties) result = result.split(text).join(empty);
  return result;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
