// Malformed rows of CSV files: found once per file, reported once per file.
//
// DuckDB detects a CSV file's dialect and column types from a sample of its
// rows. One bad row then shows in one of three ways: past the sample it
// fails every query that reads the file (a long dump of the detected
// dialect); inside the sample it turns its column into text, so the `.kpi`
// files get type errors although they are right; a row with a wrong number
// of fields, or a different line ending, can break the detection itself.
//
// kpic reads every CSV file once per command with the engine's reject
// tables (`store_rejects`): each row that cannot be read as the file's
// columns is counted and the first one is located (line, column, what was
// expected, what was found). A text column whose values are numbers except
// for some rows is a candidate: when the project's `.kpi` files resolve with
// fewer errors if the column holds numbers, they expect numbers there, and
// the rows that are not numbers are malformed rows like any other.
//
// A file listed in `data.skip_malformed_rows` is read with those rows
// skipped and their count reported; any other is refused with one
// `data-malformed-row` diagnostic at the file's line and column.

import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import type { CatalogColumn, CsvDialect, FileReadOptions, PhysicalRelation } from '../../compiler/index.ts';
import { relationSql, sqlText, db } from '../../compiler/index.ts';
import { sql } from 'kysely';
import type { AnswerCache } from '../cache/answers.ts';
import { singleFile } from '../engine/catalog.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { Engine } from '../engine/engine.ts';

type FileRelation = Extract<PhysicalRelation, { kind: 'file' }>;

/** The first row the engine could not read, as the engine's reject table records it. */
export interface RejectedRow {
  /** 1-based line of the file. */
  readonly line: number;
  /** 1-based column (characters) in that line where the problem starts. */
  readonly column: number;
  /** The CSV column it concerns, when one does. */
  readonly columnName?: string;
  /** `CAST`, `TOO MANY COLUMNS`, `MISSING COLUMNS`, `UNQUOTED VALUE`, `LINE ENDING`, ... */
  readonly kind: string;
  /** The line's text. */
  readonly text: string;
  /** The engine's one-line explanation. */
  readonly detail: string;
}

/** What is wrong with one CSV file. */
export interface MalformedFile {
  /** The path as written in the `.kpi` files (relative to the data root). */
  readonly path: string;
  /** Rows that cannot be read (distinct lines). */
  readonly rows: number;
  readonly first: RejectedRow;
  /** False when the engine cannot skip them (the file's dialect cannot be detected at all). */
  readonly skippable: boolean;
  /** The column types the rows hid, to read the file with. */
  readonly types?: readonly (readonly [string, string])[];
}

/** A text column whose values are numbers except for some rows (the `.kpi` files decide whether that is malformed). */
export interface NumberCandidate {
  readonly path: string;
  readonly column: string;
  /** `BIGINT` when every value that parses is an integer, else `DOUBLE`. */
  readonly type: 'BIGINT' | 'DOUBLE';
}

/** The result of reading one CSV file through the reject tables. */
export interface CsvInspection {
  /** How the catalog must read it: undefined when nothing is wrong. */
  readonly read?: FileReadOptions;
  /** Columns described with the malformed rows set aside, when they differ from the plain description. */
  readonly columns?: readonly CatalogColumn[];
  readonly malformed?: MalformedFile;
  readonly candidates: readonly NumberCandidate[];
}

/**
 * Read a CSV file once through the reject tables, after it was described as
 * `columns`. Engine failures other than an interrupt are left to the
 * description and the query to report (undefined fields).
 */
