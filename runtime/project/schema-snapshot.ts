// `kpic.schema.json`: the data's schema, committed next to the metrics.
//
// CI of a metrics repository usually has no data. With a snapshot of each
// relation's columns and types, `kpic check` still type-checks every KPI
// there: a relation that is missing (its file is not on disk, its table not
// in the database) is described from the snapshot instead. A relation that
// exists but cannot be read is never papered over: its real error stands.
//
// The file is stable: relations sorted by key, columns in the data's order,
// two-space JSON, a final line break; so a refresh shows in review as a
// small diff of exactly the columns that changed.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import type { Diagnostic } from '../../compiler/index.ts';
import { FILE_START } from '../../compiler/index.ts';
import type { Catalog, CatalogColumn, CatalogEntry, PhysicalRelation } from '../../compiler/index.ts';
import { relationKey, scalarTypeOf } from '../../compiler/index.ts';
import type { Model } from '../../compiler/index.ts';
import { describeSql, MAX_DISTINCT_VALUES, MAX_VALUE_LENGTH } from '../../compiler/index.ts';
import { projectBoundary, readTextInside } from './safe-read.ts';

export const SNAPSHOT_FILE = 'kpic.schema.json';
const FORMAT_VERSION = 1;

export interface SnapshotColumn {
  readonly name: string;
  /** The engine's type name, e.g. `BIGINT`, `DECIMAL(18,2)`. */
  readonly type: string;
  /**
   * A text column's distinct values, sorted, when it has at most
   * `MAX_DISTINCT_VALUES` of at most `MAX_VALUE_LENGTH` characters and a
   * dimension or a literal of the model names it: what `unknown-value`
   * checks literals against without the data.
   */
  readonly values?: readonly string[];
}

/** Relation key (`file:data/x.csv`, `table:main.orders`) -> its columns. */
export type SchemaSnapshot = ReadonlyMap<string, readonly SnapshotColumn[]>;

/** The snapshot as its file's text: sorted, stable, ending with a line break. */
export function renderSchemaSnapshot(snapshot: SchemaSnapshot): string {
  const relations: Record<string, { columns: SnapshotColumn[] }> = {};
  for (const key of [...snapshot.keys()].sort()) {
    relations[key] = {
      columns: snapshot
        .get(key)!
        .map((c) => ({ name: c.name, type: c.type, ...(c.values ? { values: [...c.values] } : {}) })),
    };
  }
  return `${JSON.stringify({ kpic_schema_snapshot: FORMAT_VERSION, relations }, null, 2)}\n`;
}

/** Parse a snapshot's text; a problem is a message saying what is wrong. */
export function parseSchemaSnapshot(text: string): { snapshot: SchemaSnapshot } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    (data as Record<string, unknown>)['kpic_schema_snapshot'] !== FORMAT_VERSION
  ) {
    return {
      problem: `it is not a kpic schema snapshot of format ${FORMAT_VERSION} (\`"kpic_schema_snapshot": ${FORMAT_VERSION}\` is missing)`,
    };
  }
  const relations = (data as Record<string, unknown>)['relations'];
  if (typeof relations !== 'object' || relations === null)
    return { problem: '`relations` is missing or not an object' };
  const snapshot = new Map<string, SnapshotColumn[]>();
  for (const [key, value] of Object.entries(relations)) {
    const columns = (value as { columns?: unknown } | null)?.columns;
    if (!Array.isArray(columns) || !columns.every((c) => typeof c?.name === 'string' && typeof c?.type === 'string')) {
      return { problem: `relation \`${key}\` needs \`columns\`: a list of \`{ "name": ..., "type": ... }\`` };
    }
    const badValues = columns.find(
      (c) =>
        c.values !== undefined &&
        (!Array.isArray(c.values) ||
          c.values.length > MAX_DISTINCT_VALUES ||
          !c.values.every((v: unknown) => typeof v === 'string' && v.length <= MAX_VALUE_LENGTH)),
    );
    if (badValues)
      return {
        problem: `column \`${badValues.name}\` of relation \`${key}\`: \`values\` is a list of at most ${MAX_DISTINCT_VALUES} texts of at most ${MAX_VALUE_LENGTH} characters`,
      };
    snapshot.set(
      key,
      columns.map((c: SnapshotColumn) => ({
        name: c.name,
        type: c.type,
        ...(c.values !== undefined ? { values: [...c.values] } : {}),
      })),
    );
  }
  return { snapshot };
}

