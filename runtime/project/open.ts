// Opening a project: kpic.yaml, the `.kpi` files, the data's schema, the resolved model.
//
// Problems in the `.kpi` files become diagnostics, collected across every
// file (one broken file never hides the others). Only a kpic.yaml that
// cannot be used stops here, with a `ProjectFileError` (exit code 2).

import { appendAll } from '../../compiler/index.ts';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import { dedupeDiagnostics, sortDiagnostics } from '../../compiler/index.ts';
import { EMPTY_CATALOG } from '../../compiler/index.ts';
import type { Catalog, Dialect } from '../../compiler/index.ts';
import type { Model } from '../../compiler/index.ts';
import { listRelations } from '../../compiler/index.ts';
import { resolveProject } from '../../compiler/index.ts';
import type { KpiFile, Span } from '../../compiler/index.ts';
import { lintModel } from '../../compiler/index.ts';
import { describeRelations } from '../engine/catalog.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { Engine } from '../engine/engine.ts';
import { openAnswerCache } from '../cache/answers.ts';
import type { AnswerCache } from '../cache/answers.ts';
import { ProjectFileError } from './config.ts';
import type { ConfigSpans, ProjectConfig } from './config.ts';
import { requireProjectRoot } from './files.ts';
import { malformedDiagnostic, rejectsWithTypes } from './malformed-rows.ts';
import type { MalformedFile, NumberCandidate } from './malformed-rows.ts';
import type { DescribedCatalog } from '../engine/catalog.ts';
import type { CatalogEntry } from '../../compiler/index.ts';
import { catalogFromEntries, hasErrors, scalarTypeOf } from '../../compiler/index.ts';
import type { Result } from '../../compiler/index.ts';
import picomatch from 'picomatch';
import { relative } from 'node:path';
import { forwardSlashes, isInside } from './paths.ts';
import { projectBoundary } from './safe-read.ts';
import { readProjectFiles } from './read-files.ts';
import { readSchemaSnapshot, withSchemaSnapshot } from './schema-snapshot.ts';
import { describePostgresRelations, openPostgresProject } from './postgres.ts';

export { ProjectFileError } from './config.ts';
export type { ProjectConfig } from './config.ts';

export interface ProjectOptions {
  /** `--project DIR`: the folder of kpic.yaml (relative to `cwd`). */
  projectDir?: string;
  /** Where to start looking for kpic.yaml; default `process.cwd()`. */
  cwd?: string;
  /** Files or folders to report on (relative to `cwd`); the whole project is still loaded and resolved. */
  paths?: readonly string[];
}

export interface Project {
  /** Absolute folder of kpic.yaml (or the working folder when there is none). */
  root: string;
  config: ProjectConfig;
  /** Absolute real path of the data root, forward slashes. */
  dataRoot: string;
  /** Parsed, sorted by path. */
  files: readonly KpiFile[];
  /** Project-relative path -> text, for code frames (kpic.yaml included when there is one). */
  texts: ReadonlyMap<string, string>;
  /** Resolved against the catalog described on the engine. */
  model: Model;
  /** Every diagnostic so far (project file, encoding, parse, data, resolve, lint), sorted; limited to `paths` when given. */
  diagnostics: readonly Diagnostic[];
  engine: Engine;
  /** The project-relative paths of the `.kpi` files `paths` asked about; undefined when all (an addition to the documented API). */
  reportedFiles?: ReadonlySet<string>;
  /** Relation keys described from `kpic.schema.json` because their data is missing (an addition to the documented API). */
  snapshotRelations?: readonly string[];
  /** The SQL dialect of the configured engine: what `compile`, `check` and `run` emit. */
  dialect: Dialect;
  /** Why the configured database could not be reached (PostgreSQL); commands that run SQL fail with it, exit code 3. */
  offline?: string;
  /** The engine's answers kept between commands (cache/answers.ts); undefined when caching is off. */
  answers?: AnswerCache;
  /**
   * CSV files with malformed rows, by path as written in the `.kpi` files
   * (malformed-rows.ts): the diagnostic when they are refused (a query that
   * reads one stops with it), none when their rows are skipped and counted.
   */
  malformed?: ReadonlyMap<string, { readonly file: MalformedFile; readonly diagnostic?: Diagnostic }>;
  close(): Promise<void>;
}

