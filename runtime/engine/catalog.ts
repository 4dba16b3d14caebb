// The catalog: every relation the files name, described on the engine.
//
// File relations are checked on disk first. The compiler already refuses
// paths that leave the data root as written (`..`, absolute paths); what it
// cannot see is the file system: a missing file, or a symlink under the
// data root that points outside it. Those never reach the engine.
//
// A `table` name is looked up in the database's own catalog first. Were it
// handed to the engine unchecked, a name DuckDB does not find as a table is
// tried as a file path (its replacement scan: `from table \`x.csv\``), so a
// `table` source must name a table or view the database really holds.

import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import type { KpiFile, Span } from '../../compiler/index.ts';
import type { Catalog, CatalogColumn, CatalogEntry, PhysicalRelation } from '../../compiler/index.ts';
import { catalogFromEntries, relationKey, scalarTypeOf } from '../../compiler/index.ts';
import { describeSql } from '../../compiler/index.ts';
import { jsonDepthProblem } from './json-depth.ts';
import { globFiles } from '../project/glob.ts';
import { isInside } from '../project/paths.ts';
import type { AnswerCache } from '../cache/answers.ts';
import type { Engine } from './engine.ts';
import { EngineError, engineMessage } from './engine-error.ts';
import { keptForm, sniffCsv, sniffedFrom, sniffSql } from './csv-dialect.ts';
import type { SniffedCsv } from './csv-dialect.ts';
import { inspectCsv, lineEndingProblem, numberCandidates } from '../project/malformed-rows.ts';
import type { MalformedFile, NumberCandidate } from '../project/malformed-rows.ts';

export interface DescribedCatalog {
  readonly catalog: Catalog;
  readonly diagnostics: readonly Diagnostic[];
  /** The described entries by relation key (for the runtime to revise a CSV file's entry). */
  readonly entries?: ReadonlyMap<string, CatalogEntry>;
  /** CSV files with rows the engine cannot read as the file's columns (malformed-rows.ts). */
  readonly malformed?: readonly MalformedFile[];
  /** Text columns of CSV files that hold numbers but for some rows. */
  readonly candidates?: () => Promise<NumberCandidate[]>;
}

export interface DescribeOptions {
  /** The engine's answers kept between commands. */
  readonly answers?: AnswerCache;
  /** Whether a CSV file (as written in the `.kpi` files) is listed in `data.skip_malformed_rows`. */
  readonly skipMalformed?: (path: string) => boolean;
}

/**
 * Describe each relation; `dataRoot` is the real path of the data root
 * (forward slashes). The diagnostics are the `unsafe-path` findings; the
 * resolver reports the rest from the entries' messages.
 */
export async function describeRelations(
  engine: Engine,
  relations: readonly PhysicalRelation[],
  files: readonly KpiFile[],
  dataRoot: string,
  options: DescribeOptions = {},
): Promise<DescribedCatalog> {
  const { answers } = options;
  const entries = new Map<string, CatalogEntry>();
  const diagnostics: Diagnostic[] = [];
  const malformed: MalformedFile[] = [];
  const wellFormed: { relation: PhysicalRelation & { kind: 'file' }; columns: readonly CatalogColumn[] }[] = [];
  for (const relation of relations) {
    if (relation.kind === 'file') {
      const problem = checkFile(relation.path, dataRoot);
      if (problem) {
        // The resolver reports every unreadable relation (`source-unreadable`,
        // with this message); a link out of the root also gets its own code.
        entries.set(relationKey(relation), { ok: false, message: problem.message });
        if (problem.code === 'unsafe-path') {
          for (const at of refsTo(files, relation.path)) diagnostics.push({ ...problem, file: at.file, span: at.span });
        }
        continue;
      }
      const deep =
        relation.format === 'json' ? jsonDepthProblem(join(dataRoot, relation.path), relation.path) : undefined;
      if (deep) {
        entries.set(relationKey(relation), { ok: false, message: deep });
        continue;
      }
    } else {
      const missing = await missingTable(engine, relation);
      if (missing) {
        entries.set(relationKey(relation), { ok: false, message: missing });
        continue;
      }
    }
    const entry = await describeOne(engine, relation, dataRoot, answers);
    if (relation.kind === 'file' && relation.format === 'csv') {
      // Malformed rows are found once per file here, not once per query that reads it.
      const skip = options.skipMalformed?.(relation.path) ?? false;
      if (!entry.ok) {
        const endings = lineEndingProblem(relation, dataRoot);
        if (endings) {
          malformed.push(endings);
          entries.set(relationKey(relation), {
            ok: false,
            message: `\`${relation.path}\` mixes line endings: ${endings.first.detail} (data-malformed-row); give every line the same ending.`,
          });
          continue;
        }
      } else {
        const dialect = entry.read?.dialect;
        const inspected = await inspectCsv(engine, relation, entry.columns, dataRoot, skip, answers, dialect);
        if (inspected.malformed) malformed.push(inspected.malformed);
        // A well-formed file is read with the dialect it was sniffed with; one with malformed rows as the
        // inspection says (the engine's lenient detection, which may differ from the plain one).
        const read = inspected.malformed ? inspected.read : entry.read;
        if (!inspected.malformed)
          wellFormed.push({ relation: read ? { ...relation, read } : relation, columns: entry.columns });
        entries.set(relationKey(relation), {
          ok: true,
          columns: inspected.columns ?? entry.columns,
          ...(read ? { read } : {}),
        });
        continue;
      }
    }
    entries.set(relationKey(relation), entry);
  }
  // A full read of each file: done only when asked (the `.kpi` files have errors a number column might explain).
  const candidates = async () => {
    const found: NumberCandidate[] = [];
    for (const { relation, columns } of wellFormed)
      found.push(...(await numberCandidates(engine, relation, columns, dataRoot, answers)));
    return found;
  };
  return { catalog: catalogFromEntries(entries), diagnostics, entries, malformed, candidates };
}

