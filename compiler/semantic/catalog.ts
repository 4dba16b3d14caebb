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

/**
 * How a CSV file is read (the runtime decides; `relationKey` ignores it): its
 * dialect as the engine detected it once, or, when some of its rows are
 * malformed, the types and the skipping of those rows.
 */
export interface FileReadOptions {
  /** The dialect the engine detected when the runtime described the file, written into the reader so it is not detected again. */
  readonly dialect?: CsvDialect;
  /** Column name -> engine type, for columns whose type a malformed row hid from the engine's detection. */
  readonly types?: readonly (readonly [string, string])[];
  /** Skip the rows the engine cannot read as the file's columns (`data.skip_malformed_rows`). */
  readonly skipMalformed?: boolean;
}

/**
 * A CSV file's dialect as DuckDB's sniffer found it (`sniff_csv`). Naming
 * the delimiter, quote, escape and header makes the reader skip its dialect
 * search (up to ~100 ms per file and statement); the column types are still
 * detected. `skip` and `comment` are set only when the sniffer found them.
 */
export interface CsvDialect {
  readonly delimiter: string;
  /** Empty when the file has no quoted fields. */
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
  /** Lines before the header (or the first row). */
  readonly skip?: number;
  readonly comment?: string;
}

/**
 * Whether a dialect (read from an untrusted file) can be written into SQL
 * as it is: short printable ASCII values, or a tab, and a small whole skip.
 * Any other is not written; the file is then read with the engine's own detection.
 */
export function writableDialect(dialect: CsvDialect): boolean {
  const text = (value: unknown, min: number, max: number) =>
    typeof value === 'string' && value.length >= min && value.length <= max && /^[\x20-\x7e\t]*$/.test(value);
  return (
    text(dialect.delimiter, 1, 4) &&
    text(dialect.quote, 0, 1) &&
    text(dialect.escape, 0, 1) &&
    typeof dialect.header === 'boolean' &&
    (dialect.skip === undefined || (Number.isSafeInteger(dialect.skip) && dialect.skip > 0)) &&
    (dialect.comment === undefined || text(dialect.comment, 1, 1))
  );
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
