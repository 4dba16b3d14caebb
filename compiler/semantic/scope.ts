// What name resolution sees of the project: sources, their columns and
// dimensions, and the many-to-one links between them.
//
// The resolver builds a scope while the model is still being made (its
// dimensions resolve lazily); `bindExpr` builds one over a finished Model.

import type { ScalarType } from './catalog.ts';
import { expressionDepth } from './depth.ts';
import type { Column, Dimension, JoinPath, Link, Model, RExpr } from './model.ts';
import { nameKey } from './names.ts';

export interface ScopeSource {
  readonly key: string;
  readonly name: string;
  readonly columns: ReadonlyMap<string, Column>;
  readonly schemaKnown: boolean;
  readonly links: readonly Link[];
  /** Declared dimension names (lower-cased -> as declared), known before their types are. */
  readonly dimensionNames: ReadonlyMap<string, string>;
  /**
   * The source is left out of the model (its relation could not be
   * determined; reported there): names reached through it do not bind, and
   * say nothing more.
   */
  readonly leftOut?: boolean;
}

/** What a reference to a dimension needs to know. */
export interface DimensionInfo {
  readonly name: string;
  readonly source: string;
  readonly kind: Dimension['kind'];
  /** For a plain dimension: the column as the data spells it. */
  readonly column?: string;
  readonly type: ScalarType;
  /** For a computed dimension: the operator depth of its expression once the planner inlines it (see depth.ts). */
  readonly depth?: number;
}

/** How a source is reached from a root: the shortest many-to-one path. */
export interface ReachEntry {
  readonly source: string;
  readonly distance: number;
  readonly path: JoinPath;
  /** A second shortest path, when the way is ambiguous. */
  readonly alternative?: JoinPath;
}

export interface Reach {
  readonly entries: ReadonlyMap<string, ReachEntry>;
  /** Reached sources, nearest first (ties in discovery order: declaration order of links). */
  readonly ordered: readonly ReachEntry[];
}

export interface Scope {
  readonly sources: ReadonlyMap<string, ScopeSource>;
  /** A dimension of a source by lower-cased name; may resolve it on demand. */
  dimension(source: string, key: string): DimensionInfo | undefined;
  /** The sources reachable from `root` (root excluded). Cached. */
  reach(root: string): Reach;
  /** Sources declaring a dimension with this lower-cased name, in key order. */
  dimensionOwners(key: string): readonly string[];
  /** Sources with a measure of this lower-cased name: row-level expressions may not use it. */
  isMeasure(key: string): boolean;
}

/**
 * Breadth-first search over links from `root`. A source reached at the same
 * distance along two different link sequences is ambiguous, and so is every
 * source reached through it.
 */
export function computeReach(root: string, sources: ReadonlyMap<string, ScopeSource>): Reach {
  const entries = new Map<string, ReachEntry>();
  const ordered: ReachEntry[] = [];
  const queue: ReachEntry[] = [{ source: root, distance: 0, path: [] }];
  for (let i = 0; i < queue.length; i++) {
    // Re-read the entry: its ambiguity may have been found after it was queued.
    const current = i === 0 ? queue[0]! : entries.get(queue[i]!.source)!;
    for (const link of sources.get(current.source)?.links ?? []) {
      if (link.to === root || !sources.has(link.to)) continue;
      const path = [...current.path, link];
      const seen = entries.get(link.to);
      if (!seen) {
        const entry: ReachEntry = current.alternative
          ? { source: link.to, distance: current.distance + 1, path, alternative: [...current.alternative, link] }
          : { source: link.to, distance: current.distance + 1, path };
        entries.set(link.to, entry);
        ordered.push(entry);
        queue.push(entry);
      } else if (seen.distance === current.distance + 1 && !seen.alternative) {
        entries.set(link.to, { ...seen, alternative: path });
      }
    }
  }
  return { entries, ordered: ordered.map((entry) => entries.get(entry.source)!) };
}

/** The depth a bound `dimension` node stands for once inlined: its computed expression's, else 0. */
export function inlinedDepth(scope: Scope, node: Extract<RExpr, { kind: 'dimension' }>): number {
  return scope.dimension(node.source, nameKey(node.name))?.depth ?? 0;
}

/** True when a path passes through a source left out of the model. */
export function passesLeftOut(scope: Scope, path: JoinPath): boolean {
  return path.some(
    (link) => scope.sources.get(link.to)?.leftOut === true || scope.sources.get(link.from)?.leftOut === true,
  );
}

/** Human text of a path: `orders -> customers`. */
export function describePath(root: string, path: JoinPath, names: (key: string) => string): string {
  return [names(root), ...path.map((link) => names(link.to))].join(' -> ');
}

const MODEL_SCOPES = new WeakMap<Model, Scope>();

/** The scope of a finished model (cached per model). */
export function scopeOfModel(model: Model): Scope {
  const cached = MODEL_SCOPES.get(model);
  if (cached) return cached;
  const sources = new Map<string, ScopeSource>();
  const owners = new Map<string, string[]>();
  for (const [key, source] of [...model.sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dimensionNames = new Map<string, string>();
    for (const [dimKey, dimension] of source.dimensions) {
      dimensionNames.set(dimKey, dimension.name);
      owners.set(dimKey, [...(owners.get(dimKey) ?? []), key]);
    }
    sources.set(key, {
      key,
      name: source.name,
      columns: source.columns,
      schemaKnown: source.schemaKnown,
      links: source.links,
      dimensionNames,
    });
  }
  const reaches = new Map<string, Reach>();
  const depths = new Map<string, number>();
  const scope: Scope = {
    sources,
    dimension(source, key) {
      const dimension = model.sources.get(source)?.dimensions.get(key);
      if (!dimension) return undefined;
      const info = { name: dimension.name, source, kind: dimension.kind, type: dimension.type };
      if (dimension.kind === 'column') return { ...info, column: dimension.column };
      if (dimension.kind !== 'computed') return info;
      // The model's dimensions are acyclic (the resolver refuses cycles): the recursion ends.
      const id = `${source}\0${key}`;
      let depth = depths.get(id);
      if (depth === undefined) {
        depth = expressionDepth(dimension.expr, (node) => inlinedDepth(scope, node));
        depths.set(id, depth);
      }
      return { ...info, depth };
    },
    reach(root) {
      let reach = reaches.get(root);
      if (!reach) {
        reach = computeReach(root, sources);
        reaches.set(root, reach);
      }
      return reach;
    },
    dimensionOwners: (key) => owners.get(key) ?? [],
    isMeasure: (key) => model.measures.has(key),
  };
  MODEL_SCOPES.set(model, scope);
  return scope;
}
