// In-memory DuckDB for planner tests: data as small CSV files in a temp
// folder (the data root), queries run and read back as plain JSON values.

import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type Json = null | boolean | number | string;

export interface TestDb {
  readonly root: string;
  /** Rows as objects; BIGINT and DECIMAL come back as strings, DOUBLE as numbers, dates as `YYYY-MM-DD`. */
  all(sql: string): Promise<Record<string, Json>[]>;
  close(): Promise<void>;
}

/** A fresh database over `files` (path -> CSV text) written under a temp data root. */
export async function openTestDb(files: Record<string, string>, prefix = 'kpic-sql-'): Promise<TestDb> {
  const root = mkdtempSync(join(tmpdir(), prefix)).replace(/\\/g, '/');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return {
    root,
    async all(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, Json>[];
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** CSV text from a header and rows; `null` is an empty field. */
export function csv(header: string, rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (v: string | number | null) =>
    v === null ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return [header, ...rows.map((r) => r.map(field).join(','))].join('\n') + '\n';
}
