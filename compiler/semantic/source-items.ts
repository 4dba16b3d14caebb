// Phase 2 of a source: key, links, time, validity, description, and the
// names of its dimensions (their definitions resolve later, on demand).

import type { JoinItem, Name, SourceItem, Span } from '../syntax/ast.ts';
import type { Column, Link } from './model.ts';
import { didYouMean, formatPlace, listNames, reportError } from './report.ts';
import type { DimensionDecl, ResolveState, SourceState } from './state.ts';
import { areCompatible, describeType, isTemporal } from './types.ts';
import { nameKey } from './names.ts';

/** Resolve every source's single-valued items, then the links (which need every key). */
export function resolveSourceItems(state: ResolveState): void {
  for (const source of state.sources.values()) resolveOwnItems(state, source);
  checkCustomerKey(state);
  const linkedFrom = new Map<string, { source: SourceState; item: JoinItem }[]>();
  for (const source of state.sources.values()) {
    for (const item of source.decl.items ?? []) {
      if (item?.kind === 'customer-link') addCustomerLink(state, source, item.column, item.span);
      if (item?.kind === 'join') addJoin(state, source, item, linkedFrom);
    }
  }
  for (const [targetKey, linkers] of linkedFrom) {
    // The customer entity's missing key is reported once, by checkCustomerKey.
    if (targetKey !== state.customer) reportKeylessTarget(state, state.sources.get(targetKey)!, linkers);
  }
}

/** A column of the source by name (any case): the data's spelling and type, or a diagnostic. */
export function findColumn(state: ResolveState, source: SourceState, name: Name, role: string): Column | undefined {
  if (!name?.text) return undefined;
  const column = source.columns.get(nameKey(name.text));
  if (column) return column;
  if (!source.schemaKnown) return { name: name.text, type: 'unknown', sqlType: 'UNKNOWN' };
  const names = [...source.columns.values()].map((c) => c.name);
  reportError(
    state.sink,
    'unknown-column',
    source.file,
    name.span,
    `\`${name.text}\` is not a column of \`${source.decl.name.text}\` (${role}).`,
    { help: didYouMean(name.text, names, `its columns are ${listNames(names.slice(0, 12))}`) },
  );
  return undefined;
}

const SINGLE_ITEMS: Partial<Record<SourceItem['kind'], string>> = {
  key: 'key',
  'customer-link': 'customer',
  time: 'time',
  valid: 'valid from ... to ...',
  description: 'description',
};

function resolveOwnItems(state: ResolveState, source: SourceState): void {
  const seen = new Map<string, Span>();
  for (const item of source.decl.items ?? []) {
    if (!item) continue;
    const single = SINGLE_ITEMS[item.kind];
    if (single) {
      const first = seen.get(item.kind);
      if (first) {
        reportError(
          state.sink,
          'duplicate-item',
          source.file,
          item.span,
          `\`${source.decl.name.text}\` has more than one \`${single}\` item; it takes one.`,
          { help: 'keep one of them', notes: [`first one: ${formatPlace(source.file, first)}`] },
        );
        continue;
      }
      seen.set(item.kind, item.span);
    }
    resolveItem(state, source, item);
  }
}

function resolveItem(state: ResolveState, source: SourceState, item: SourceItem): void {
  switch (item.kind) {
    case 'key': {
      // A derived source's key names its parent's column, already checked.
      const column =
        source.relation?.kind === 'derived'
          ? [...source.columns.values()][0]
          : findColumn(state, source, item.column, 'its key');
      if (column) source.keyColumn = column.name;
      else if (source.broken || source.decl.from?.kind === 'source-ref') source.keyColumn = item.column.text;
      return;
    }
    case 'time': {
      const column = findColumn(state, source, item.column, 'its time column');
      if (column && checkTemporal(state, source, item.column, column, 'a time column')) source.time = column.name;
      return;
    }
    case 'valid': {
      const from = findColumn(state, source, item.from, 'the start of its validity');
      const to = findColumn(state, source, item.to, 'the end of its validity');
      const ok =
        from &&
        to &&
        checkTemporal(state, source, item.from, from, 'the start of a validity interval') &&
        checkTemporal(state, source, item.to, to, 'the end of a validity interval');
      if (ok) source.valid = { from: from.name, to: to.name };
      return;
    }
    case 'description':
      source.description = item.text?.value;
      return;
    case 'dimensions':
      for (const name of item.names ?? [])
        addDimensionDecl(state, source, name, { kind: 'column', name, internal: item.internal, span: item.span });
      return;
    case 'computed-dimension':
      addDimensionDecl(state, source, item.name, { kind: 'expr', name: item.name, item });
      return;
    default:
      return;
  }
}

/** `time-type` unless the column is a date or timestamp. */
export function checkTemporal(
  state: ResolveState,
  source: SourceState,
  name: Name,
  column: Column,
  role: string,
): boolean {
  if (isTemporal(column.type)) return true;
  reportError(
    state.sink,
    'time-type',
    source.file,
    name.span,
    `\`${column.name}\` is ${describeType(column.type)} (${column.sqlType}), but ${role} must be a date or timestamp.`,
    { help: "name a date or timestamp column, or fix the column's type in the data" },
  );
  return false;
}

