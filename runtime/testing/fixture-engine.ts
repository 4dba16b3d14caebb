// The engine of metric tests: a private in-memory DuckDB holding the
// fixture tables, locked down like every other kpic engine (runtime/engine):
// no extensions, no file access outside a fresh private temp folder
// (fixtures read no files), external access off, the configuration locked,
// and a test's query refused unless it is exactly one SELECT. Loading the
// fixtures is one `drop`, `create` or `insert` statement at a time, each
// checked to be exactly that; their type names come from the closed list of
// `fixture-types.ts` and their values are quoted literals.

import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { EngineError, engineMessage, runSelect } from '../engine/engine.ts';
import { leadingKeyword } from '../engine/leading-keyword.ts';
import { instanceOptions, lockSandbox, privateTempFolder } from '../engine/sandbox.ts';
import type { Value } from '../engine/values.ts';
import type { FixtureTable } from './fixtures.ts';
import type { FixtureValue } from './spec.ts';

export interface FixtureEngine {
  /** Replace every fixture table with these; throws with the engine's message when a row does not fit its column. */
  load(tables: readonly FixtureTable[]): Promise<void>;
  /** Run one compiled SELECT. */
  query(sql: string): Promise<{ columns: string[]; rows: Value[][] }>;
  close(): void;
}

export async function openFixtureEngine(): Promise<FixtureEngine> {
  const temp = privateTempFolder();
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', instanceOptions(1, '1GB', false, temp.path));
  } catch (error) {
    temp.release();
    throw error;
  }
  const connection = await instance.connect();
  await lockSandbox(connection, temp.path);
  let loaded: string[] = [];
  return {
    load: async (tables) => {
      for (const table of loaded) await run(connection, 'drop', `drop table if exists ${quoteId(table)}`);
      loaded = [];
      for (const table of tables) {
        await run(
          connection,
          'create',
          `create table ${quoteId(table.table)} (${table.columns.map((c) => `${quoteId(c.name)} ${c.sqlType}`).join(', ')})`,
        );
        loaded.push(table.table);
        if (table.rows.length === 0) continue;
        const values = table.rows.map(
          (row) => `(${row.map((v, i) => `cast(${literal(v)} as ${table.columns[i]!.sqlType})`).join(', ')})`,
        );
        await run(
          connection,
          'insert',
          `insert into ${quoteId(table.table)} values ${values.join(', ')}`,
          `rows of \`${table.table}\``,
        );
      }
    },
    query: async (sql) => {
      const result = await runSelect(connection, sql, undefined);
      return { columns: [...result.columns], rows: result.rows.map((row) => [...row]) };
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
      temp.release();
    },
  };
}

/** Exactly one statement, and it starts with `keyword`: a fixture's text cannot add another. */
async function run(
  connection: DuckDBConnection,
  keyword: 'drop' | 'create' | 'insert',
  sql: string,
  what?: string,
): Promise<void> {
  try {
    const statements = await connection.extractStatements(sql);
    if (statements.count !== 1 || leadingKeyword(sql) !== keyword) {
      throw new EngineError(
        'refused',
        `refused: a fixture is loaded by one ${keyword.toUpperCase()} statement, got ${statements.count} statements`,
      );
    }
    const prepared = await statements.prepare(0);
    try {
      await prepared.run();
    } finally {
      prepared.destroySync();
    }
  } catch (error) {
    throw new Error(`${what ? `${what}: ` : ''}${error instanceof EngineError ? error.message : engineMessage(error)}`);
  }
}

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(value: FixtureValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'object') return exactNumber(value.exact);
  return `'${value.replaceAll("'", "''")}'`;
}

/** `{ exact }` digits as written (spec.ts makes them); checked again here, since they reach the SQL unquoted. */
function exactNumber(text: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`compiler bug: not a number: ${JSON.stringify(text)}`);
  return text;
}
