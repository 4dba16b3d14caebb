// The PostgreSQL engine: the same interface as the DuckDB engine, on one
// connection of the `pg` client.
//
// kpic is a reader. Every session is read-only (`default_transaction_read_only`)
// and every statement runs in its own READ ONLY transaction that is rolled
// back; only statements starting like a query are sent, through the extended
// protocol, which carries exactly one statement. The session has its own
// time zone (UTC: a naive timestamp is an instant in UTC, as on DuckDB), a
// statement timeout, JIT off (kpic's small results paid more for JIT
// compilation than they gained) and the configured schema as search_path.
// Ctrl-C and `--timeout` send PostgreSQL's cancel request, so the server
// stops the statement. None of this replaces a read-only role: a SELECT can
// still call functions (docs/postgres.md).

import pg from 'pg';
import type { CatalogColumn } from '../../compiler/index.ts';
import { scalarTypeOf } from '../../compiler/index.ts';
import type { Engine, Rows } from './engine.ts';
import { EngineError } from './engine-error.ts';
import { isQueryKeyword, leadingKeyword } from './leading-keyword.ts';
import type { Value } from './values.ts';

export interface PostgresOptions {
  /** The environment variable holding a `postgres://` URL; without it the standard PG* variables apply. */
  readonly urlEnv?: string;
  /** Schema of unqualified `table NAME` sources. */
  readonly schema?: string;
  /** Server-side limit per statement, in milliseconds. */
  readonly statementTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** Where kpic connects, for messages: never the password, never the URL as written. */
interface Target {
  readonly host: string;
  readonly port: string;
  readonly database: string;
  readonly from: string;
}

/** Connect; a failure is one line naming host, database and the variable used (EngineError, exit code 3). */
export async function openPostgres(options: PostgresOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  const { config, target } = connectionConfig(options, env);
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({
      ...config,
      application_name: 'kpic',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      types: { getTypeParser: () => (text: string) => text },
    });
    // A server that goes away later must not crash the process: the next statement fails instead.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(sessionSql(client, options));
      return createEngine(client, config, options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
    } catch (error) {
      await client.end().catch(() => undefined);
      // A busy server drops a new connection now and then (it could not start a backend): try again.
      if ((error as { code?: string }).code === 'ECONNRESET' && attempt < 3) {
        await new Promise((done) => setTimeout(done, 300 * attempt));
        continue;
      }
      throw new EngineError(
        'failed',
        `cannot connect to PostgreSQL at ${target.host}:${target.port}, database ${target.database} (from ${target.from}): ${reason(error)}`,
      );
    }
  }
}