function addDimensionDecl(state: ResolveState, source: SourceState, name: Name, decl: DimensionDecl): void {
  if (!name?.text) return;
  const key = nameKey(name.text);
  const first = source.dimensionDecls.get(key);
  if (first) {
    const firstPlace = formatPlace(source.file, first.name.span);
    reportError(
      state.sink,
      'duplicate-name',
      source.file,
      name.span,
      `\`${source.decl.name.text}\` already has a dimension \`${first.name.text}\` (${firstPlace}); dimension names are unique within a source (compared without regard to case).`,
      {
        help: 'rename one of them',
        notes: [`first declared here: ${firstPlace}`, `declared again here: ${formatPlace(source.file, name.span)}`],
      },
    );
    return;
  }
  source.dimensionDecls.set(key, decl);
}

function checkCustomerKey(state: ResolveState): void {
  const customer = state.customer ? state.sources.get(state.customer) : undefined;
  if (!customer || customer.keyColumn || customer.decl.items?.some((item) => item?.kind === 'key')) return;
  reportError(
    state.sink,
    'missing-key',
    customer.file,
    customer.decl.name.span,
    `the customer entity \`${customer.decl.name.text}\` declares no \`key\`; its key is the customer key that every source links to.`,
    { help: 'add `key COLUMN`, the column that identifies a customer (e.g. `key customer_id`)' },
  );
}

function addCustomerLink(state: ResolveState, source: SourceState, column: Name, span: Span): void {
  const customer = state.customer ? state.sources.get(state.customer) : undefined;
  const from = findColumn(state, source, column, 'its link to the customer');
  if (!customer || !customer.keyColumn || !from) return;
  const to = customer.columns.get(nameKey(customer.keyColumn));
  if (to && !checkLinkTypes(state, source, column, from, customer, to)) return;
  source.links.push(link('customer', source, from.name, customer, customer.keyColumn, span));
}

function addJoin(
  state: ResolveState,
  source: SourceState,
  item: JoinItem,
  linkedFrom: Map<string, { source: SourceState; item: JoinItem }[]>,
): void {
  if (!item.target?.text) return;
  const target = state.sources.get(nameKey(item.target.text));
  if (!target) {
    reportError(
      state.sink,
      'unknown-source',
      source.file,
      item.target.span,
      `\`${item.target.text}\` is not a source of the project, so \`${source.decl.name.text}\` cannot join it.`,
      {
        help: didYouMean(
          item.target.text,
          [...state.sources.values()].map((s) => s.decl.name.text),
          'declare the source, or fix the name',
        ),
      },
    );
    return;
  }
  const from = findColumn(state, source, item.column, `its link to \`${target.decl.name.text}\``);
  const hasKey = target.keyColumn !== undefined || target.decl.items?.some((i) => i?.kind === 'key');
  if (!hasKey) {
    linkedFrom.set(target.key, [...(linkedFrom.get(target.key) ?? []), { source, item }]);
    return;
  }
  const to = item.targetColumn
    ? findColumn(state, target, item.targetColumn, `joined from \`${source.decl.name.text}\``)
    : keyColumnOf(target);
  if (!from || !to) return;
  if (!checkLinkTypes(state, source, item.column, from, target, to)) return;
  source.links.push(link('join', source, from.name, target, to.name, item.span));
}

function keyColumnOf(source: SourceState): Column | undefined {
  if (!source.keyColumn) return undefined;
  return (
    source.columns.get(nameKey(source.keyColumn)) ?? { name: source.keyColumn, type: 'unknown', sqlType: 'UNKNOWN' }
  );
}

function link(
  kind: Link['kind'],
  from: SourceState,
  fromColumn: string,
  to: SourceState,
  toColumn: string,
  span: Span,
): Link {
  return { kind, from: from.key, fromColumn, to: to.key, toColumn, file: from.file, span };
}

function checkLinkTypes(
  state: ResolveState,
  source: SourceState,
  name: Name,
  from: Column,
  target: SourceState,
  to: Column,
): boolean {
  if (areCompatible(from.type, to.type)) return true;
  reportError(
    state.sink,
    'link-type-mismatch',
    source.file,
    name.span,
    `\`${source.decl.name.text}.${from.name}\` is ${describeType(from.type)} (${from.sqlType}) but \`${target.decl.name.text}.${to.name}\` is ${describeType(to.type)} (${to.sqlType}); a link compares them for equality.`,
    { help: 'link columns of one kind, or fix the type in the data' },
  );
  return false;
}

function reportKeylessTarget(
  state: ResolveState,
  target: SourceState,
  linkers: readonly { source: SourceState; item: JoinItem }[],
): void {
  const names = [...new Set(linkers.map((l) => l.source.decl.name.text))];
  reportError(
    state.sink,
    'missing-key',
    target.file,
    target.decl.name.span,
    `\`${target.decl.name.text}\` declares no \`key\`, but ${listNames(names)} ${names.length > 1 ? 'link' : 'links'} to it; a link needs the key that identifies one row.`,
    {
      help: `add \`key COLUMN\` to \`${target.decl.name.text}\``,
      notes: linkers.map((l) => `linked from here: ${formatPlace(l.source.file, l.item.span)}`),
    },
  );
}
