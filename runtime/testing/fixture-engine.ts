// The engine of metric tests: a private in-memory DuckDB holding the
// fixture tables. It reads no files (external access is off) and loads no
// extensions, so a test sees exactly its rows and nothing else.

import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { engineMessage } from '../engine/engine.ts';
import { convertValue } from '../engine/values.ts';
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
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  await connection.run("set TimeZone = 'UTC'");
  let loaded: string[] = [];
  return {
    load: async (tables) => {
      for (const table of loaded) await connection.run(`drop table if exists ${quoteId(table)}`);
      loaded = [];
      for (const table of tables) {
        await run(connection, `create table ${quoteId(table.table)} (${table.columns.map((c) => `${quoteId(c.name)} ${c.sqlType}`).join(', ')})`);
        loaded.push(table.table);
        if (table.rows.length === 0) continue;
        const values = table.rows.map((row) => `(${row.map((v, i) => `cast(${literal(v)} as ${table.columns[i]!.sqlType})`).join(', ')})`);
        await run(connection, `insert into ${quoteId(table.table)} values ${values.join(', ')}`, `rows of \`${table.table}\``);
      }
    },
    query: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      const columns = reader.columnNames();
      const types = columns.map((_, i) => reader.columnTypeId(i));
      return { columns, rows: reader.getRows().map((row) => row.map((v, i) => convertValue(v, types[i] ?? DuckDBTypeId.VARCHAR))) };
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function run(connection: DuckDBConnection, sql: string, what?: string): Promise<void> {
  try {
    await connection.run(sql);
  } catch (error) {
    throw new Error(`${what ? `${what}: ` : ''}${engineMessage(error)}`);
  }
}

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(value: FixtureValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'object') return value.exact;
  return `'${value.replaceAll("'", "''")}'`;
}
