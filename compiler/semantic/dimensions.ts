// Dimensions: plain (a column), computed (a row-level expression) and
// aggregated (one value per key, from a source that links here). They
// resolve on demand, because one may use another (`cohort` uses
// `first_order_at`); a dimension met again while it resolves is a cycle.

import type { CallExpr, ComputedDimensionItem, Expr } from '../syntax/ast.ts';
import type { Dimension, JoinPath, Link, RExpr } from './model.ts';
import { checkDepth, expressionDepth } from './depth.ts';
import { displayName, nameKey } from './names.ts';
import { aggregateOf, bindAggregate } from './aggregate.ts';
import type { BindContext } from './bind-ref.ts';
import { bindRow, expectBoolean } from './bind-expr.ts';
import { formatPlace, reportError } from './report.ts';
import type { DimensionInfo, Scope } from './scope.ts';
import { describePath, inlinedDepth, passesLeftOut } from './scope.ts';
import type { DimensionDecl, ResolveState, SourceState } from './state.ts';
import { findColumn } from './source-items.ts';

/**
 * The scope's `dimension` lookup for a model being built. A dimension that
 * fails (reported at its definition) is remembered, so that it is reported
 * once and every expression using it fails silently; the members of a cycle
 * all fail, so the model never holds a dimension defined by itself.
 */
export function lookupDimension(
  state: ResolveState,
  scope: Scope,
  sourceKey: string,
  key: string,
): DimensionInfo | undefined {
  const source = state.sources.get(sourceKey);
  const decl = source?.dimensionDecls.get(key);
  if (!source || !decl || source.failedDimensions.has(key)) return undefined;
  const done = source.dimensions.get(key);
  if (done) return infoOf(done, source.dimensionDepths.get(key));
  if (source.resolving.has(key)) {
    reportError(
      state.sink,
      'dimension-cycle',
      source.file,
      decl.name.span,
      `the dimension \`${decl.name.text}\` of \`${source.decl.name.text}\` is defined in terms of itself.`,
      { help: 'define it from columns, or from dimensions that do not use it' },
    );
    return undefined;
  }
  source.resolving.add(key);
  const dimension = resolveDimension(state, scope, source, decl);
  source.resolving.delete(key);
  // How deep it nests once inlined: computed from the dimensions it uses, already resolved.
  const depth =
    dimension?.kind === 'computed' ? expressionDepth(dimension.expr, (node) => inlinedDepth(scope, node)) : undefined;
  const shallow =
    depth === undefined ||
    checkDepth(state.sink, source.file, decl.kind === 'expr' ? decl.item.expr : undefined, 'this dimension', {
      depth,
      inlined: true,
    });
  if (!dimension || !shallow) {
    source.failedDimensions.add(key);
    return undefined;
  }
  source.dimensions.set(key, dimension);
  if (depth !== undefined) source.dimensionDepths.set(key, depth);
  return infoOf(dimension, depth);
}

/** Resolve every declared dimension (those no expression used yet). */
export function resolveAllDimensions(state: ResolveState, scope: Scope): void {
  for (const source of state.sources.values()) {
    for (const key of source.dimensionDecls.keys()) scope.dimension(source.key, key);
  }
}

function infoOf(dimension: Dimension, depth: number | undefined): DimensionInfo {
  const info = { name: dimension.name, source: dimension.source, kind: dimension.kind, type: dimension.type };
  if (dimension.kind === 'column') return { ...info, column: dimension.column };
  return depth === undefined ? info : { ...info, depth };
}

function resolveDimension(
  state: ResolveState,
  scope: Scope,
  source: SourceState,
  decl: DimensionDecl,
): Dimension | undefined {
  const origin = { file: source.file, nameSpan: decl.name.span, name: displayName(decl.name.text), source: source.key };
  if (decl.kind === 'column') {
    const column = findColumn(state, source, decl.name, 'declared as a dimension');
    if (!column) return undefined;
    return {
      ...origin,
      kind: 'column',
      span: decl.span,
      column: column.name,
      type: column.type,
      internal: decl.internal,
    };
  }
  const item = decl.item;
  const base = { ...origin, span: item.span, internal: item.internal };
  const shallow = checkDepth(state.sink, source.file, item.expr, 'this dimension');
  if (!checkDepth(state.sink, source.file, item.where, 'this condition') || !shallow) return undefined;
  const aggregate = aggregateOf(item.expr);
  if (aggregate) return resolveAggregated(state, scope, source, item, base);
  const ctx: BindContext = { ...rowContext(state, scope, source), defining: nameKey(decl.name.text) };
  const expr = bindRow(ctx, item.expr);
  if (item.where) {
    reportError(
      state.sink,
      'unexpected-where',
      source.file,
      item.where.span,
      `\`where\` filters the rows an aggregated dimension aggregates, but \`${decl.name.text}\` is not aggregated.`,
      {
        help: 'use `case when ... then ... end` in the expression, or aggregate: `dimension x = count(orders.order_id) where ...`',
      },
    );
  }
  return expr && { ...base, kind: 'computed', expr, type: expr.type };
}