/** A snapshot lists columns, not data: 16 MiB holds many thousands of relations. */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/** The project's snapshot, if it has one; an unusable file is a warning and no snapshot. */
export function readSchemaSnapshot(root: string): {
  snapshot?: SchemaSnapshot;
  text?: string;
  diagnostics: Diagnostic[];
} {
  const path = join(root, SNAPSHOT_FILE);
  if (!existsSync(path)) return { diagnostics: [] };
  const read = readTextInside(path, projectBoundary(root), MAX_SNAPSHOT_BYTES, SNAPSHOT_FILE);
  const text = 'refused' in read ? undefined : read.text;
  const parsed = 'refused' in read ? { problem: read.refused.message } : parseSchemaSnapshot(read.text);
  if ('snapshot' in parsed)
    return { snapshot: parsed.snapshot, ...(text === undefined ? {} : { text }), diagnostics: [] };
  return {
    ...(text === undefined ? {} : { text }),
    diagnostics: [
      {
        code: 'schema-snapshot-invalid',
        severity: 'warn',
        message: `${SNAPSHOT_FILE} cannot be used: ${parsed.problem}. Relations whose data is missing are not type-checked.`,
        file: SNAPSHOT_FILE,
        span: FILE_START,
        help: 'regenerate it where the data is: `kpic schema snapshot`.',
      },
    ],
  };
}

/** A catalog entry from a snapshot's columns. */
export function snapshotEntry(columns: readonly SnapshotColumn[]): CatalogEntry {
  return {
    ok: true,
    columns: columns.map((c): CatalogColumn => ({ name: c.name, sqlType: c.type, type: scalarTypeOf(c.type) })),
  };
}

/** A catalog that knows only the snapshot (no data at all). */
export function snapshotCatalog(snapshot: SchemaSnapshot): Catalog {
  return {
    describe: (relation) => {
      const columns = snapshot.get(relationKey(relation));
      return columns ? snapshotEntry(columns) : undefined;
    },
  };
}

/**
 * The catalog described on the engine, with each missing relation described
 * from the snapshot instead. `used` lists the relation keys taken from it.
 */
export function withSchemaSnapshot(
  described: Catalog,
  snapshot: SchemaSnapshot | undefined,
  relations: readonly PhysicalRelation[],
  dataRoot: string,
): { catalog: Catalog; used: readonly string[] } {
  if (!snapshot) return { catalog: described, used: [] };
  const replaced = new Map<string, CatalogEntry>();
  for (const relation of relations) {
    const entry = described.describe(relation);
    const columns = snapshot.get(relationKey(relation));
    if (columns && entry && !entry.ok && isMissing(relation, entry.message, dataRoot)) {
      replaced.set(relationKey(relation), snapshotEntry(columns));
    }
  }
  return {
    catalog: { describe: (relation) => replaced.get(relationKey(relation)) ?? described.describe(relation) },
    used: [...replaced.keys()].sort(),
  };
}

/** The data is not there at all (as opposed to there but unreadable). */
function isMissing(relation: PhysicalRelation, message: string, dataRoot: string): boolean {
  if (relation.kind === 'table') return /does not exist|not found/i.test(message);
  if (/[*?[{]/.test(relation.path)) return globSync(relation.path, { cwd: dataRoot, onlyFiles: true }).length === 0;
  return !existsSync(resolve(dataRoot, relation.path));
}

/**
 * The sources whose relation was described from the snapshot (by declared
 * name, sorted), and the FROM text of each such relation in compiled SQL, so
 * a caller can tell which KPIs' SQL reads data that is not there.
 */
export function snapshotSources(
  model: Model,
  used: readonly string[],
  dataRoot: string,
): { names: string[]; relationTexts: string[] } {
  const wanted = new Set(used);
  const names: string[] = [];
  const relationTexts = new Set<string>();
  for (const source of model.sources.values()) {
    if (source.relation.kind === 'derived' || !wanted.has(relationKey(source.relation))) continue;
    names.push(source.name);
    relationTexts.add(describeSql(source.relation, dataRoot).replace(/^describe select \* from /, ''));
  }
  return { names: names.sort(), relationTexts: [...relationTexts] };
}