export async function inspectCsv(
  engine: Engine,
  relation: FileRelation,
  columns: readonly CatalogColumn[],
  dataRoot: string,
  skip: boolean,
  answers: AnswerCache | undefined,
  dialect?: CsvDialect,
): Promise<CsvInspection> {
  // The scan reads the file as the query will, with the sniffed dialect; but a file the plain sniffer
  // saw as one column may be one whose bad rows hid its delimiter, which the scan's own (lenient)
  // detection finds: such a file is scanned without a dialect, as the engine detects it.
  const pinned = dialect && columns.length > 1 ? { ...relation, read: { dialect } } : relation;
  const rejected = await scanRejects(engine, pinned, dataRoot, undefined, answers);
  if (rejected === undefined) {
    // The engine could not read the file at all (a line ending that changes past the sample).
    const endings = lineEndingProblem(relation, dataRoot);
    return endings ? { malformed: endings, candidates: [] } : { candidates: [] };
  }
  if (rejected.rows > 0) {
    // The engine's detection with the bad rows set aside: a wrong number of fields
    // can make the plain detection see one column only.
    const lenient: FileRelation = { ...relation, read: { skipMalformed: true } };
    let described = columns;
    try {
      described = await engine.describe(describeText(lenient, dataRoot));
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'interrupted') throw error;
    }
    const changed = !sameColumns(described, columns);
    const read: FileReadOptions = skip || changed ? { skipMalformed: true } : {};
    return {
      ...(Object.keys(read).length > 0 ? { read } : {}),
      ...(changed ? { columns: described } : {}),
      malformed: { path: relation.path, rows: rejected.rows, first: rejected.first!, skippable: true },
      candidates: [],
    };
  }
  // Text columns that hold numbers are looked for only when the `.kpi` files have errors (open.ts).
  return { candidates: [] };
}

/**
 * The file read with `types` forcing the candidate columns to numbers: the
 * rows that are not numbers, or undefined when none is found.
 */
export async function rejectsWithTypes(
  engine: Engine,
  relation: FileRelation,
  types: readonly (readonly [string, string])[],
  dataRoot: string,
  answers: AnswerCache | undefined,
): Promise<MalformedFile | undefined> {
  const rejected = await scanRejects(engine, relation, dataRoot, types, answers);
  if (!rejected || rejected.rows === 0) return undefined;
  return { path: relation.path, rows: rejected.rows, first: rejected.first!, skippable: true, types };
}

interface Scan {
  readonly rows: number;
  readonly first?: RejectedRow;
}

async function scanRejects(
  engine: Engine,
  relation: FileRelation,
  dataRoot: string,
  types: readonly (readonly [string, string])[] | undefined,
  answers: AnswerCache | undefined,
): Promise<Scan | undefined> {
  // The file's own reader (its dialect and `types`, never `ignore_errors`), with the reject tables on.
  const read = { ...(relation.read?.dialect ? { dialect: relation.read.dialect } : {}), ...(types ? { types } : {}) };
  const reader = sqlText(relationSql({ ...relation, read }, dataRoot).compile(db));
  // Every column is read (count of each), so that every value is converted to its column's type.
  const scan = `select count(columns(*)) from ${reader.slice(0, -1)}, store_rejects = true)`;
  const files = answers ? singleFile(relation, dataRoot) : undefined;
  const probe = files ? answers?.lookup(`rejects: ${scan}`, files) : undefined;
  const kept = keptScan(probe?.answer);
  if (kept) return kept;
  try {
    await engine.all(scan);
    const found = await engine.all(
      `select (select count(distinct line) from reject_errors where scan_id = (select max(scan_id) from reject_scans)) as n, line, line_byte_position, byte_position, column_name, error_type, csv_line, error_message
from reject_errors where scan_id = (select max(scan_id) from reject_scans)
order by line, byte_position limit 1`,
    );
    const row = found.rows[0];
    const result: Scan = row
      ? {
          rows: Number(row[0]),
          first: rejectedRow(
            Number(row[1]),
            Number(row[3]) - Number(row[2]),
            row[4],
            String(row[5]),
            String(row[6] ?? ''),
            String(row[7] ?? ''),
          ),
        }
      : { rows: 0 };
    probe?.store(result);
    return result;
  } catch (error) {
    if (error instanceof EngineError && error.kind === 'interrupted') throw error;
    return undefined;
  }
}

