// The embedded engine: DuckDB, read-only, sandboxed, one statement at a time.
//
// The compiler emits one SELECT per query; the engine runs exactly that and
// refuses everything else (COPY, ATTACH, SET, INSTALL, several statements),
// so a compiled query, a `--where` or a hand-edited SQL file cannot write,
// reconfigure or reach outside the data root.

import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance, DuckDBTypeId, StatementType, version } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { CatalogColumn } from '../../compiler/index.ts';
import { scalarTypeOf } from '../../compiler/index.ts';
import { isQueryKeyword, leadingKeyword } from './leading-keyword.ts';
import { instanceOptions, lockSandbox, privateTempFolder } from './sandbox.ts';
import { convertValue } from './values.ts';
import { EngineError, engineMessage } from './engine-error.ts';

export { EngineError, engineMessage } from './engine-error.ts';
import type { Value } from './values.ts';

export type { Value } from './values.ts';

export interface Rows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
  /** The engine's type name per column (`BIGINT`, `DECIMAL(18,2)`, `DATE`...); an addition to the documented API. */
  readonly types?: readonly string[];
}

/** Where a streamed result goes: the columns first, then the rows a batch at a time (the next batch is read once `rows` settles). */
export interface RowSink {
  start(columns: readonly string[], types: readonly string[]): void | Promise<void>;
  rows(batch: readonly (readonly Value[])[]): void | Promise<void>;
  /** True once the sink wants no more rows (`--limit` reached): the engine stops reading the result. */
  done?(): boolean;
}

export interface Engine {
  /** Run one SELECT statement (or WITH ... SELECT); anything else is refused with an `EngineError`. */
  all(sql: string, options?: { timeoutMs?: number }): Promise<Rows>;
  /**
   * Run one SELECT like `all`, handing the rows to `sink` a batch (one
   * engine chunk, about 2,048 rows) at a time, so a result of any size is
   * never held whole. An engine without it is read with `all`.
   */
  stream?(sql: string, sink: RowSink, options?: { timeoutMs?: number }): Promise<void>;
  /** Prepare without running: the engine's error text, or `undefined` when the SQL is valid. */
  validate(sql: string): Promise<string | undefined>;
  /** The columns a SELECT or `DESCRIBE` would return, without reading the data (for the catalog). */
  describe(sql: string): Promise<readonly CatalogColumn[]>;
  /** Stop the running statement, if any; it fails with an `EngineError` of kind `interrupted`. */
  interrupt(): void;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** `:memory:` or an absolute path to a `.duckdb` file, opened read-only; it must exist. */
  readonly database: string;
  /** Absolute real path of the data root (forward slashes): the only folder the engine may read. */
  readonly dataRoot: string;
  readonly threads?: number;
  readonly memoryLimit?: string;
}

const STATEMENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatementType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v, k]),
);

/** The engine and its version, e.g. `duckdb v1.5.6`: part of every kept answer's key. */
export function engineVersion(): string {
  return `duckdb ${version()}`;
}

/** Open a sandboxed DuckDB session. Throws `EngineError` when the database cannot be opened. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const memory = options.database === ':memory:';
  if (!memory && !(existsSync(options.database) && statSync(options.database).isFile())) {
    throw new EngineError(
      'failed',
      `database file ${options.database} does not exist (kpic opens databases read-only and never creates one)`,
    );
  }
  const temp = privateTempFolder();
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(
      options.database,
      instanceOptions(options.threads ?? 2, options.memoryLimit ?? '2GB', !memory, temp.path),
    );
  } catch (error) {
    temp.release();
    throw new EngineError('failed', `cannot open database ${options.database}: ${engineMessage(error)}`);
  }
  const connection = await instance.connect();
  await lockSandbox(connection, options.dataRoot);
  return createEngine(instance, connection, temp.release);
}

function createEngine(instance: DuckDBInstance, connection: DuckDBConnection, release: () => void): Engine {
  // One connection runs one statement at a time; calls wait their turn.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    all: (sql, options) => serial(() => runSelect(connection, sql, options?.timeoutMs)),
    stream: (sql, sink, options) => serial(() => streamSelect(connection, sql, sink, options?.timeoutMs)),
    validate: (sql) =>
      serial(async () => {
        try {
          const prepared = await prepareSelect(connection, sql);
          prepared.destroySync();
          return undefined;
        } catch (error) {
          return error instanceof EngineError ? error.message : engineMessage(error);
        }
      }),
    describe: (sql) => serial(() => describeColumns(connection, sql)),
    interrupt: () => {
      if (!closed) connection.interrupt();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      connection.interrupt();
      await queue;
      connection.closeSync();
      instance.closeSync();
      release();
    },
  };
}

/**
 * Exactly one statement, and it is a SELECT: the sandbox's first line. The
 * leading keyword is checked before the statement is prepared, the prepared
 * statement's type after.
 */