async function describeOne(
  engine: Engine,
  relation: PhysicalRelation,
  dataRoot: string,
  answers: AnswerCache | undefined,
): Promise<CatalogEntry> {
  // A glob is left to the engine's detection (it reads several files, and is never kept).
  if (relation.kind === 'file' && relation.format === 'csv' && !/[*?[{]/.test(relation.path)) {
    const sniffed = await sniffOne(engine, relation, dataRoot, answers);
    if (sniffed)
      return { ok: true, columns: sniffed.columns, ...(sniffed.dialect ? { read: { dialect: sniffed.dialect } } : {}) };
  }
  const statement = describeSql(relation, dataRoot);
  const files = answers ? singleFile(relation, dataRoot) : undefined;
  const probe = files && answers ? answers.lookup(statement, files) : undefined;
  const kept = columnsFrom(probe?.answer);
  if (kept) return { ok: true, columns: kept };
  try {
    const columns = await engine.describe(statement);
    probe?.store(columns.map(({ name, sqlType }) => ({ name, sqlType })));
    return { ok: true, columns };
  } catch (error) {
    return { ok: false, message: engineMessage(error) };
  }
}

/**
 * A CSV file's columns and dialect in one `sniff_csv` call (csv-dialect.ts),
 * kept like a DESCRIBE answer. Undefined when the engine cannot sniff it:
 * DESCRIBE then reports why, as it always did.
 */
async function sniffOne(
  engine: Engine,
  relation: PhysicalRelation & { kind: 'file' },
  dataRoot: string,
  answers: AnswerCache | undefined,
): Promise<SniffedCsv | undefined> {
  const statement = sniffSql(relation, dataRoot);
  const files = answers ? singleFile(relation, dataRoot) : undefined;
  const probe = files && answers ? answers.lookup(statement, files) : undefined;
  const kept = sniffedFrom(probe?.answer);
  if (kept) return kept;
  try {
    const sniffed = await sniffCsv(engine, statement);
    if (sniffed) probe?.store(keptForm(sniffed));
    return sniffed;
  } catch (error) {
    if (error instanceof EngineError && error.kind === 'interrupted') throw error;
    return undefined;
  }
}

/**
 * The one file a relation reads (its real path), when the engine's answers
 * about it may be kept (cache/answers.ts): a file source without wildcards.
 * A glob's set of files and a database's tables change without any one
 * file's times telling.
 */
export function singleFile(relation: PhysicalRelation, dataRoot: string): string[] | undefined {
  if (relation.kind !== 'file' || /[*?[{]/.test(relation.path)) return undefined;
  try {
    return [realpathSync(resolve(dataRoot, relation.path))];
  } catch {
    return undefined;
  }
}

/** A kept DESCRIBE answer as catalog columns; undefined when there is none or it is not one. */
function columnsFrom(answer: unknown): CatalogColumn[] | undefined {
  if (!Array.isArray(answer) || answer.length === 0) return undefined;
  const columns: CatalogColumn[] = [];
  for (const item of answer as unknown[]) {
    const { name, sqlType } = (item ?? {}) as { name?: unknown; sqlType?: unknown };
    if (typeof name !== 'string' || typeof sqlType !== 'string') return undefined;
    columns.push({ name, sqlType, type: scalarTypeOf(sqlType) });
  }
  return columns;
}

/**
 * Why a `table` source names no table or view of the database (a message),
 * or undefined when it does. Names match as DuckDB matches them: without
 * regard to case; without a schema, in the current schema.
 */
async function missingTable(
  engine: Engine,
  relation: PhysicalRelation & { kind: 'table' },
): Promise<string | undefined> {
  const schema = relation.schema === undefined ? 'current_schema()' : `lower(${literal(relation.schema)})`;
  const sql = `select count(*) as n from (
  select schema_name, table_name as name from duckdb_tables() where database_name = current_database()
  union all
  select schema_name, view_name as name from duckdb_views() where database_name = current_database()
) where lower(name) = lower(${literal(relation.table)}) and lower(schema_name) = ${schema}`;
  const named = relation.schema === undefined ? relation.table : `${relation.schema}.${relation.table}`;
  try {
    const found = await engine.all(sql);
    if (Number(found.rows[0]?.[0] ?? 0) > 0) return undefined;
  } catch (error) {
    return `cannot look up table \`${named}\` in the database: ${engineMessage(error)}`;
  }
  return `the database has no table or view named \`${named}\` (a \`table\` source names a table or view of \`data.database\`, never a file; write \`from "path"\` for a file under the data root).`;
}

/** A SQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

type FileProblem = Omit<Diagnostic, 'file' | 'span'>;

/** Why a file source cannot be read, or undefined when it exists and stays inside the data root. */
function checkFile(path: string, dataRoot: string): FileProblem | undefined {
  const absolute = resolve(dataRoot, path);
  const matches = /[*?[{]/.test(path) ? globFiles(dataRoot, [path]) : existsSync(absolute) ? [absolute] : [];
  if (matches.length === 0) {
    return {
      code: 'source-unreadable',
      severity: 'error',
      message: `file \`${path}\` does not exist under the data root (${dataRoot}).`,
      help: 'check the path; file sources are relative to the data root (`data.root` in kpic.yaml).',
    };
  }
  for (const match of matches) {
    const real = realpathSync(match);
    if (!isInside(dataRoot, real)) {
      return {
        code: 'unsafe-path',
        severity: 'error',
        message: `file \`${path}\` leads outside the data root: it is a link to ${real}. kpic reads nothing outside ${dataRoot}.`,
        help: 'copy the file under the data root, or move the data root (`data.root` in kpic.yaml) so that it holds the file.',
      };
    }
    const stat = statSync(real);
    if (!stat.isFile()) {
      // The engine would block on a named pipe, or read a device forever.
      return {
        code: 'source-unreadable',
        severity: 'error',
        message: `file \`${path}\` is not a regular file (${real}); kpic reads only regular files.`,
        help: 'replace it by a regular file under the data root.',
      };
    }
    if (stat.nlink > 1) {
      // A hard link is the same file as another name, possibly outside the data root; nothing tells where.
      return {
        code: 'unsafe-path',
        severity: 'error',
        message: `file \`${path}\` is a hard link (${stat.nlink} names for the same file), which may be a file outside the data root; kpic reads only files with one name.`,
        help: 'copy the file under the data root instead of linking it.',
      };
    }
  }
  return undefined;
}

/** Every `from "PATH"` that names this path, for diagnostics at the place it is written. */
function refsTo(files: readonly KpiFile[], path: string): { file: string; span: Span }[] {
  const refs: { file: string; span: Span }[] = [];
  for (const file of files) {
    for (const declaration of file.declarations ?? []) {
      if (declaration?.kind === 'source' && declaration.from?.kind === 'file-ref' && declaration.from.path === path) {
        refs.push({ file: file.path, span: declaration.from.span });
      }
    }
  }
  return refs;
}
