// A project on PostgreSQL (`data.engine: postgres`): the connection, and the
// catalog of its `table` sources from information_schema.
//
// A database that cannot be reached does not stop the commands that only
// read the project (`compile`, `check`, `lint`, `explain`...): they go on
// with the schema snapshot (kpic.schema.json) or without types, and the
// commands that run SQL fail with the connection's one-line message (exit 3).

import type { CatalogEntry, Diagnostic, PhysicalRelation } from '../../compiler/index.ts';
import { catalogFromEntries, relationKey } from '../../compiler/index.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineError, engineMessage } from '../engine/engine-error.ts';
import type { DescribedCatalog } from '../engine/catalog.ts';
import type { DataConfig } from './config.ts';

export async function openPostgresProject(data: DataConfig): Promise<{ engine: Engine; offline?: string }> {
  // Loaded here, not at start: the PostgreSQL client is only for projects that use it.
  const { openPostgres } = await import('../engine/postgres.ts');
  try {
    return {
      engine: await openPostgres({
        ...(data.urlEnv !== undefined ? { urlEnv: data.urlEnv } : {}),
        ...(data.schema !== undefined ? { schema: data.schema } : {}),
        ...(data.statementTimeoutMs !== undefined ? { statementTimeoutMs: data.statementTimeoutMs } : {}),
      }),
    };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { engine: offlineEngine(error.message), offline: error.message };
  }
}

/** An engine whose every statement fails with the connection problem. */
function offlineEngine(message: string): Engine {
  const fail = async (): Promise<never> => {
    throw new EngineError('failed', message);
  };
  return { all: fail, validate: fail, describe: fail, interrupt: () => undefined, close: async () => undefined };
}

/** Each table's columns from information_schema; file sources are DuckDB's only. */
export async function describePostgresRelations(
  engine: Engine,
  relations: readonly PhysicalRelation[],
  schema: string | undefined,
  offline: string | undefined,
): Promise<DescribedCatalog> {
  const entries = new Map<string, CatalogEntry>();
  const diagnostics: Diagnostic[] = [];
  for (const relation of relations) {
    entries.set(relationKey(relation), await describeOne(engine, relation, schema, offline));
  }
  return { catalog: catalogFromEntries(entries), diagnostics };
}

async function describeOne(
  engine: Engine,
  relation: PhysicalRelation,
  schema: string | undefined,
  offline: string | undefined,
): Promise<CatalogEntry> {
  if (relation.kind === 'file') {
    return {
      ok: false,
      message: `file \`${relation.path}\` cannot be read on PostgreSQL (data.engine: postgres); declare the source \`from table NAME\``,
    };
  }
  // "not found" lets the schema snapshot stand in for a database that is not there.
  if (offline !== undefined)
    return { ok: false, message: `table ${relation.table} not found: the database is not reachable` };
  const { describeTable } = await import('../engine/postgres.ts');
  try {
    return { ok: true, columns: await describeTable(engine, relation.schema ?? schema, relation.table) };
  } catch (error) {
    return { ok: false, message: engineMessage(error) };
  }
}