async function prepareSelect(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  if (sql.trim() === '') throw new EngineError('refused', 'refused: expected exactly one SELECT statement, got none');
  let prepared: DuckDBPreparedStatement;
  try {
    const statements = await connection.extractStatements(sql);
    if (statements.count !== 1) {
      throw new EngineError('refused', `refused: expected exactly one SELECT statement, got ${statements.count}`);
    }
    // Before preparing: DuckDB binds some statements with side effects
    // (EXPORT DATABASE creates its folder), so the type check below is too late for them.
    const keyword = leadingKeyword(sql);
    if (!isQueryKeyword(keyword)) {
      throw new EngineError(
        'refused',
        `refused: only a SELECT statement may run, not ${keyword === undefined ? 'this statement' : keyword.toUpperCase()}`,
      );
    }
    prepared = await statements.prepare(0);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('failed', engineMessage(error));
  }
  if (prepared.statementType !== StatementType.SELECT) {
    const name = STATEMENT_NAMES[prepared.statementType] ?? 'unknown';
    prepared.destroySync();
    throw new EngineError('refused', `refused: only a SELECT statement may run, not ${name.replaceAll('_', ' ')}`);
  }
  return prepared;
}

/** Run one SELECT on a sandboxed connection: the guard of `prepareSelect`, then the rows (the fixture engine shares it). */
export async function runSelect(
  connection: DuckDBConnection,
  sql: string,
  timeoutMs: number | undefined,
): Promise<Rows> {
  let columns: readonly string[] = [];
  let types: readonly string[] = [];
  const rows: (readonly Value[])[] = [];
  await streamSelect(
    connection,
    sql,
    {
      start: (names, typeNames) => {
        columns = names;
        types = typeNames;
      },
      rows: (batch) => {
        for (const row of batch) rows.push(row);
      },
    },
    timeoutMs,
  );
  return { columns, rows, types };
}

/**
 * Run one SELECT (the guard of `prepareSelect`) and hand its rows to `sink`
 * chunk by chunk as the engine produces them. The timeout covers the whole
 * run, the sink's time included; an error of the sink is thrown as it is.
 */
export async function streamSelect(
  connection: DuckDBConnection,
  sql: string,
  sink: RowSink,
  timeoutMs: number | undefined,
): Promise<void> {
  const prepared = await prepareSelect(connection, sql);
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          connection.interrupt();
        }, timeoutMs);
  let sinkFailed = false;
  const toSink = async (step: () => void | Promise<void>) => {
    try {
      await step();
    } catch (error) {
      sinkFailed = true;
      throw error;
    }
  };
  try {
    const result = await prepared.stream();
    const columns = result.columnNames();
    const typeIds = columns.map((_, i) => result.columnTypeId(i));
    const types = columns.map((_, i) => result.columnType(i).toString());
    await toSink(() => sink.start(columns, types));
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const rows = chunk
        .getRows()
        .map((row) => row.map((value, i) => convertValue(value, typeIds[i] ?? DuckDBTypeId.VARCHAR)));
      await toSink(() => sink.rows(rows));
      if (sink.done?.() === true) break;
    }
  } catch (error) {
    if (sinkFailed) throw error;
    const message = engineMessage(error);
    if (timedOut) throw new EngineError('interrupted', `query interrupted after ${formatSeconds(timeoutMs ?? 0)} s`);
    if (/^INTERRUPT Error/i.test(message)) throw new EngineError('interrupted', 'query interrupted');
    throw new EngineError('failed', message);
  } finally {
    if (timer) clearTimeout(timer);
    prepared.destroySync();
  }
}

/**
 * The columns of a relation. A `DESCRIBE ...` statement is run (it reads
 * only the schema); any other SELECT is prepared and its result columns read
 * without running it.
 */
async function describeColumns(connection: DuckDBConnection, sql: string): Promise<readonly CatalogColumn[]> {
  const prepared = await prepareSelect(connection, sql);
  try {
    const names = Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i));
    if (names[0] === 'column_name' && names[1] === 'column_type') {
      const reader = await prepared.runAndReadAll();
      return reader.getRows().map((row) => column(String(row[0]), String(row[1])));
    }
    return names.map((name, i) => column(name, prepared.columnType(i).toString()));
  } catch (error) {
    throw error instanceof EngineError ? error : new EngineError('failed', engineMessage(error));
  } finally {
    prepared.destroySync();
  }
}

function column(name: string, sqlType: string): CatalogColumn {
  return { name, sqlType, type: scalarTypeOf(sqlType) };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}
