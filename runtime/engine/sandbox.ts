// The sandbox every engine session runs in.
//
// Order matters: extensions are switched off when the instance is created
// (an extension could otherwise be fetched and loaded on first use), the
// session time zone is fixed to UTC (the compiler's period arithmetic relies
// on it), file access is limited to the data root, external access is
// switched off, and finally the configuration is locked so that no later
// statement can undo any of it.

import { DuckDBConnection } from '@duckdb/node-api';

/** Instance options: no extension is installed or loaded behind the user's back. */
export function instanceOptions(threads: number, memoryLimit: string, readOnly: boolean): Record<string, string> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: String(threads),
    memory_limit: memoryLimit,
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
