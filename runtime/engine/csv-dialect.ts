// A CSV file's dialect, detected once per version of the file.
//
// DuckDB's `read_csv(path)` searches the file's dialect (delimiter x quote x
// escape x line ending candidates) at every statement that reads it, even
// in the same session: up to ~100 ms per file and statement, and a cold
// `kpic run` reads each file several times (described, scanned for
// malformed rows, its link keys checked, queried). `sniff_csv(path)` gives
// the dialect and the columns in one call, the columns exactly as
// `describe select * from read_csv(path)` gives them; the dialect is then
// written into every reader of the file (compiler/sql/dialect/duckdb.ts),
// which skips the search. The answer is kept like a DESCRIBE answer
// (cache/answers.ts), so an edited file is sniffed again.

import { sql } from 'kysely';
import type { CatalogColumn, CsvDialect, PhysicalRelation } from '../../compiler/index.ts';
import { db, scalarTypeOf, sqlText, writableDialect } from '../../compiler/index.ts';
import type { Engine } from './engine.ts';

/** What `sniff_csv` tells of a file: its columns, and its dialect when it can be written into SQL. */
export interface SniffedCsv {
  readonly columns: readonly CatalogColumn[];
  readonly dialect?: CsvDialect;
}

/** `select ... from sniff_csv('/root/path')`: the path as the reader of the file writes it (relation.ts). */
export function sniffSql(relation: Extract<PhysicalRelation, { kind: 'file' }>, dataRoot: string): string {
  const root = dataRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  const path = `${root}/${relation.path.replace(/^\.\//, '')}`;
  return sqlText(
    sql`select Delimiter, Quote, Escape, Comment, SkipRows, HasHeader, cast(to_json(Columns) as varchar) as columns from sniff_csv(${sql.lit(path)})`.compile(
      db,
    ),
  );
}

/** Run `sniffSql`; the engine's error is thrown as it is (the caller falls back to DESCRIBE). */
export async function sniffCsv(engine: Engine, statement: string): Promise<SniffedCsv | undefined> {
  const row = (await engine.all(statement)).rows[0];
  if (!row) return undefined;
  const [delimiter, quote, escapeChar, comment, skip, header, columns] = row;
  return sniffedFrom({
    columns: parseColumns(columns),
    dialect: {
      delimiter: sniffed(delimiter),
      quote: sniffed(quote),
      escape: sniffed(escapeChar),
      header: header === true,
      ...(Number(skip) > 0 ? { skip: Number(skip) } : {}),
      ...(sniffed(comment) !== '' ? { comment: sniffed(comment) } : {}),
    },
  });
}

/** A kept (or just found) answer, checked: undefined when it is not one; a dialect that cannot be written is dropped. */
export function sniffedFrom(answer: unknown): SniffedCsv | undefined {
  if (answer === null || typeof answer !== 'object') return undefined;
  const { columns, dialect } = answer as { columns?: unknown; dialect?: unknown };
  if (!Array.isArray(columns) || columns.length === 0) return undefined;
  const described: CatalogColumn[] = [];
  for (const item of columns as unknown[]) {
    const { name, sqlType } = (item ?? {}) as { name?: unknown; sqlType?: unknown };
    if (typeof name !== 'string' || typeof sqlType !== 'string') return undefined;
    described.push({ name, sqlType, type: scalarTypeOf(sqlType) });
  }
  const writable = dialect !== null && typeof dialect === 'object' && writableDialect(dialect as CsvDialect);
  return writable ? { columns: described, dialect: dialect as CsvDialect } : { columns: described };
}

/** The form an answer is kept in. */
export function keptForm(sniffed: SniffedCsv): unknown {
  return {
    columns: sniffed.columns.map(({ name, sqlType }) => ({ name, sqlType })),
    ...(sniffed.dialect ? { dialect: sniffed.dialect } : {}),
  };
}

/** The sniffer writes `(empty)` for no quote, escape or comment. */
function sniffed(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  return text === '(empty)' ? '' : text;
}

function parseColumns(json: unknown): { name: unknown; sqlType: unknown }[] {
  try {
    const parsed = JSON.parse(String(json)) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.map((c) => ({ name: c?.name, sqlType: c?.type }));
  } catch {
    return [];
  }
}