/** Open the project around `cwd` (or at `projectDir`). Throws only `ProjectFileError`. */
export async function openProject(options: ProjectOptions): Promise<Project> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const root = findRoot(cwd, options.projectDir);
  const read = readProjectFiles(root, { cwd, ...(options.paths ? { paths: options.paths } : {}) });
  const { config, spans, texts, files } = read;
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const dataRoot = realDataRoot(root, config, spans, texts);
  const database = databasePath(root, config, spans, texts);

  const postgres = config.data.engine === 'postgres' ? await openPostgresProject(config.data) : undefined;
  const duckdb = postgres ? undefined : await openDuckDb(database, dataRoot, config, spans, texts);
  const engine = postgres ? postgres.engine : duckdb!.engine;
  const answers = duckdb?.answers;
  let catalog: Catalog = EMPTY_CATALOG;
  let snapshotRelations: readonly string[] = [];
  const skipMalformed = skipListed(config.data.skipMalformedRows ?? []);
  const relations = listRelations(files);
  const described = postgres
    ? await describePostgresRelations(engine, relations, config.data.schema, postgres.offline)
    : await describeRelations(engine, relations, files, dataRoot, {
        ...(answers ? { answers } : {}),
        skipMalformed,
      });
  // Relations whose data is missing are described from the committed schema snapshot, if any.
  const snapshot = readSchemaSnapshot(root);
  if (snapshot.text !== undefined) texts.set('kpic.schema.json', snapshot.text);
  appendAll(diagnostics, snapshot.diagnostics);
  const catalogOf = (described: Catalog) => withSchemaSnapshot(described, snapshot.snapshot, relations, dataRoot);
  ({ catalog, used: snapshotRelations } = catalogOf(described.catalog));
  appendAll(diagnostics, described.diagnostics);
  let resolved = resolveProject(files, catalog, { timezone: config.timezone });
  const malformed = [...(described.malformed ?? [])];
  const candidates = hasErrors(resolved.diagnostics) ? ((await described.candidates?.()) ?? []) : [];
  if (candidates.length > 0) {
    // A text column the `.kpi` files use as a number: its rows that are not numbers are malformed rows.
    const revised = await reviseNumberColumns(engine, described, candidates, files, catalogOf, resolved, {
      timezone: config.timezone,
      dataRoot,
      answers,
      skipMalformed,
    });
    resolved = revised.resolved;
    catalog = revised.catalog;
    malformed.push(...revised.malformed);
  }
  const malformedFiles = malformedReport(malformed, root, dataRoot, skipMalformed, texts);
  for (const { diagnostic } of malformedFiles.values()) if (diagnostic) diagnostics.push(diagnostic);
  appendAll(diagnostics, withoutEchoes(resolved.diagnostics, diagnostics));
  appendAll(
    diagnostics,
    lintModel(resolved.value, { rules: config.lint.rules, file: 'kpic.yaml', spans: spans.rules }),
  );

  const reportedFiles = read.requested;
  const reported = reportedFiles ? limitTo(diagnostics, reportedFiles) : diagnostics;
  return {
    root,
    config,
    dataRoot,
    files,
    texts,
    model: resolved.value,
    diagnostics: sortDiagnostics(dedupeDiagnostics(reported)),
    engine,
    ...(reportedFiles ? { reportedFiles } : {}),
    ...(snapshotRelations.length > 0 ? { snapshotRelations } : {}),
    dialect: config.data.engine,
    ...(postgres?.offline !== undefined ? { offline: postgres.offline } : {}),
    ...(answers ? { answers } : {}),
    ...(malformedFiles.size > 0 ? { malformed: malformedFiles } : {}),
    close: () => engine.close(),
  };
}

function findRoot(cwd: string, projectDir: string | undefined): string {
  if (projectDir === undefined) return requireProjectRoot(cwd);
  const dir = resolve(cwd, projectDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ProjectFileError(`--project ${projectDir}: no such folder (${dir})`);
  }
  return dir;
}

