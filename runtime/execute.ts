// Running a KPI query: compile, execute the one statement, count what checks excluded.

import type { Result } from '../compiler/index.ts';
import { hasErrors } from '../compiler/index.ts';
import { compileQuery } from '../compiler/index.ts';
import type { CompiledQuery, Query, ResultColumn } from '../compiler/index.ts';
import { singleFile } from './engine/catalog.ts';
import { EngineError } from './engine/engine-error.ts';
import type { Engine, RowSink, Value } from './engine/engine.ts';
import { checkLinkKeys, linksOfKpi, sourcesOfKpi } from './project/link-keys.ts';
import type { Diagnostic } from '../compiler/index.ts';
import type { Project } from './project/open.ts';

/** Rows of a CSV file the engine could not read as its columns, skipped (`data.skip_malformed_rows`). */
export interface SkippedRows {
  /** The path as written in the `.kpi` files. */
  readonly file: string;
  readonly rows: number;
  /** The first skipped row's line. */
  readonly line: number;
}

export interface QueryResult {
  sql: string;
  columns: readonly ResultColumn[];
  /** The rows; empty when a `sink` was given (it took them as they came). */
  rows: readonly (readonly Value[])[];
  excluded: readonly { source: string; check: string; excluded: bigint }[];
  /** Malformed rows skipped per CSV file listed in `data.skip_malformed_rows` (an addition to the documented API). */
  skipped?: readonly SkippedRows[];
  /** The engine's type name per column (an addition to the documented API; formats use it to keep DECIMALs numeric). */
  types: readonly string[];
}

/**
 * Compile `query` against the project's model and run it. Compile problems
 * come back as diagnostics with an `undefined` value, and so does a link
 * whose target key repeats in the data (`non-unique-key`, a data error: exit
 * code 3 in the CLI); an engine failure or an interrupt throws `EngineError`
 * (`query cancelled` when `signal` aborts).
 */
export async function runQuery(
  project: Project,
  query: Query,
  options: { timeoutMs?: number; signal?: AbortSignal; sink?: RowSink } = {},
): Promise<Result<QueryResult | undefined>> {
  const compiled = compileQuery(project.model, { ...query, dialect: project.dialect }, { dataRoot: project.dataRoot });
  if (!compiled.value || hasErrors(compiled.diagnostics))
    return { value: undefined, diagnostics: compiled.diagnostics };
  const started = Date.now();
  const { signal } = options;
  // A caller that goes away (`kpic serve`'s client disconnects) stops the running statement.
  // An interrupt that lands between two statements, or before the engine has
  // begun the next one, would be lost: it is repeated until the run ends.
  let repeat: ReturnType<typeof setInterval> | undefined;
  const onAbort = () => {
    project.engine.interrupt();
    repeat = setInterval(() => project.engine.interrupt(), 50);
  };
  signal?.addEventListener('abort', onAbort);
  // The budget is the whole run's: each step gets what is left, and an interrupt names the whole budget.
  const budget = async <T>(step: (timeout: { timeoutMs?: number }) => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new EngineError('interrupted', 'query cancelled');
    try {
      if (options.timeoutMs === undefined) return await step({});
      return await step({ timeoutMs: Math.max(1, options.timeoutMs - (Date.now() - started)) });
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'interrupted') {
        if (signal?.aborted) throw new EngineError('interrupted', 'query cancelled');
        if (options.timeoutMs !== undefined)
          throw new EngineError('interrupted', `query interrupted after ${options.timeoutMs / 1000} s`);
      }
      throw error;
    }
  };
  try {
    return await runSteps(project, query, compiled, budget, options.sink);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (repeat) clearInterval(repeat);
  }
}

type Budget = <T>(step: (timeout: { timeoutMs?: number }) => Promise<T>) => Promise<T>;

