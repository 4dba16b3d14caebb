// The resolver: parsed files and the data's schema in, the Model out.
//
// Phases, each over every source in declaration order (files sorted by
// path, then position), so the result does not depend on the order the
// files were read:
//   1. declarations: unique names, one customer entity
//   2. relations: what each source reads and its columns (derived sources after their parents)
//   3. items: key, links, time, validity; dimension names
//   4. dimensions (on demand, as expressions meet them), measures, checks
//   5. KPIs

import type { Diagnostic, Result } from '../diagnostics.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import type { KpiFile } from '../syntax/ast.ts';
import type { Catalog } from './catalog.ts';
import { collectDeclarations } from './declarations.ts';
import { lookupDimension, resolveAllDimensions } from './dimensions.ts';
import { resolveKpis } from './kpis.ts';
import { resolveMeasuresAndChecks } from './measures.ts';
import type { Dimension, Kpi, Model, Source } from './model.ts';
import type { Sink } from './report.ts';
import type { Reach, Scope, ScopeSource } from './scope.ts';
import { computeReach } from './scope.ts';
import { resolveSourceRelations } from './source-relations.ts';
import { resolveSourceItems } from './source-items.ts';
import type { ResolveState, SourceState } from './state.ts';
import { resolveTimezone } from './timezone.ts';
import { displayName } from './names.ts';

export interface ResolveOptions {
  /** The project's IANA time zone (kpic.yaml `timezone`); default `UTC`. */
  readonly timezone?: string;
}

/**
 * Resolve names and check types of a whole project against the catalog.
 * Never throws on a malformed AST; with errors, the model holds what could
 * be resolved.
 */
export function resolveProject(
  files: readonly KpiFile[],
  catalog: Catalog,
  options: ResolveOptions = {},
): Result<Model> {
  const sink: Sink = [];
  const sorted = [...files]
    .filter((f) => f && typeof f === 'object')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const state: ResolveState = {
    sink,
    sources: new Map(),
    kpis: new Map(),
    measures: new Map(),
    declaredMeasures: new Map(),
  };
  const timezone = resolveTimezone(options.timezone, sink);
  collectDeclarations(sorted, state);
  resolveSourceRelations(state, catalog);
  resolveSourceItems(state);
  const scope = resolverScope(state);
  resolveAllDimensions(state, scope);
  resolveMeasuresAndChecks(state, scope);
  const kpis = resolveKpis(state, scope);
  const model = buildModel(state, kpis, sorted, timezone);
  return { value: model, diagnostics: dedupe(sortDiagnostics(sink)) };
}

/** The scope of the model being built: dimensions resolve when first looked up. */
function resolverScope(state: ResolveState): Scope {
  const sources = new Map<string, ScopeSource>();
  const owners = new Map<string, string[]>();
  for (const [key, source] of state.sources) {
    const dimensionNames = new Map([...source.dimensionDecls].map(([k, d]) => [k, displayName(d.name.text)]));
    for (const dimKey of dimensionNames.keys()) owners.set(dimKey, [...(owners.get(dimKey) ?? []), key]);
    const leftOut = source.relation === undefined;
    sources.set(key, {
      key,
      name: displayName(source.decl.name.text),
      columns: source.columns,
      schemaKnown: source.schemaKnown && !source.broken,
      links: source.links,
      dimensionNames,
      ...(leftOut ? { leftOut } : {}),
    });
  }
  for (const list of owners.values()) list.sort();
  const reaches = new Map<string, Reach>();
  const scope: Scope = {
    sources,
    dimension: (source, key) => lookupDimension(state, scope, source, key),
    reach(root) {
      let reach = reaches.get(root);
      if (!reach) {
        reach = computeReach(root, sources);
        reaches.set(root, reach);
      }
      return reach;
    },
    dimensionOwners: (key) => owners.get(key) ?? [],
    isMeasure: (key) => state.declaredMeasures.has(key),
  };
  state.scope = scope;
  return scope;
}

/**
 * Assemble the model. A source whose relation could not be resolved (bad
 * path, unknown parent, cycle) is left out, with its measures, the KPIs
 * using them and the links to it: nothing downstream may try to read it.
 */
function buildModel(
  state: ResolveState,
  kpis: ReadonlyMap<string, Kpi>,
  files: readonly KpiFile[],
  timezone: string,
): Model {
  const kept = new Set([...state.sources.values()].filter((s) => s.relation !== undefined).map((s) => s.key));
  const sources = new Map<string, Source>();
  for (const [key, source] of state.sources) if (kept.has(key)) sources.set(key, buildSource(state, source, kept));
  const measures = new Map([...state.measures].filter(([, m]) => kept.has(m.source)));
  const usable = new Map([...kpis].filter(([, k]) => k.measures.every((m) => measures.has(m))));
  const customer = state.customer && kept.has(state.customer) ? { customer: state.customer } : {};
  return { sources, measures, kpis: usable, files, timezone, ...customer };
}

function buildSource(state: ResolveState, source: SourceState, kept: ReadonlySet<string>): Source {
  const decl = source.decl;
  const optional: Record<string, unknown> = {
    key: source.keyColumn,
    time: source.time,
    valid: source.valid,
    description: source.description,
  };
  return {
    kind: 'source',
    name: displayName(decl.name.text),
    file: source.file,
    span: decl.span,
    nameSpan: decl.name.span,
    isCustomer: source.key === state.customer,
    relation: source.relation!,
    columns: source.columns,
    schemaKnown: source.schemaKnown,
    links: source.links.filter((link) => kept.has(link.to)),
    dimensions: orderedDimensions(source),
    measures: source.measures.filter((m) => state.measures.has(m)),
    checks: source.checks,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  } as Source;
}

/** Dimensions in declaration order (they were resolved on demand, in any order). */
function orderedDimensions(source: SourceState): Map<string, Dimension> {
  const ordered = new Map<string, Dimension>();
  for (const key of source.dimensionDecls.keys()) {
    const dimension = source.dimensions.get(key);
    if (dimension) ordered.set(key, dimension);
  }
  return ordered;
}

/** The same problem can be found twice (a dimension used by several expressions): keep one. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const id = `${d.file}\0${d.span.start.offset}\0${d.span.end.offset}\0${d.code}\0${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