function realDataRoot(
  root: string,
  config: ProjectConfig,
  spans: ConfigSpans,
  texts: ReadonlyMap<string, string>,
): string {
  const dir = resolve(root, config.data.root);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw configProblem(
      `the data root \`${config.data.root}\` is not a folder (${dir}).`,
      'create the folder, or fix `data.root` (relative to kpic.yaml).',
      spans.root,
      texts,
    );
  }
  const real = realpathSync(dir);
  const boundary = projectBoundary(root);
  if (!isInside(boundary, real)) {
    throw configProblem(
      `the data root \`${config.data.root}\` lies outside the project: its real path is ${real}, and kpic reads nothing outside ${boundary}.`,
      'keep the data in a folder of the project (or of its git repository); a link to a folder elsewhere is not followed.',
      spans.root,
      texts,
    );
  }
  return forwardSlashes(real);
}

function databasePath(
  root: string,
  config: ProjectConfig,
  spans: ConfigSpans,
  texts: ReadonlyMap<string, string>,
): string {
  if (config.data.database === ':memory:') return ':memory:';
  const path = resolve(root, config.data.database);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw configProblem(
      `the database file \`${config.data.database}\` does not exist (${path}); kpic opens databases read-only and never creates one.`,
      'fix `data.database` (relative to kpic.yaml), or use `":memory:"` for file sources only.',
      spans.database,
      texts,
    );
  }
  const real = realpathSync(path);
  const boundary = projectBoundary(root);
  if (!isInside(boundary, real)) {
    throw configProblem(
      `the database file \`${config.data.database}\` lies outside the project: its real path is ${real}, and kpic reads nothing outside ${boundary}.`,
      'keep the database file in the project (or in its git repository); a link to a file elsewhere is not followed.',
      spans.database,
      texts,
    );
  }
  return real;
}

async function openDuckDb(
  database: string,
  dataRoot: string,
  config: ProjectConfig,
  spans: ConfigSpans,
  texts: ReadonlyMap<string, string>,
): Promise<{ engine: Engine; answers: AnswerCache | undefined }> {
  // Loaded here, not at start: the native engine is only for commands that read data.
  const { engineVersion, openEngine } = await import('../engine/engine.ts');
  try {
    const engine = await openEngine({
      database,
      dataRoot,
      threads: config.data.threads,
      memoryLimit: config.data.memoryLimit,
    });
    // Answers about files only: a database file's tables are not kept (cache/answers.ts).
    return { engine, answers: openAnswerCache(engineVersion()) };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    throw configProblem(error.message, 'check that `data.database` is a DuckDB database file.', spans.database, texts);
  }
}

function configProblem(
  message: string,
  help: string,
  span: Span | undefined,
  texts: ReadonlyMap<string, string>,
): ProjectFileError {
  if (!span) return new ProjectFileError(`${message} ${help}`);
  const diagnostic: Diagnostic = {
    code: 'config-invalid-value',
    severity: 'error',
    message,
    file: 'kpic.yaml',
    span,
    help,
  };
  return new ProjectFileError(message, [diagnostic], texts);
}

/** Diagnostics of the requested files, plus those of the project file and of no file in particular. */
function limitTo(diagnostics: readonly Diagnostic[], files: ReadonlySet<string>): Diagnostic[] {
  return diagnostics.filter((d) => files.has(d.file) || d.file === 'kpic.yaml');
}

/**
 * The resolver reports an unreadable relation as `source-unreadable`; where
 * the runtime already said why more precisely (`unsafe-path`) at the same
 * place, the echo is dropped.
 */
function withoutEchoes(resolved: readonly Diagnostic[], earlier: readonly Diagnostic[]): Diagnostic[] {
  const unsafe = new Set(
    earlier.filter((d) => d.code === 'unsafe-path').map((d) => `${d.file}|${d.span.start.offset}`),
  );
  return resolved.filter((d) => !(d.code === 'source-unreadable' && unsafe.has(`${d.file}|${d.span.start.offset}`)));
}

/** The same finding reported twice (e.g. a file source named by two declarations) is shown once. */