/**
 * `expression-too-deep` at `written` when a bound expression nests too deep
 * once the computed dimensions it uses are inlined.
 */
export function checkInlinedDepth(
  ctx: BindContext,
  bound: RExpr | undefined,
  written: Expr | undefined,
  what: string,
): boolean {
  if (!bound || !written) return true;
  const depth = expressionDepth(bound, (node) => inlinedDepth(ctx.scope, node));
  return checkDepth(ctx.sink, ctx.file, written, what, { depth, inlined: true });
}

/** A context for expressions evaluated per row of `source`. */
export function rowContext(state: ResolveState, scope: Scope, source: SourceState): BindContext {
  return {
    scope,
    root: source.key,
    file: source.file,
    sink: state.sink,
    unreachable: 'error',
    unknownCode: 'unknown-column',
    collected: [],
  };
}

type AggregatedBase = Pick<Dimension, 'file' | 'nameSpan' | 'name' | 'source' | 'span' | 'internal'>;

function resolveAggregated(
  state: ResolveState,
  scope: Scope,
  source: SourceState,
  item: ComputedDimensionItem,
  base: AggregatedBase,
): Dimension | undefined {
  const call = item.expr as CallExpr;
  const aggregate = aggregateOf(call)!;
  const linked = findLinkedSource(state, scope, source, item);
  if (!linked) return undefined;
  const { from, path } = linked;
  const link = path[path.length - 1]!;
  const ctx: BindContext = { ...rowContext(state, scope, from), home: { source: source.key, path } };
  const bound = bindAggregate(ctx, call, aggregate);
  const where = item.where
    ? expectBoolean(ctx, bindRow(ctx, item.where), 'the `where` of an aggregated dimension')
    : undefined;
  if (!bound || (item.where && !where)) return undefined;
  if (
    !checkInlinedDepth(ctx, bound.arg, call.args?.[0], 'this argument') ||
    !checkInlinedDepth(ctx, where, item.where, 'this condition')
  )
    return undefined;
  const dimension: Dimension = { ...base, kind: 'aggregated', aggregate, type: bound.type, from: from.key, link, path };
  return {
    ...dimension,
    ...(bound.arg ? { arg: bound.arg } : {}),
    ...(bound.percentile ? { percentile: bound.percentile } : {}),
    ...(where ? { where } : {}),
  };
}

/**
 * The source whose rows an aggregated dimension aggregates: the first source
 * other than this one that qualifies a name of the aggregate's arguments
 * (`min(orders.ordered_at)`), and its one shortest many-to-one path to this
 * source, at any depth (`usage -> subscriptions -> accounts`).
 */