function connectionConfig(
  options: PostgresOptions,
  env: NodeJS.ProcessEnv,
): { config: pg.ClientConfig; target: Target } {
  if (options.urlEnv !== undefined) {
    const url = env[options.urlEnv];
    if (url === undefined || url.trim() === '') {
      throw new EngineError(
        'failed',
        `cannot connect to PostgreSQL: the variable ${options.urlEnv} (data.url_env in kpic.yaml) is not set; set it to a postgres:// URL`,
      );
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new EngineError(
        'failed',
        `cannot connect to PostgreSQL: the variable ${options.urlEnv} does not hold a postgres://user@host:port/database URL`,
      );
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new EngineError(
        'failed',
        `cannot connect to PostgreSQL: the variable ${options.urlEnv} holds a ${parsed.protocol.replace(/:$/, '')}: URL, not postgres://`,
      );
    }
    const database =
      decodeURIComponent(parsed.pathname.replace(/^\//, '')) ||
      parsed.searchParams.get('dbname') ||
      decodeURIComponent(parsed.username) ||
      'postgres';
    return {
      config: { connectionString: url },
      target: { host: parsed.hostname || 'localhost', port: parsed.port || '5432', database, from: options.urlEnv },
    };
  }
  // pg reads PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD itself.
  const from = ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER'].filter((name) => env[name] !== undefined);
  return {
    config: {},
    target: {
      host: env['PGHOST'] ?? 'localhost',
      port: env['PGPORT'] ?? '5432',
      database: env['PGDATABASE'] ?? env['PGUSER'] ?? env['USER'] ?? 'postgres',
      from: from.length > 0 ? from.join(', ') : 'the PG* variables, none set',
    },
  };
}

/** The session's settings, sent once after connecting (kpic's own text, names quoted by the client). */
function sessionSql(client: pg.Client, options: PostgresOptions): string {
  const timeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const settings = [
    'set default_transaction_read_only = on',
    "set timezone = 'UTC'",
    "set datestyle = 'ISO, YMD'",
    "set intervalstyle = 'postgres'",
    'set extra_float_digits = 1',
    'set jit = off',
    `set statement_timeout = ${Math.trunc(timeout)}`,
  ];
  if (options.schema !== undefined) settings.push(`set search_path = ${client.escapeIdentifier(options.schema)}`);
  return settings.join('; ');
}

function createEngine(client: pg.Client, config: pg.ClientConfig, statementTimeoutMs: number): Engine {
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let running: { cancel(): void } | undefined;
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  /** One statement in a READ ONLY transaction, always rolled back; `timeoutMs` also bounds it on the server. */
  const readOnly = async (sql: string, timeoutMs?: number): Promise<pg.QueryResult<string[]>> => {
    if (closed) throw new EngineError('failed', 'the PostgreSQL connection is closed');
    const limit = Math.max(1, Math.min(statementTimeoutMs, timeoutMs ?? statementTimeoutMs));
    await client.query(`begin transaction read only; set local statement_timeout = ${Math.trunc(limit)}`);
    let interrupted = false;
    running = {
      cancel: () => {
        interrupted = true;
        cancelRequest(config, client);
      },
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => running?.cancel(), timeoutMs);
    try {
      // The extended protocol: one Parse message, so exactly one statement.
      return await client.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
    } catch (error) {
      if (interrupted || (error as { code?: string }).code === '57014') {
        if (timeoutMs !== undefined)
          throw new EngineError('interrupted', `query interrupted after ${formatSeconds(timeoutMs)} s`);
        if (!interrupted)
          throw new EngineError(
            'interrupted',
            `query stopped by the statement timeout of ${formatSeconds(limit)} s (data.statement_timeout)`,
          );
        throw new EngineError('interrupted', 'query interrupted');
      }
      throw new EngineError('failed', reason(error));
    } finally {
      if (timer) clearTimeout(timer);
      running = undefined;
      await client.query('rollback').catch(() => undefined);
    }
  };

  return {
    all: (sql, options) =>
      serial(async () => {
        refuseNonQuery(sql);
        return toRows(await readOnly(sql, options?.timeoutMs));
      }),
    validate: (sql) =>
      serial(async () => {
        try {
          refuseNonQuery(sql);
          // EXPLAIN parses, binds and plans the statement without running it.
          await readOnly(`explain (costs off) ${sql}`);
          return undefined;
        } catch (error) {
          return error instanceof EngineError ? error.message : reason(error);
        }
      }),
    describe: (sql) =>
      serial(async () => {
        refuseNonQuery(sql);
        const result = await readOnly(`select * from (${sql}) as described limit 0`);
        return result.fields.map((f) => column(f.name, typeName(f.dataTypeID)));
      }),
    interrupt: () => running?.cancel(),
    close: async () => {
      if (closed) return;
      closed = true;
      running?.cancel();
      await queue;
      await client.end().catch(() => undefined);
    },
  };
}

/** PostgreSQL's cancel request on a second connection: the server stops the running statement. */
function cancelRequest(config: pg.ClientConfig, client: pg.Client): void {
  const active = (client as unknown as { activeQuery?: unknown }).activeQuery;
  if (active === undefined || active === null) return;
  const canceller = new pg.Client(config) as unknown as {
    cancel(client: pg.Client, query: unknown): void;
    connection: { on(e: string, f: () => void): void };
  };
  canceller.connection.on('error', () => undefined);
  canceller.cancel(client, active);
}

const PG_QUERY_KEYWORDS: ReadonlySet<string> = new Set(['select', 'with', 'values', 'table']);

function refuseNonQuery(sql: string): void {
  if (sql.trim() === '') throw new EngineError('refused', 'refused: expected exactly one SELECT statement, got none');
  const keyword = leadingKeyword(sql);
  // DuckDB's own query words (describe, summarize, show, from-first) are not PostgreSQL's.
  if (!isQueryKeyword(keyword) || !PG_QUERY_KEYWORDS.has(keyword!)) {
    throw new EngineError(
      'refused',
      `refused: only a SELECT statement may run, not ${keyword === undefined ? 'this statement' : keyword.toUpperCase()}`,
    );
  }
}

/**
 * The columns of tables in PostgreSQL's information_schema, for the catalog:
 * `schema` is the table's (or the configured default).
 */
export async function describeTable(
  engine: Engine,
  schema: string | undefined,
  table: string,
): Promise<readonly CatalogColumn[]> {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const inSchema = schema === undefined ? 'table_schema = current_schema()' : `table_schema = ${literal(schema)}`;
  const result = await engine.all(
    `select column_name, data_type from information_schema.columns where ${inSchema} and table_name = ${literal(table)} order by ordinal_position`,
  );
  if (result.rows.length === 0)
    throw new EngineError(
      'failed',
      `table ${schema === undefined ? '' : `${schema}.`}${table} does not exist (or kpic's role may not read it)`,
    );
  return result.rows.map(([name, type]) => column(String(name), pgTypeName(String(type))));
}

function column(name: string, sqlType: string): CatalogColumn {
  return { name, sqlType, type: scalarTypeOf(sqlType) };
}

/** information_schema's type names to the engine-neutral names the catalog reads. */
function pgTypeName(type: string): string {
  const t = type.toLowerCase();
  if (t === 'smallint' || t === 'integer' || t === 'bigint') return t.toUpperCase();
  if (t === 'numeric') return 'DECIMAL';
  if (t === 'double precision' || t === 'real') return 'DOUBLE';
  if (t === 'text' || t.startsWith('character')) return 'VARCHAR';
  if (t === 'boolean') return 'BOOLEAN';
  if (t === 'date') return 'DATE';
  if (t.startsWith('timestamp')) return t.includes('with time zone') ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
  if (t === 'interval') return 'INTERVAL';
  if (t === 'uuid') return 'UUID';
  return type.toUpperCase();
}

// Result type oids (pg_type) to the type names the output formats read.
const OIDS: Readonly<Record<number, string>> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  25: 'VARCHAR',
  700: 'FLOAT',
  701: 'DOUBLE',
  1043: 'VARCHAR',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP WITH TIME ZONE',
  1186: 'INTERVAL',
  1700: 'DECIMAL',
};

function typeName(oid: number): string {
  return OIDS[oid] ?? 'VARCHAR';
}

/**
 * Values as the DuckDB engine gives them: int8 -> bigint, int2/int4/floats ->
 * number, numeric -> bigint when whole (DuckDB's sum of integers is a
 * HUGEINT) else exact decimal text, dates and timestamps as PostgreSQL's ISO
 * text (the same text DuckDB prints), booleans, text.
 */
function convert(text: string | null, oid: number): Value {
  if (text === null) return null;
  switch (oid) {
    case 16:
      return text === 't';
    case 20:
      return BigInt(text);
    case 21:
    case 23:
    case 700:
    case 701:
      return Number(text);
    case 1700:
      return /^-?\d+$/.test(text) ? BigInt(text) : text;
    default:
      return text;
  }
}

function toRows(result: pg.QueryResult<string[]>): Rows {
  const oids = result.fields.map((f) => f.dataTypeID);
  return {
    columns: result.fields.map((f) => f.name),
    rows: result.rows.map((row) => row.map((value, i) => convert(value as string | null, oids[i]!))),
    types: oids.map(typeName),
  };
}

/** The server's message (and its detail), or the network error; never the connection string. */
function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  const e = error as { message?: string; code?: string; detail?: string };
  const message = (e.message ?? String(error)).split('\n')[0]!.trim();
  return message === '' ? (e.code ?? 'unknown error') : message;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}
