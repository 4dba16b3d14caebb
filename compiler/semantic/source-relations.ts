// Phase 1 of a source: what relation it reads and which columns that has.

import type { SourceRef } from '../syntax/ast.ts';
import type { Catalog } from './catalog.ts';
import type { Column } from './model.ts';
import { FILE_EXTENSIONS, fileFormatOf, physicalRelationOf, unsafePathReason } from './relations.ts';
import { didYouMean, listNames, reportError } from './report.ts';
import type { ResolveState, SourceState } from './state.ts';
import { nameKey } from './names.ts';

/** Give every source its relation and columns; derived sources after their parents. */
export function resolveSourceRelations(state: ResolveState, catalog: Catalog): void {
  const done = new Set<string>();
  const visit = (source: SourceState, stack: readonly SourceState[]): void => {
    if (done.has(source.key)) return;
    const ref = source.decl.from;
    if (ref?.kind === 'source-ref') {
      const at = stack.indexOf(source);
      if (at >= 0) {
        const cycle = stack.slice(at);
        reportCycle(state, cycle);
        for (const member of cycle) done.add(member.key);
        return;
      }
      const parent = state.sources.get(nameKey(ref.source?.text ?? ''));
      if (parent) visit(parent, [...stack, source]);
      if (done.has(source.key)) return; // part of a cycle, reported
      resolveDerived(state, source, ref, parent);
    } else {
      resolvePhysical(state, source, ref, catalog);
    }
    done.add(source.key);
  };
  for (const source of state.sources.values()) visit(source, []);
}

function resolvePhysical(state: ResolveState, source: SourceState, ref: SourceRef | undefined, catalog: Catalog): void {
  source.broken = true;
  if (!ref) return;
  if (ref.kind === 'file-ref') {
    const reason = unsafePathReason(ref.path);
    if (reason !== undefined) {
      reportError(state.sink, 'unsafe-path', source.file, ref.span, `"${ref.path}" cannot be read: ${reason}.`, {
        help: 'write a path relative to the data root (`data.root` in kpic.yaml), with `/` between folders, that stays inside it',
      });
      return;
    }
    if (!fileFormatOf(ref.path)) {
      reportError(
        state.sink,
        'unknown-file-format',
        source.file,
        ref.span,
        `"${ref.path}" has an extension kpic cannot read.`,
        { help: `the known extensions are ${FILE_EXTENSIONS.join(', ')}` },
      );
      return;
    }
  }
  const relation = physicalRelationOf(ref);
  if (!relation) return;
  source.relation = relation;
  let entry: ReturnType<typeof catalog.describe> | { readonly ok: false; readonly message: string };
  try {
    entry = catalog.describe(relation);
  } catch (error) {
    entry = { ok: false as const, message: error instanceof Error ? error.message : String(error) };
  }
  if (entry === undefined) {
    source.broken = false;
    return;
  }
  if (!entry.ok) {
    reportError(
      state.sink,
      'source-unreadable',
      source.file,
      ref.span,
      `\`${source.decl.name.text}\` cannot be read: ${entry.message}`,
      {
        help:
          ref.kind === 'file-ref'
            ? 'check that the file exists under the data root and is well formed'
            : 'check that the table exists in the configured database',
      },
    );
    return;
  }
  source.broken = false;
  source.schemaKnown = true;
  source.columns = columnMap(entry.columns);
  if (entry.read && relation.kind === 'file') source.relation = { ...relation, read: entry.read };
}

/** Columns keyed by lower-cased name; the first of two names differing only by case wins. */
function columnMap(columns: readonly Column[]): Map<string, Column> {
  const map = new Map<string, Column>();
  for (const column of columns) {
    const key = nameKey(column.name);
    if (!map.has(key)) map.set(key, { name: column.name, type: column.type, sqlType: column.sqlType });
  }
  return map;
}

function resolveDerived(
  state: ResolveState,
  source: SourceState,
  ref: Extract<SourceRef, { kind: 'source-ref' }>,
  parent: SourceState | undefined,
): void {
  source.broken = true;
  if (!parent) {
    reportError(
      state.sink,
      'unknown-source',
      source.file,
      ref.source.span,
      `\`${ref.source.text}\` is not a source of the project, so \`${source.decl.name.text}\` cannot be derived from it.`,
      {
        help: didYouMean(
          ref.source.text,
          [...state.sources.values()].map((s) => s.decl.name.text).filter((n) => nameKey(n) !== source.key),
          'write a file path in quotes, `table NAME`, or the name of a source',
        ),
      },
    );
    return;
  }
  // The parent is left out of the model (its error is reported there): so is this source.
  if (parent.relation === undefined) return;
  const keyItem = source.decl.items?.find((item) => item?.kind === 'key');
  if (!keyItem || keyItem.kind !== 'key') {
    reportError(
      state.sink,
      'missing-key',
      source.file,
      source.decl.name.span,
      `\`${source.decl.name.text}\` is derived from \`${parent.decl.name.text}\` and has one row per distinct value of its key, but it declares no \`key\`.`,
      { help: `add \`key COLUMN\`, naming a column of \`${parent.decl.name.text}\`` },
    );
    return;
  }
  const parentColumn = parent.columns.get(nameKey(keyItem.column.text));
  if (parent.schemaKnown && !parentColumn) {
    const names = [...parent.columns.values()].map((c) => c.name);
    reportError(
      state.sink,
      'unknown-column',
      source.file,
      keyItem.column.span,
      `\`${keyItem.column.text}\` is not a column of \`${parent.decl.name.text}\`, which \`${source.decl.name.text}\` is derived from.`,
      { help: didYouMean(keyItem.column.text, names, `its columns are ${listNames(names.slice(0, 12))}`) },
    );
    return;
  }
  source.broken = parent.broken;
  source.schemaKnown = !parent.broken;
  const column: Column = parentColumn ?? { name: keyItem.column.text, type: 'unknown', sqlType: 'UNKNOWN' };
  source.relation = { kind: 'derived', source: parent.key, column: column.name };
  source.columns = new Map([[nameKey(column.name), column]]);
}

function reportCycle(state: ResolveState, cycle: readonly SourceState[]): void {
  const first = cycle[0]!;
  const names = [...cycle, first].map((s) => `\`${s.decl.name.text}\``).join(' -> ');
  const ref = first.decl.from;
  reportError(
    state.sink,
    'source-cycle',
    first.file,
    ref?.span ?? first.decl.name.span,
    `these sources are derived from each other in a cycle: ${names}; a derived source needs a source that reads data.`,
    { help: 'derive one of them from a file (`from "data/x.csv"`) or a table (`from table x`)' },
  );
  for (const source of cycle) {
    source.broken = true;
    source.schemaKnown = false;
  }
}