function findLinkedSource(
  state: ResolveState,
  scope: Scope,
  source: SourceState,
  item: ComputedDimensionItem,
): { from: SourceState; path: JoinPath } | undefined {
  const call = item.expr as CallExpr;
  const qualifier = firstForeignQualifier(call.args ?? [], source.key);
  const name = source.decl.name.text;
  if (!qualifier) {
    reportError(
      state.sink,
      'aggregate-source',
      source.file,
      call.span,
      `an aggregated dimension aggregates the rows of a source that links to \`${name}\`, but this aggregate names none.`,
      { help: `qualify the argument with that source, e.g. \`count(orders.order_id)\` or \`min(orders.ordered_at)\`` },
    );
    return undefined;
  }
  const from = state.sources.get(nameKey(qualifier.text));
  // Left out of the model for an error reported there: its rows cannot be aggregated, and there is nothing more to say.
  if (from && from.relation === undefined) return undefined;
  if (!from) {
    reportError(
      state.sink,
      'unknown-source',
      source.file,
      qualifier.span,
      `\`${qualifier.text}\` is not a source of the project.`,
      { help: `an aggregated dimension of \`${name}\` aggregates a source that links to it` },
    );
    return undefined;
  }
  const links = from.links.filter((l) => l.to === source.key);
  if (links.length === 1) return { from, path: [links[0]!] };
  if (links.length > 1) {
    reportError(
      state.sink,
      'ambiguous-path',
      source.file,
      qualifier.span,
      `\`${from.decl.name.text}\` links to \`${name}\` more than once, so which rows belong to a \`${name}\` key is ambiguous.`,
      {
        help: `keep one link from \`${from.decl.name.text}\` to \`${name}\``,
        notes: links.map((l) => `link: ${formatPlace(l.file, l.span)}`),
      },
    );
    return undefined;
  }
  const entry = scope.reach(from.key).entries.get(source.key);
  const names = (key: string) => scope.sources.get(key)?.name ?? key;
  if (entry && passesLeftOut(scope, entry.path)) return undefined;
  if (entry?.alternative) {
    reportError(
      state.sink,
      'ambiguous-path',
      source.file,
      qualifier.span,
      `\`${from.decl.name.text}\` reaches \`${name}\` along two paths of the same length (${describePath(from.key, entry.path, names)} and ${describePath(from.key, entry.alternative, names)}), so which rows belong to a \`${name}\` key is ambiguous.`,
      { help: 'remove one of the links, or aggregate a source with one way to it' },
    );
    return undefined;
  }
  if (entry) return { from, path: entry.path };
  const fanOut = findFanOut(scope, from.key, source.key);
  if (fanOut) {
    const l = fanOut;
    reportError(
      state.sink,
      'aggregate-source',
      source.file,
      qualifier.span,
      `\`${from.decl.name.text}\` reaches \`${name}\` only through the link \`${names(l.from)}.${l.fromColumn} -> ${names(l.to)}.${l.toColumn}\` taken backwards: one \`${names(l.to)}\` row has many \`${names(l.from)}\` rows, so each \`${from.decl.name.text}\` row would count once per \`${names(l.from)}\` row.`,
      {
        help: `aggregate a source that reaches \`${name}\` through many-to-one links only, or add a link from \`${from.decl.name.text}\` towards \`${name}\``,
      },
    );
    return undefined;
  }
  reportError(
    state.sink,
    'aggregate-source',
    source.file,
    qualifier.span,
    `\`${from.decl.name.text}\` has no link to \`${name}\`, so its rows cannot be aggregated per \`${name}\` key.`,
    {
      help: `add \`${source.key === state.customer ? 'customer COLUMN' : `join ${name} on COLUMN`}\` to \`${from.decl.name.text}\``,
    },
  );
  return undefined;
}

/**
 * When `target` is reachable from `root` only by also walking links
 * backwards (one-to-many), the first link so walked on a shortest such path:
 * the link that fans out.
 */
function findFanOut(scope: Scope, root: string, target: string): Link | undefined {
  const allLinks = [...scope.sources.values()].flatMap((s) => (s.leftOut ? [] : s.links));
  const seen = new Map<string, Link | null>([[root, null]]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const link of allLinks) {
      const forward = link.from === at ? link.to : undefined;
      const backward = link.to === at ? link.from : undefined;
      for (const [next, fans] of [
        [forward, false],
        [backward, true],
      ] as const) {
        if (next === undefined || seen.has(next) || !scope.sources.has(next)) continue;
        seen.set(next, seen.get(at) ?? (fans ? link : null));
        if (next === target) return seen.get(next) ?? undefined;
        queue.push(next);
      }
    }
  }
  return undefined;
}

function firstForeignQualifier(exprs: readonly Expr[], home: string): Extract<Expr, { kind: 'ref' }>['qualifier'] {
  for (const expr of exprs) {
    const found = findQualifier(expr, home);
    if (found) return found;
  }
  return undefined;
}

function findQualifier(expr: Expr | undefined, home: string): Extract<Expr, { kind: 'ref' }>['qualifier'] {
  if (!expr) return undefined;
  if (expr.kind === 'ref') return expr.qualifier && nameKey(expr.qualifier.text) !== home ? expr.qualifier : undefined;
  const children: (Expr | undefined)[] =
    expr.kind === 'unary' || expr.kind === 'is-null'
      ? [expr.operand]
      : expr.kind === 'binary'
        ? [expr.left, expr.right]
        : expr.kind === 'in'
          ? [expr.operand, ...expr.values]
          : expr.kind === 'between'
            ? [expr.operand, expr.low, expr.high]
            : expr.kind === 'case'
              ? [...expr.whens.flatMap((w) => [w.when, w.then]), expr.else]
              : expr.kind === 'call'
                ? [...expr.args]
                : [];
  for (const child of children) {
    const found = findQualifier(child, home);
    if (found) return found;
  }
  return undefined;
}