/** Whether a CSV file (as written in `from "..."`) is listed in `data.skip_malformed_rows` (paths or globs). */
function skipListed(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matches = picomatch([...patterns.map((p) => p.replace(/^\.\//, ''))], { dot: true });
  return (path) => matches(path.replace(/^\.\//, ''));
}

interface Revision {
  readonly resolved: Result<Model>;
  readonly catalog: Catalog;
  readonly malformed: readonly MalformedFile[];
}

/**
 * Try each text column that holds numbers but for some rows as a number
 * column; keep it as one when the `.kpi` files then resolve with fewer
 * errors (they use it as a number). The file is then read with that type,
 * and the rows that are not numbers are its malformed rows.
 */
async function reviseNumberColumns(
  engine: Engine,
  described: DescribedCatalog,
  candidates: readonly NumberCandidate[],
  files: readonly KpiFile[],
  catalogOf: (catalog: Catalog) => { catalog: Catalog },
  resolved: Result<Model>,
  options: {
    timezone: string;
    dataRoot: string;
    answers: AnswerCache | undefined;
    skipMalformed: (path: string) => boolean;
  },
): Promise<Revision> {
  const errors = (r: Result<Model>) => r.diagnostics.filter((d) => d.severity === 'error').length;
  const withTypes = (accepted: readonly NumberCandidate[]) => {
    const entries = new Map<string, CatalogEntry>(described.entries ?? []);
    for (const [path, columns] of byPath(accepted)) {
      const key = `file:${path}`;
      const entry = entries.get(key);
      if (!entry?.ok) continue;
      const types = columns.map((c) => [c.column, c.type] as const);
      entries.set(key, {
        ok: true,
        columns: entry.columns.map((column) => {
          const forced = columns.find((c) => c.column === column.name);
          return forced ? { name: column.name, sqlType: forced.type, type: scalarTypeOf(forced.type) } : column;
        }),
        read: { ...entry.read, types, ...(options.skipMalformed(path) ? { skipMalformed: true } : {}) },
      });
    }
    return catalogOf(catalogFromEntries(entries)).catalog;
  };
  const accepted: NumberCandidate[] = [];
  let best = resolved;
  for (const candidate of candidates) {
    const trial = resolveProject(files, withTypes([...accepted, candidate]), { timezone: options.timezone });
    if (errors(trial) < errors(best)) {
      accepted.push(candidate);
      best = trial;
    }
  }
  if (accepted.length === 0) return { resolved, catalog: catalogOf(described.catalog).catalog, malformed: [] };
  const malformed: MalformedFile[] = [];
  for (const [path, columns] of byPath(accepted)) {
    // Scanned with the dialect the file was described with, as the query will read it.
    const entry = described.entries?.get(`file:${path}`);
    const dialect = entry?.ok ? entry.read?.dialect : undefined;
    const relation = { kind: 'file' as const, path, format: 'csv' as const, ...(dialect ? { read: { dialect } } : {}) };
    const types = columns.map((c) => [c.column, c.type] as const);
    const found = await rejectsWithTypes(engine, relation, types, options.dataRoot, options.answers);
    if (found) malformed.push(found);
  }
  return { resolved: best, catalog: withTypes(accepted), malformed };
}

function byPath(candidates: readonly NumberCandidate[]): Map<string, NumberCandidate[]> {
  const map = new Map<string, NumberCandidate[]>();
  for (const c of candidates) map.set(c.path, [...(map.get(c.path) ?? []), c]);
  return map;
}

/**
 * Each malformed file once: its diagnostic (unless its rows are skipped), and
 * a text for the code frame holding the file's offending line at its number.
 */
function malformedReport(
  malformed: readonly MalformedFile[],
  root: string,
  dataRoot: string,
  skipMalformed: (path: string) => boolean,
  texts: Map<string, string>,
): Map<string, { file: MalformedFile; diagnostic?: Diagnostic }> {
  const report = new Map<string, { file: MalformedFile; diagnostic?: Diagnostic }>();
  const realRoot = forwardSlashes(realpathSync(root));
  for (const file of malformed) {
    if (report.has(file.path)) continue;
    const name = forwardSlashes(relative(realRoot, `${dataRoot}/${file.path.replace(/^\.\//, '')}`));
    const skipped = skipMalformed(file.path) && file.skippable;
    if (skipped) {
      report.set(file.path, { file });
      continue;
    }
    const diagnostic = malformedDiagnostic(file, name, skipMalformed(file.path));
    // The frame shows the line at its number; a line far down the file is only quoted in the message.
    if (file.first.line <= 1_000_000 && !texts.has(name))
      texts.set(name, `${'\n'.repeat(file.first.line - 1)}${file.first.text}`);
    report.set(file.path, { file, diagnostic });
  }
  return report;
}