async function runSteps(
  project: Project,
  query: Query,
  compiled: Result<CompiledQuery | undefined>,
  budget: Budget,
  sink: RowSink | undefined,
): Promise<Result<QueryResult | undefined>> {
  const { sql, columns, checkReportSql } = compiled.value!;
  // A CSV file with malformed rows: refused once, with its line and column (a data error), or its rows skipped and counted.
  const { refused, skipped } = malformedFilesOf(project, query.kpi);
  if (refused.length > 0) return { value: undefined, diagnostics: [...compiled.diagnostics, ...refused] };
  // A key that repeats behind a many-to-one link would count rows twice: refuse, do not compute.
  const keys = await budget((timeout) => checkLinkKeys(project, linksOfKpi(project.model, query.kpi), timeout));
  if (keys.length > 0) return { value: undefined, diagnostics: [...compiled.diagnostics, ...keys] };
  const result = await budget((timeout) =>
    sink === undefined ? project.engine.all(sql, timeout) : streamRows(project.engine, sql, sink, timeout),
  );
  const excluded: { source: string; check: string; excluded: bigint }[] = [];
  if (checkReportSql) {
    // The counts depend only on the data files: kept while none of them changes (cache/answers.ts).
    const files = project.answers ? modelFiles(project) : undefined;
    const probe = files ? project.answers?.lookup(checkReportSql, files) : undefined;
    const kept = keptCounts(probe?.answer);
    if (kept) excluded.push(...kept);
    else {
      const report = await budget((timeout) => project.engine.all(checkReportSql, timeout));
      for (const [source, check, count] of report.rows) {
        excluded.push({ source: String(source), check: String(check), excluded: BigInt(count as bigint | number) });
      }
      probe?.store(excluded.map((e) => [e.source, e.check, String(e.excluded)]));
    }
  }
  return {
    value: {
      sql,
      columns,
      rows: result.rows,
      excluded,
      types: result.types ?? columns.map(() => 'VARCHAR'),
      ...(skipped.length > 0 ? { skipped } : {}),
    },
    diagnostics: compiled.diagnostics,
  };
}

/**
 * The real paths of every data file the model's sources read, when each is
 * one file (cache/answers.ts keeps answers about such files only); undefined
 * when a source reads a glob or a table.
 */
export function modelFiles(project: Project): string[] | undefined {
  const files = new Set<string>();
  for (const source of project.model.sources.values()) {
    if (source.relation.kind === 'derived') continue;
    const one = singleFile(source.relation, project.dataRoot);
    if (!one) return undefined;
    for (const file of one) files.add(file);
  }
  return [...files].sort();
}

/** A kept check report: `[source, check, count]` rows; undefined when there is none or it is not one. */
function keptCounts(answer: unknown): { source: string; check: string; excluded: bigint }[] | undefined {
  if (!Array.isArray(answer)) return undefined;
  const counts: { source: string; check: string; excluded: bigint }[] = [];
  for (const row of answer as unknown[]) {
    if (!Array.isArray(row) || row.length !== 3 || !row.every((x) => typeof x === 'string')) return undefined;
    const [source, check, count] = row as string[];
    if (!/^\d+$/.test(count!)) return undefined;
    counts.push({ source: source!, check: check!, excluded: BigInt(count!) });
  }
  return counts;
}

/** The rows of `sql` into `sink`, a chunk at a time where the engine streams, in one batch where it cannot. */
async function streamRows(
  engine: Engine,
  sql: string,
  sink: RowSink,
  timeout: { timeoutMs?: number },
): Promise<{ columns: readonly string[]; rows: readonly (readonly Value[])[]; types: readonly string[] }> {
  let names: readonly string[] = [];
  let types: readonly string[] = [];
  const typesOf: RowSink = {
    start: (columns, columnTypes) => {
      names = columns;
      types = columnTypes;
      return sink.start(columns, columnTypes);
    },
    rows: (batch) => sink.rows(batch),
    ...(sink.done ? { done: () => sink.done!() } : {}),
  };
  if (engine.stream) await engine.stream(sql, typesOf, timeout);
  else {
    const all = await engine.all(sql, timeout);
    await typesOf.start(all.columns, all.types ?? all.columns.map(() => 'VARCHAR'));
    await typesOf.rows(all.rows);
  }
  return { columns: names, rows: [], types };
}

/** The malformed CSV files a query of `kpi` reads: the diagnostics of those refused, the counts of those skipped. */
export function malformedFilesOf(project: Project, kpi: string): { refused: Diagnostic[]; skipped: SkippedRows[] } {
  const refused: Diagnostic[] = [];
  const skipped: SkippedRows[] = [];
  if (!project.malformed) return { refused, skipped };
  const seen = new Set<string>();
  for (const name of sourcesOfKpi(project.model, kpi)) {
    const relation = project.model.sources.get(name)?.relation;
    if (relation?.kind !== 'file' || seen.has(relation.path)) continue;
    seen.add(relation.path);
    const found = project.malformed.get(relation.path);
    if (!found) continue;
    if (found.diagnostic) refused.push(found.diagnostic);
    else skipped.push({ file: relation.path, rows: found.file.rows, line: found.file.first.line });
  }
  return { refused, skipped };
}
