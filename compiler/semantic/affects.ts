// Which of a project's errors can change a KPI's numbers.
//
// An error in one declaration should not stop the KPIs that do not depend on
// it: `run`, `compile` and `test` of a sound KPI report the other errors and
// go on. An error blocks a KPI when it is in a file the KPI depends on and
// not inside a declaration or item the KPI does not use: another KPI, a
// source it does not read, a dimension it never names, a measure it does
// not use. Dependence on dimensions is by name, closed over the
// definitions of the dimensions named, so it errs on the side of blocking.

import type { Diagnostic } from '../diagnostics.ts';
import type { Expr, KpiDecl, SourceDecl, Span } from '../syntax/ast.ts';
import { derivedRefs } from './derived-value.ts';
import type { Kpi, Model } from './model.ts';
import { nameKey } from './names.ts';
import { scopeOfModel } from './scope.ts';

/** What a query adds to a KPI's names: its `--where` and `--by`. */
export interface QueryNames {
  readonly where?: Expr | undefined;
  readonly by?: readonly { readonly qualifier?: string | undefined; readonly name: string }[] | undefined;
}

/** The errors among `diagnostics` that can change `kpi`'s numbers. */
export function errorsAffecting(
  model: Model,
  kpi: Kpi,
  diagnostics: readonly Diagnostic[],
  query: QueryNames = {},
): Diagnostic[] {
  const deps = dependenciesOf(model, kpi, query);
  return diagnostics.filter(
    (d) =>
      d.severity === 'error' &&
      deps.files.has(d.file) &&
      !deps.unrelated.some((u) => u.file === d.file && within(d.span, u.span)),
  );
}

/**
 * The errors that keep a declared KPI out of the model (`name`, any case):
 * those in its declaration, in the KPIs it names (declared, resolved or
 * not, and theirs in turn), in the measures it names and in the sources of
 * those measures, as for a resolved KPI. Empty when the KPI is not declared.
 */
export function errorsOfDeclaredKpi(model: Model, name: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const decls = declarations(model);
  const start = nameKey(name);
  if (!decls.kpis.has(start)) return [];
  const kpis = new Set<string>([start]);
  const pending = [start];
  while (pending.length > 0) {
    const key = pending.pop()!;
    const resolved = model.kpis.get(key);
    const next = resolved
      ? [...kpiClosure(model, resolved)]
      : [...namesIn(decls.kpis.get(key))].filter((n) => decls.kpis.has(n));
    for (const n of next)
      if (!kpis.has(n)) {
        kpis.add(n);
        pending.push(n);
      }
  }
  const measures = new Set<string>();
  for (const key of kpis) {
    const resolved = model.kpis.get(key);
    for (const m of resolved
      ? resolved.measures
      : [...namesIn(decls.kpis.get(key))].filter((n) => decls.measures.has(n)))
      measures.add(m);
  }
  const deps = dependenciesOfNames(model, decls, kpis, measures, {});
  return diagnostics.filter(
    (d) =>
      d.severity === 'error' &&
      deps.files.has(d.file) &&
      !deps.unrelated.some((u) => u.file === d.file && within(d.span, u.span)),
  );
}

function namesIn(node: unknown): Set<string> {
  const out = new Set<string>();
  if (node) collectNames(node, out);
  return out;
}

interface Dependencies {
  readonly files: Set<string>;
  /** Declarations and items, in the files above, that the KPI does not use. */
  readonly unrelated: { readonly file: string; readonly span: Span }[];
}

function dependenciesOf(model: Model, kpi: Kpi, query: QueryNames): Dependencies {
  const kpis = kpiClosure(model, kpi);
  const measures = new Set([...kpis].flatMap((k) => model.kpis.get(k)?.measures ?? []));
  return dependenciesOfNames(model, declarations(model), kpis, measures, query);
}

function dependenciesOfNames(
  model: Model,
  decls: Declarations,
  kpis: ReadonlySet<string>,
  measures: ReadonlySet<string>,
  query: QueryNames,
): Dependencies {
  const names = new Set<string>();
  for (const key of kpis) {
    const decl = decls.kpis.get(key);
    if (decl) collectNames(decl, names);
  }
  if (query.where) collectNames(query.where, names);
  for (const d of query.by ?? []) {
    names.add(nameKey(d.name));
    if (d.qualifier) names.add(nameKey(d.qualifier));
  }
  const sources = new Set<string>();
  for (const m of measures) {
    // A measure that did not resolve is not in the model: its declaration says where it is.
    const source = model.measures.get(m)?.source ?? decls.measureSources.get(m);
    if (source === undefined) continue;
    sources.add(source);
    const item = decls.measures.get(m);
    if (item) collectNames(item, names);
  }
  if (model.customer) sources.add(model.customer);
  const scope = scopeOfModel(model);
  for (const s of [...sources]) for (const key of scope.reach(s).entries.keys()) sources.add(key);
  // Checks filter the rows of every measure of their source.
  for (const s of sources)
    for (const item of decls.sources.get(s)?.items ?? []) if (item?.kind === 'check') collectNames(item, names);
  closeOverDimensions(decls, names);
  for (const name of names) if (decls.sources.has(name)) sources.add(name);
  for (const s of [...sources]) addParents(model, s, sources);

  const files = new Set<string>(['kpic.yaml']);
  for (const key of kpis) {
    const k = model.kpis.get(key);
    const declaredIn = decls.kpiFiles.get(key);
    if (declaredIn !== undefined) files.add(declaredIn);
    if (k) files.add(k.file);
    for (const { path } of k?.customerPaths ?? []) for (const link of path) files.add(link.file);
  }
  for (const m of measures) {
    const measure = model.measures.get(m);
    if (measure) files.add(measure.file);
  }
  for (const s of sources) {
    const source = model.sources.get(s);
    if (source) files.add(source.file);
    const declaredIn = decls.sourceFiles.get(s);
    if (declaredIn !== undefined) files.add(declaredIn);
  }
  const unrelated: Dependencies['unrelated'] = [];
  for (const file of model.files) {
    if (!files.has(file.path)) continue;
    for (const decl of file.declarations ?? []) {
      if (!decl?.name) continue;
      const key = nameKey(decl.name.text);
      if (decl.kind === 'kpi') {
        if (!kpis.has(key)) unrelated.push({ file: file.path, span: decl.span });
      } else if (!sources.has(key)) unrelated.push({ file: file.path, span: decl.span });
      else for (const span of unusedItems(decl, names, measures)) unrelated.push({ file: file.path, span });
    }
  }
  return { files, unrelated };
}

