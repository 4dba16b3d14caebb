// The catalog: what the compiler knows of the data's real schema.
//
// The compiler never reads data. The runtime asks `listRelations` which
// physical relations the files name, describes each on the engine, and hands
// the answers back as a `Catalog`. When the data is not there (CI of a
// metrics repository), a catalog can come from a committed schema snapshot,
// or be empty: then column names and types are not checked.

export type ScalarType =
  | 'integer'
  | 'decimal'
  | 'float'
  | 'text'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'interval'
  | 'null'
  /** A type the compiler does not reason about (lists, structs, blobs) or does not know (no schema). */
  | 'unknown';

/** A table-like thing the engine can scan. */
export type PhysicalRelation =
  /**
   * A file under the data root; `path` as written in the `.kpi` file (forward
   * slashes, relative). `read` is set by the runtime for a CSV file with
   * malformed rows (the catalog entry carries it): the column types the data
   * really has, and whether the malformed rows are skipped.
   */
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly format: 'csv' | 'parquet' | 'json';
      readonly read?: FileReadOptions;
    }
  /** A table of the configured database. */
  | { readonly kind: 'table'; readonly schema?: string; readonly table: string };

/** How a CSV file is read when some of its rows are malformed (the runtime decides; `relationKey` ignores it). */
export interface FileReadOptions {
  /** Column name -> engine type, for columns whose type a malformed row hid from the engine's detection. */
  readonly types?: readonly (readonly [string, string])[];
  /** Skip the rows the engine cannot read as the file's columns (`data.skip_malformed_rows`). */
  readonly skipMalformed?: boolean;
}

export interface CatalogColumn {
  /** The column's name as the data spells it (case kept). */
  readonly name: string;
  readonly type: ScalarType;
  /** The engine's own type name, e.g. `DECIMAL(18,2)`, for messages. */
  readonly sqlType: string;
}

export type CatalogEntry =
  | { readonly ok: true; readonly columns: readonly CatalogColumn[]; readonly read?: FileReadOptions }
  /** The engine could not describe the relation (missing file, bad CSV): the message says why. */
  | { readonly ok: false; readonly message: string };

export interface Catalog {
  /** `undefined` when the schema is unknown (no data, no snapshot): names are then not checked. */
  describe(relation: PhysicalRelation): CatalogEntry | undefined;
}

/** A stable text key for a relation, for maps and snapshots: `file:data/x.csv`, `table:main.orders`. */
export function relationKey(relation: PhysicalRelation): string {
  return relation.kind === 'file'
    ? `file:${relation.path}`
    : `table:${relation.schema ? `${relation.schema}.` : ''}${relation.table}`;
}

/** A catalog over a plain map from `relationKey` to entry. */
export function catalogFromEntries(entries: ReadonlyMap<string, CatalogEntry>): Catalog {
  return { describe: (relation) => entries.get(relationKey(relation)) };
}

export const EMPTY_CATALOG: Catalog = { describe: () => undefined };

/** Map an engine type name (DuckDB's `DESCRIBE` column_type) to the compiler's types. */
export function scalarTypeOf(sqlType: string): ScalarType {
  const t = sqlType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248])$/.test(t))
    return 'integer';
  if (t.startsWith('DECIMAL') || t.startsWith('NUMERIC')) return 'decimal';
  if (/^(DOUBLE|FLOAT|REAL|FLOAT[48])$/.test(t)) return 'float';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(') || t === 'TEXT' || t === 'STRING' || t === 'UUID') return 'text';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t === 'INTERVAL') return 'interval';
  if (t === 'NULL' || t === '"NULL"') return 'null';
  return 'unknown';
}
