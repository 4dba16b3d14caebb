// Resolving a reference (`name` or `source.name`) inside an expression.
//
// An unqualified name is looked up on the root source (its dimensions, then
// its columns), then on the `home` source of an aggregated dimension's
// predicate, then among the dimensions of the sources the root reaches by
// many-to-one links, nearest first. A qualified name must name the root or a
// reachable source.

import type { ColumnRef, Span } from '../syntax/ast.ts';
import type { DimensionName, JoinPath, RExpr } from './model.ts';
import type { Sink } from './report.ts';
import { listNames, reportError } from './report.ts';
import type { ReachEntry, Scope } from './scope.ts';
import { describePath, passesLeftOut } from './scope.ts';
import { nameKey } from './names.ts';
import { suggest } from '../diagnostics.ts';

export interface BindContext {
  readonly scope: Scope;
  /** Lower-cased key of the source the expression is rooted at. */
  readonly root: string;
  readonly file: string;
  readonly sink: Sink;
  /** For an aggregated dimension's argument and predicate: the key row's source, and the link that reaches it. */
  readonly home?: { readonly source: string; readonly path: JoinPath };
  /** Names that exist but that the root cannot reach: errors in a source, collected for the planner elsewhere. */
  readonly unreachable: 'error' | 'collect';
  readonly unknownCode: 'unknown-column' | 'unknown-dimension';
  /** Filled in `collect` mode. */
  readonly collected: DimensionName[];
  /**
   * The computed dimension being defined (lower-cased name): inside its own
   * definition its name means the column it renames (`dimension contract = Contract`).
   */
  readonly defining?: string;
}

/** The display name of a source key. */
export function sourceName(ctx: BindContext, key: string): string {
  return ctx.scope.sources.get(key)?.name ?? key;
}

const FAILED = Symbol('failed');

/**
 * A dimension or column of `source`, reached along `path`; undefined when it
 * has none by that name, `FAILED` when it declares the dimension but the
 * dimension did not resolve (its error is reported at its definition, and a
 * column of the same name does not stand in for it).
 */
function lookup(
  ctx: BindContext,
  source: string,
  key: string,
  path: JoinPath,
  span: Span,
): RExpr | typeof FAILED | undefined {
  const own = source === ctx.root && key === ctx.defining && ctx.scope.sources.get(source)?.columns.get(key);
  if (own) return { kind: 'column', source, column: own.name, path, type: own.type, span };
  const dimension = ctx.scope.dimension(source, key);
  if (dimension) {
    return dimension.kind === 'column'
      ? { kind: 'column', source, column: dimension.column ?? dimension.name, path, type: dimension.type, span }
      : { kind: 'dimension', source, name: dimension.name, path, type: dimension.type, span };
  }
  if (ctx.scope.sources.get(source)?.dimensionNames.has(key)) return FAILED;
  const column = ctx.scope.sources.get(source)?.columns.get(key);
  return column ? { kind: 'column', source, column: column.name, path, type: column.type, span } : undefined;
}

/** A lookup's answer as a bound expression: a failed dimension binds to nothing, silently. */
function found(result: RExpr | typeof FAILED): RExpr | undefined {
  return result === FAILED ? undefined : result;
}

/** Bind a reference, reporting what is wrong with it; undefined when it cannot be bound. */
export function bindRef(ctx: BindContext, ref: ColumnRef): RExpr | undefined {
  if (!ref.name?.text) return undefined;
  return ref.qualifier ? bindQualified(ctx, ref) : bindUnqualified(ctx, ref);
}