function keptScan(answer: unknown): Scan | undefined {
  if (answer === null || typeof answer !== 'object') return undefined;
  const { rows, first } = answer as { rows?: unknown; first?: RejectedRow };
  if (typeof rows !== 'number') return undefined;
  return rows === 0 ? { rows } : first ? { rows, first } : undefined;
}

function rejectedRow(
  line: number,
  byteOffset: number,
  columnName: unknown,
  kind: string,
  text: string,
  detail: string,
): RejectedRow {
  // The engine counts bytes; the diagnostic counts characters.
  const bytes = Buffer.from(text, 'utf8');
  const column =
    Buffer.from(bytes.subarray(0, Math.max(0, Math.min(byteOffset, bytes.length)))).toString('utf8').length + 1;
  return {
    line,
    column,
    ...(typeof columnName === 'string' && columnName !== '' ? { columnName } : {}),
    kind,
    text: text.replace(/\r?\n$/, ''),
    detail,
  };
}

/**
 * Text columns whose non-empty values are numbers except for at most half
 * of them: one query over the whole file, kept like the description.
 */
export async function numberCandidates(
  engine: Engine,
  relation: FileRelation,
  columns: readonly CatalogColumn[],
  dataRoot: string,
  answers: AnswerCache | undefined,
): Promise<NumberCandidate[]> {
  const texts = columns.filter((c) => c.type === 'text' && /^VARCHAR$/i.test(c.sqlType));
  if (texts.length === 0) return [];
  const counts = texts.map((c) => {
    const id = sql.id(c.name);
    const integer = sql`regexp_full_match(trim(${id}), '[+-]?[0-9]+')`;
    return sql`count(${id}), count(try_cast(${id} as double)), count(try_cast(${id} as double)) filter (where ${integer})`;
  });
  const text = sqlText(sql`select ${sql.join(counts)} from ${relationSql(relation, dataRoot)}`.compile(db));
  const files = answers ? singleFile(relation, dataRoot) : undefined;
  const probe = files ? answers?.lookup(`candidates: ${text}`, files) : undefined;
  let values: number[] | undefined = Array.isArray(probe?.answer) ? (probe.answer as number[]) : undefined;
  if (!values) {
    try {
      values = (await engine.all(text)).rows[0]?.map((v) => Number(v)) ?? [];
      probe?.store(values);
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'interrupted') throw error;
      return [];
    }
  }
  const candidates: NumberCandidate[] = [];
  texts.forEach((c, i) => {
    const [all = 0, numbers = 0, integers = 0] = values!.slice(i * 3, i * 3 + 3);
    const bad = all - numbers;
    if (numbers > 0 && bad > 0 && bad <= numbers) {
      candidates.push({ path: relation.path, column: c.name, type: integers === numbers ? 'BIGINT' : 'DOUBLE' });
    }
  });
  return candidates;
}

/**
 * A CSV file the engine cannot even detect the dialect of: the first line
 * whose line ending differs from the first line's, found by reading the
 * file's bytes once. Undefined when the line endings agree.
 */
export function lineEndingProblem(relation: FileRelation, dataRoot: string): MalformedFile | undefined {
  if (relation.path.endsWith('.gz')) return undefined;
  let fd: number;
  try {
    fd = openSync(join(dataRoot, relation.path), 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(1 << 16);
    let line = 1;
    let expected: string | undefined;
    let pendingCr = false;
    let current: number[] = [];
    let count = 0;
    let first: { line: number; found: string; text: string } | undefined;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const byte = buffer[i]!;
        let ending: string | undefined;
        if (pendingCr) {
          pendingCr = false;
          ending = byte === 0x0a ? 'CR LF' : 'CR';
          if (ending === 'CR') i--;
        } else if (byte === 0x0d) {
          pendingCr = true;
          continue;
        } else if (byte === 0x0a) ending = 'LF';
        if (ending === undefined) {
          if (current.length < 4096) current.push(byte);
          continue;
        }
        if (expected === undefined) expected = ending;
        else if (ending !== expected) {
          count++;
          first ??= { line, found: ending, text: Buffer.from(current).toString('utf8') };
        }
        current = [];
        line++;
      }
    }
    if (!first || expected === undefined) return undefined;
    return {
      path: relation.path,
      rows: count,
      skippable: false,
      first: {
        line: first.line,
        column: first.text.length + 1,
        kind: 'LINE ENDING',
        text: first.text,
        detail: `line ${first.line} ends with ${first.found}, but line 1 ends with ${expected}`,
      },
    };
  } finally {
    closeSync(fd);
  }
}

