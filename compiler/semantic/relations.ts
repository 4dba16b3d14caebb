// Which physical relations the files name: the runtime describes each one.

import type { KpiFile, SourceRef } from '../syntax/ast.ts';
import type { PhysicalRelation } from './catalog.ts';
import { relationKey } from './catalog.ts';

export type FileFormat = 'csv' | 'parquet' | 'json';

/** Extensions and the format each one means; longest first so `.csv.gz` wins over `.gz`. */
const FORMATS: readonly (readonly [string, FileFormat])[] = [
  ['.csv.gz', 'csv'],
  ['.ndjson', 'json'],
  ['.parquet', 'parquet'],
  ['.jsonl', 'json'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
];

export const FILE_EXTENSIONS: readonly string[] = FORMATS.map(([ext]) => ext).sort();

/**
 * Why a file path may not be read, or undefined when it is safe. Safe means
 * relative and lexically inside the data root: no `..` segment, no leading
 * `/` or `~`, no drive letter, no URL scheme, no backslash. (Symlinks that
 * leave the root are the runtime's to refuse.)
 */
export function unsafePathReason(path: string): string | undefined {
  if (path.trim() === '') return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL character';
  if (path.includes('\\')) return 'the path contains a backslash (write `/` between folders)';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path))
    return 'the path has a drive letter or a URL scheme; only files under the data root are read';
  if (path.startsWith('/')) return 'the path is absolute';
  if (path.startsWith('~')) return 'the path starts with `~` (a home folder)';
  if (path.split('/').includes('..')) return 'the path has a `..` segment and could leave the data root';
  return undefined;
}

/** The format a file's extension names (case-insensitive), or undefined. */
export function fileFormatOf(path: string): FileFormat | undefined {
  const lower = path.toLowerCase();
  for (const [ext, format] of FORMATS) if (lower.endsWith(ext)) return format;
  return undefined;
}

/** The physical relation a `from` clause names, when it is a safe file of a known format or a table. */
export function physicalRelationOf(ref: SourceRef): PhysicalRelation | undefined {
  if (ref.kind === 'table-ref') {
    return ref.schema
      ? { kind: 'table', schema: ref.schema.text, table: ref.table.text }
      : { kind: 'table', table: ref.table.text };
  }
  if (ref.kind === 'file-ref') {
    if (unsafePathReason(ref.path) !== undefined) return undefined;
    const format = fileFormatOf(ref.path);
    return format ? { kind: 'file', path: ref.path, format } : undefined;
  }
  return undefined;
}

/**
 * The distinct physical relations the files name, sorted by `relationKey`.
 * Unsafe paths and unknown formats are left out, so the runtime never
 * touches them; the resolver reports them.
 */
export function listRelations(files: readonly KpiFile[]): PhysicalRelation[] {
  const byKey = new Map<string, PhysicalRelation>();
  for (const file of files) {
    for (const declaration of file.declarations ?? []) {
      if (declaration?.kind !== 'source' || !declaration.from) continue;
      const relation = physicalRelationOf(declaration.from);
      if (relation && !byKey.has(relationKey(relation))) byKey.set(relationKey(relation), relation);
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, relation]) => relation);
}