function bindUnqualified(ctx: BindContext, ref: ColumnRef): RExpr | undefined {
  const key = nameKey(ref.name.text);
  const root = ctx.scope.sources.get(ctx.root);
  if (!root) return undefined;
  const own = lookup(ctx, ctx.root, key, [], ref.span);
  if (own) return found(own);
  if (ctx.home) {
    const home = lookup(ctx, ctx.home.source, key, ctx.home.path, ref.span);
    if (home) return found(home);
  }
  const nearest = nearestOwners(ctx, key);
  if (nearest.length > 1) {
    const names = nearest.map((entry) => sourceName(ctx, entry.source));
    reportError(
      ctx.sink,
      'ambiguous-name',
      ctx.file,
      ref.span,
      `\`${ref.name.text}\` is a dimension of ${listNames(names)}, all ${nearest[0]!.distance} link(s) away from \`${root.name}\`, so it is ambiguous.`,
      { help: `qualify it: ${names.map((n) => `\`${n}.${ref.name.text}\``).join(' or ')}` },
    );
    return undefined;
  }
  if (nearest.length === 1) {
    const entry = nearest[0]!;
    if (!checkPath(ctx, entry, ref.span)) return undefined;
    return found(lookup(ctx, entry.source, key, entry.path, ref.span) ?? FAILED);
  }
  if (!root.schemaKnown) {
    // The data's schema is unknown: trust the name as a column of the root.
    return { kind: 'column', source: ctx.root, column: ref.name.text, path: [], type: 'unknown', span: ref.span };
  }
  const owners = ctx.scope.dimensionOwners(key).filter((owner) => owner !== ctx.root);
  const live = owners.filter((owner) => !ctx.scope.sources.get(owner)?.leftOut);
  if (live.length > 0) return reportUnreachable(ctx, ref, live);
  if (owners.length > 0) return undefined; // only on sources left out of the model: their error says why
  // For the planner, a column of a source the root cannot reach is unreachable too: a KPI filter on
  // `events.amount` does not apply to a measure of `customers` (it is broadcast there).
  const columnOwners = ctx.unreachable === 'collect' ? unreachableColumnOwners(ctx, key) : [];
  if (columnOwners.length > 0) return reportUnreachable(ctx, ref, columnOwners);
  reportUnknownName(ctx, ref);
  return undefined;
}

/** Reachable sources declaring the dimension, at the smallest distance that has any. */
function nearestOwners(ctx: BindContext, key: string): ReachEntry[] {
  const nearest: ReachEntry[] = [];
  for (const entry of ctx.scope.reach(ctx.root).ordered) {
    if (nearest.length > 0 && entry.distance > nearest[0]!.distance) break;
    if (ctx.scope.sources.get(entry.source)?.dimensionNames.has(key)) nearest.push(entry);
  }
  return nearest;
}

/**
 * Sources (other than the root, and not reached from it) that have a column
 * of this name, in key order; none when a source the root reaches has one
 * (the name is then an unqualified column there: the error says to qualify it).
 */
function unreachableColumnOwners(ctx: BindContext, key: string): string[] {
  const reach = ctx.scope.reach(ctx.root).entries;
  if ([...reach.keys()].some((k) => ctx.scope.sources.get(k)?.columns.has(key))) return [];
  return [...ctx.scope.sources.values()]
    .filter((s) => s.key !== ctx.root && !s.leftOut && !reach.has(s.key) && s.columns.has(key))
    .map((s) => s.key)
    .sort();
}

function bindQualified(ctx: BindContext, ref: ColumnRef): RExpr | undefined {
  const qualifier = ref.qualifier!;
  const sourceKey = nameKey(qualifier.text);
  const key = nameKey(ref.name.text);
  let path: JoinPath;
  if (sourceKey === ctx.root) path = [];
  else if (ctx.home && sourceKey === ctx.home.source) path = ctx.home.path;
  else if (!ctx.scope.sources.has(sourceKey)) {
    const best = suggest(
      qualifier.text,
      [...ctx.scope.sources.values()].map((s) => s.name),
    );
    reportError(
      ctx.sink,
      'unknown-source',
      ctx.file,
      qualifier.span,
      `\`${qualifier.text}\` is not a source of the project.`,
      { help: best ? `did you mean \`${best}\`?` : 'qualify a name with the name of a source, as in `customers.tier`' },
    );
    return undefined;
  } else if (ctx.scope.sources.get(sourceKey)!.leftOut) {
    return undefined; // left out of the model for an error reported at the source
  } else {
    const entry = ctx.scope.reach(ctx.root).entries.get(sourceKey);
    if (!entry) return reportUnreachable(ctx, ref, [sourceKey]);
    if (!checkPath(ctx, entry, ref.span)) return undefined;
    path = entry.path;
  }
  const value = lookup(ctx, sourceKey, key, path, ref.span);
  if (value) return found(value);
  const source = ctx.scope.sources.get(sourceKey)!;
  if (!source.schemaKnown)
    return { kind: 'column', source: sourceKey, column: ref.name.text, path, type: 'unknown', span: ref.span };
  const candidates = [...source.dimensionNames.values(), ...[...source.columns.values()].map((c) => c.name)];
  const best = suggest(ref.name.text, candidates);
  const what = ctx.unknownCode === 'unknown-dimension' ? 'a dimension or column' : 'a column or dimension';
  reportError(
    ctx.sink,
    ctx.unknownCode,
    ctx.file,
    ref.name.span,
    `\`${ref.name.text}\` is not ${what} of \`${source.name}\`.`,
    {
      help: best
        ? `did you mean \`${source.name}.${best}\`?`
        : `the columns of \`${source.name}\` are: ${listNames(candidates.slice(0, 12))}`,
    },
  );
  return undefined;
}

