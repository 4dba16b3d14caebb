// The sandbox every engine session runs in.
//
// Order matters: extensions are switched off when the instance is created
// (an extension could otherwise be fetched and loaded on first use), the
// session time zone is fixed to UTC (the compiler's period arithmetic relies
// on it), file access is limited to the data root, external access is
// switched off, and finally the configuration is locked so that no later
// statement can undo any of it.
//
// DuckDB adds its temp directory to the folders a locked session may read.
// Its default (`.tmp/` under the working folder, `<database>.tmp/` next to a
// database file) lies in the project, where a committed symlink
// (`.tmp -> /`) would open the whole machine. Each session therefore spills
// to a fresh private folder under the system's temp folder (mode 0700,
// created here, removed when the engine closes or the process exits), which
// no name in a `.kpi` file can reach.

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

/** Instance options: no extension is installed or loaded behind the user's back. */
export function instanceOptions(
  threads: number,
  memoryLimit: string,
  readOnly: boolean,
  tempDirectory: string,
): Record<string, string> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: String(threads),
    memory_limit: memoryLimit,
    temp_directory: tempDirectory,
  };
  if (readOnly) options['access_mode'] = 'READ_ONLY';
  return options;
}

/** Lock a fresh connection into the sandbox. `dataRoot` is absolute, a real path, forward slashes. */
export async function lockSandbox(connection: DuckDBConnection, dataRoot: string): Promise<void> {
  const root = dataRoot.endsWith('/') ? dataRoot : `${dataRoot}/`;
  await connection.run(`SET TimeZone = 'UTC'`);
  await connection.run(`SET allowed_directories = [${quoteText(root)}]`);
  await connection.run(`SET enable_external_access = false`);
  await connection.run(`SET lock_configuration = true`);
}

/** A SQL string literal: single quotes doubled. */
function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const privateFolders = new Set<string>();
let cleanupInstalled = false;

/** A fresh folder only this process can use, for the engine's spill files; `release` removes it. */
export function privateTempFolder(): { path: string; release(): void } {
  const path = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-engine-')));
  privateFolders.add(path);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', () => {
      for (const folder of privateFolders) rmSync(folder, { recursive: true, force: true });
    });
  }
  return {
    path,
    release: () => {
      privateFolders.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