/** The KPI and every KPI it is derived from, directly or not. */
function kpiClosure(model: Model, kpi: Kpi): Set<string> {
  const out = new Set<string>([nameKey(kpi.name)]);
  const pending = [kpi];
  while (pending.length > 0) {
    const k = pending.pop()!;
    for (const ref of k.derived ? derivedRefs(k.derived) : []) {
      const input = model.kpis.get(ref.kpi);
      if (input && !out.has(ref.kpi)) {
        out.add(ref.kpi);
        pending.push(input);
      }
    }
  }
  return out;
}

interface Declarations {
  readonly kpis: Map<string, KpiDecl>;
  readonly kpiFiles: Map<string, string>;
  readonly sources: Map<string, SourceDecl>;
  readonly sourceFiles: Map<string, string>;
  readonly measures: Map<string, object>;
  /** Measure -> the source that declares it. */
  readonly measureSources: Map<string, string>;
  /** Computed dimensions by name: every definition of that name (sources may share one). */
  readonly dimensions: Map<string, object[]>;
}

function declarations(model: Model): Declarations {
  const out: Declarations = {
    kpis: new Map(),
    kpiFiles: new Map(),
    sources: new Map(),
    sourceFiles: new Map(),
    measures: new Map(),
    measureSources: new Map(),
    dimensions: new Map(),
  };
  for (const file of model.files) {
    for (const decl of file.declarations ?? []) {
      if (!decl?.name) continue;
      const key = nameKey(decl.name.text);
      if (decl.kind === 'kpi') {
        if (!out.kpis.has(key)) {
          out.kpis.set(key, decl);
          out.kpiFiles.set(key, file.path);
        }
        continue;
      }
      if (!out.sources.has(key)) {
        out.sources.set(key, decl);
        out.sourceFiles.set(key, file.path);
      }
      for (const item of decl.items ?? []) {
        if (item?.kind === 'measure' && item.name) {
          out.measures.set(nameKey(item.name.text), item);
          out.measureSources.set(nameKey(item.name.text), key);
        }
        if (item?.kind === 'computed-dimension' && item.name) {
          const k = nameKey(item.name.text);
          out.dimensions.set(k, [...(out.dimensions.get(k) ?? []), item]);
        }
      }
    }
  }
  return out;
}

/** Add the names the definitions of named dimensions use, until nothing new appears. */
function closeOverDimensions(decls: Declarations, names: Set<string>): void {
  const done = new Set<string>();
  let pending = [...names];
  while (pending.length > 0) {
    const next: string[] = [];
    for (const name of pending) {
      if (done.has(name)) continue;
      done.add(name);
      for (const item of decls.dimensions.get(name) ?? []) {
        const before = new Set(names);
        collectNames(item, names);
        for (const n of names) if (!before.has(n)) next.push(n);
      }
    }
    pending = next;
  }
}

/** A derived source reads its parent's rows. */
function addParents(model: Model, key: string, into: Set<string>): void {
  let relation = model.sources.get(key)?.relation;
  while (relation && relation.kind === 'derived' && !into.has(relation.source)) {
    into.add(relation.source);
    relation = model.sources.get(relation.source)?.relation;
  }
}

/** Dimension and measure items of a source that the KPI never names. */
function unusedItems(decl: SourceDecl, names: ReadonlySet<string>, measures: ReadonlySet<string>): Span[] {
  const out: Span[] = [];
  for (const item of decl.items ?? []) {
    if (item?.kind === 'computed-dimension' && item.name && !names.has(nameKey(item.name.text))) out.push(item.span);
    if (item?.kind === 'dimensions' && (item.names ?? []).every((n) => !names.has(nameKey(n.text))))
      out.push(item.span);
    if (item?.kind === 'measure' && item.name && !measures.has(nameKey(item.name.text))) out.push(item.span);
  }
  return out;
}

/** Every name and qualifier written anywhere under `node` (an AST node), lower-cased. */
function collectNames(node: unknown, into: Set<string>): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      stack.push(...n);
      continue;
    }
    const record = n as Record<string, unknown>;
    if (record['kind'] === 'name' && typeof record['text'] === 'string') into.add(nameKey(record['text']));
    for (const [field, value] of Object.entries(record))
      if (field !== 'span' && value && typeof value === 'object') stack.push(value);
  }
}

function within(inner: Span, outer: Span): boolean {
  return inner.start.offset >= outer.start.offset && inner.end.offset <= outer.end.offset;
}