/**
 * False (and an `ambiguous-path` error) when two shortest link paths reach
 * the entry; false, silently, when the path passes through a source left out
 * of the model (its own error says why).
 */
function checkPath(ctx: BindContext, entry: ReachEntry, span: Span): boolean {
  if (passesLeftOut(ctx.scope, entry.path)) return false;
  if (!entry.alternative) return true;
  const names = (key: string) => sourceName(ctx, key);
  reportError(
    ctx.sink,
    'ambiguous-path',
    ctx.file,
    span,
    `\`${names(entry.source)}\` is reached from \`${names(ctx.root)}\` along two different paths of the same length, so the join to use is ambiguous.`,
    {
      help: `keep one of the link chains, or declare the dimension on a source that is reached one way only`,
      notes: [
        `path: ${describePath(ctx.root, entry.path, names)}`,
        `path: ${describePath(ctx.root, entry.alternative, names)}`,
      ],
    },
  );
  return false;
}

function reportUnreachable(ctx: BindContext, ref: ColumnRef, owners: readonly string[]): undefined {
  if (ctx.unreachable === 'collect') {
    ctx.collected.push(
      ref.qualifier
        ? { qualifier: ref.qualifier.text, name: ref.name.text, span: ref.span }
        : { name: ref.name.text, span: ref.span },
    );
    return undefined;
  }
  const root = sourceName(ctx, ctx.root);
  const target = sourceName(ctx, owners[0]!);
  const message = ref.qualifier
    ? `\`${root}\` cannot reach \`${target}\`: no chain of many-to-one links (\`customer\`, \`join\`) leads from \`${root}\` to \`${target}\`.`
    : `\`${ref.name.text}\` is a dimension of ${listNames(owners.map((o) => sourceName(ctx, o)))}, which \`${root}\` does not reach by many-to-one links.`;
  reportError(ctx.sink, 'unreachable-source', ctx.file, ref.qualifier?.span ?? ref.span, message, {
    help: `link \`${root}\` to \`${target}\` (\`join ${target} on COLUMN\`, or \`customer COLUMN\` when it is the customer entity)`,
  });
  return undefined;
}

function reportUnknownName(ctx: BindContext, ref: ColumnRef): void {
  const key = nameKey(ref.name.text);
  const root = ctx.scope.sources.get(ctx.root)!;
  const candidates: string[] = [...root.dimensionNames.values(), ...[...root.columns.values()].map((c) => c.name)];
  if (ctx.home) {
    const home = ctx.scope.sources.get(ctx.home.source);
    if (home) candidates.push(...home.dimensionNames.values(), ...[...home.columns.values()].map((c) => c.name));
  }
  const reachable = ctx.scope.reach(ctx.root).ordered;
  for (const entry of reachable)
    candidates.push(...(ctx.scope.sources.get(entry.source)?.dimensionNames.values() ?? []));
  let help: string | undefined;
  const best = suggest(ref.name.text, candidates);
  if (best) help = `did you mean \`${best}\`?`;
  const columnOwner = reachable.find((entry) => ctx.scope.sources.get(entry.source)?.columns.has(key));
  if (!help && columnOwner) {
    const owner = sourceName(ctx, columnOwner.source);
    help = `\`${ref.name.text}\` is a column of \`${owner}\`: write \`${owner}.${ref.name.text}\`, or declare \`dimension ${ref.name.text}\` in \`${owner}\``;
  }
  if (!help && ctx.scope.isMeasure(key))
    help = `\`${ref.name.text}\` is a measure; filters and row-level expressions use columns and dimensions, not measures`;
  if (!help) {
    const inScope = [...new Set(candidates)];
    help =
      inScope.length > 0
        ? `the names in scope here include ${listNames(inScope.slice(0, 12))}`
        : 'check the spelling, or declare the dimension';
  }
  const message =
    ctx.unknownCode === 'unknown-dimension'
      ? `\`${ref.name.text}\` is not a dimension of \`${root.name}\` or of the sources it reaches.`
      : `\`${ref.name.text}\` is not a column or dimension of \`${root.name}\`, nor a dimension of the sources it reaches.`;
  reportError(ctx.sink, ctx.unknownCode, ctx.file, ref.span, message, { help });
}