/** The one diagnostic of a malformed file, at its line and column; `file` is its project-relative path. */
export function malformedDiagnostic(malformed: MalformedFile, file: string, skipListed: boolean): Diagnostic {
  const { first } = malformed;
  const where = first.columnName ? `line ${first.line}, column \`${first.columnName}\`` : `line ${first.line}`;
  const others = malformed.rows > 1 ? ` (${malformed.rows.toLocaleString('en-US')} malformed rows in all)` : '';
  const message =
    first.kind === 'LINE ENDING'
      ? `\`${malformed.path}\` mixes line endings: ${first.detail}${others}; the engine cannot tell its rows apart.`
      : `${where} of \`${malformed.path}\`: ${describeProblem(malformed, first)}${others}.`;
  const help = !malformed.skippable
    ? 'give every line the same ending (for example with `dos2unix`); skipping rows cannot help here.'
    : skipListed
      ? 'fix the row.'
      : `fix the row, or list \`${malformed.path}\` under \`data.skip_malformed_rows\` in kpic.yaml to skip such rows and count them.`;
  return {
    code: 'data-malformed-row',
    severity: 'error',
    file,
    span: {
      start: { offset: 0, line: first.line, column: first.column },
      end: { offset: 0, line: first.line, column: first.column + Math.max(1, fieldLength(first)) },
    },
    message,
    help,
  };
}

function describeProblem(malformed: MalformedFile, row: RejectedRow): string {
  const detail = row.detail.trim();
  if (row.kind === 'CAST') {
    const m = /Could not convert string "(.*)" to '([A-Z ]+)'/s.exec(detail);
    const type = m?.[2] ?? 'its type';
    const forced = malformed.types?.some(([name]) => name.toLowerCase() === row.columnName?.toLowerCase());
    const why = forced
      ? 'the other rows hold numbers and the `.kpi` files use it as a number'
      : 'the engine detected that type from the file';
    return `expected ${typeName(type)} (${why}), found \`${m?.[1] ?? row.text}\``;
  }
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(detail);
  if (fields) return `expected ${fields[1]} fields, found ${fields[2]}`;
  return detail.split('\n')[0] ?? row.kind;
}

function typeName(type: string): string {
  if (/INT/.test(type)) return 'a whole number';
  if (/DOUBLE|FLOAT|DECIMAL|REAL/.test(type)) return 'a number';
  if (type === 'DATE') return 'a date';
  if (type.startsWith('TIMESTAMP')) return 'a timestamp';
  if (type === 'BOOLEAN') return 'true or false';
  return `a value of type ${type}`;
}

/** The length of the field at the problem's column (to the next comma, semicolon, tab or bar). */
function fieldLength(row: RejectedRow): number {
  const rest = row.text.slice(row.column - 1);
  const end = rest.search(/[,;\t|]/);
  return end < 0 ? rest.length : end === 0 ? 1 : end;
}

function describeText(relation: FileRelation, dataRoot: string): string {
  return sqlText(sql`describe select * from ${relationSql(relation, dataRoot)}`.compile(db));
}

function sameColumns(a: readonly CatalogColumn[], b: readonly CatalogColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.sqlType === b[i]!.sqlType);
}
