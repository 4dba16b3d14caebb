// Checking a KPI's dimension expressions (`segment by`, `where`, `for`)
// against every source its measures come from. A name is fine when at
// least one of those sources resolves it; the planner broadcasts the others.

import type { Diagnostic } from '../diagnostics.ts';
import type { Expr } from '../syntax/ast.ts';
import { bindAtRoot } from './bind.ts';
import type { Sink } from './report.ts';
import { listNames, reportError } from './report.ts';
import type { Scope } from './scope.ts';
import { nameKey } from './names.ts';

/** Codes that mean "this name does not resolve here". */
const NAME_CODES = new Set(['unknown-dimension', 'ambiguous-name', 'ambiguous-path']);

/** Report the problems of `expr` bound at each of `roots` (sorted source keys). */
export function checkAtRoots(
  scope: Scope,
  roots: readonly string[],
  expr: Expr,
  file: string,
  sink: Sink,
  predicate: boolean,
): void {
  if (roots.length === 0 || !expr) return;
  // Per root: the places (span ends) where a name failed, and whether each failed only for lack of reach.
  const failures: Set<number>[] = [];
  const unreachableEverywhere = new Map<number, { name: string; qualifier?: string; span: Diagnostic['span'] }>();
  const seen = new Set<string>();
  const kept: Diagnostic[] = [];
  const nameDiagnostics: Diagnostic[] = [];
  roots.forEach((root, index) => {
    const bound = bindAtRoot(scope, root, expr, file, { predicate });
    const failed = new Set<number>();
    for (const name of bound.unreachable) {
      failed.add(name.span.end.offset);
      if (index === 0) unreachableEverywhere.set(name.span.end.offset, name);
    }
    for (const diagnostic of bound.diagnostics) {
      if (NAME_CODES.has(diagnostic.code)) failed.add(diagnostic.span.end.offset);
      const id = `${diagnostic.code}@${diagnostic.span.start.offset}:${diagnostic.span.end.offset}`;
      if (seen.has(id)) continue;
      seen.add(id);
      (NAME_CODES.has(diagnostic.code) ? nameDiagnostics : kept).push(diagnostic);
    }
    for (const end of unreachableEverywhere.keys())
      if (!bound.unreachable.some((n) => n.span.end.offset === end)) unreachableEverywhere.delete(end);
    failures.push(failed);
  });
  const failsEverywhere = (end: number) => failures.every((failed) => failed.has(end));
  sink.push(...kept, ...nameDiagnostics.filter((d) => failsEverywhere(d.span.end.offset)));
  for (const name of unreachableEverywhere.values()) {
    const owners = name.qualifier ? [name.qualifier] : ownersOf(scope, name.name);
    const measureSources = roots.map((r) => scope.sources.get(r)?.name ?? r);
    reportError(
      sink,
      'unknown-dimension',
      file,
      name.span,
      `\`${name.qualifier ? `${name.qualifier}.` : ''}${name.name}\` is ${name.qualifier ? 'on' : 'a dimension or column of'} ${listNames(owners)}, which none of the KPI's measure sources (${listNames(measureSources)}) reaches by many-to-one links.`,
      {
        help: `link ${listNames(measureSources)} to ${listNames(owners)} (\`join\` or \`customer\`), or segment by a dimension they reach`,
      },
    );
  }
}

/** The sources with a dimension or (failing that) a column of this name, by display name. */
function ownersOf(scope: Scope, name: string): string[] {
  const key = nameKey(name);
  const dimensionOwners = scope.dimensionOwners(key);
  const owners =
    dimensionOwners.length > 0
      ? dimensionOwners
      : [...scope.sources.values()]
          .filter((s) => !s.leftOut && s.columns.has(key))
          .map((s) => s.key)
          .sort();
  return owners.map((k) => scope.sources.get(k)?.name ?? k);
}
