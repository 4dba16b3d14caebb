// Many-to-one links, checked against the data.
//
// A `customer` or `join` link says each row of its source meets at most one
// row of the target. The compiler relies on it (a row of a measure's source
// stays one row after its joins), but only the data can prove it: a key that
// repeats in the target would count the linked rows once per copy. Before a
// query runs, the key of every source it may join to is checked with one
// small query; a key that repeats is reported and the query is refused.

import { sql } from 'kysely';
import type { Diagnostic } from '../../compiler/index.ts';
import { db, sqlText } from '../../compiler/index.ts';
import { relationSql } from '../../compiler/index.ts';
import type { Expr } from '../../compiler/index.ts';
import { relationKey } from '../../compiler/index.ts';
import type { PhysicalRelation } from '../../compiler/index.ts';
import type { Link, Model } from '../../compiler/index.ts';
import { singleFile } from '../engine/catalog.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { Value } from '../engine/engine.ts';
import type { Project } from './open.ts';

/** A value of a target's key column that appears on more than one row. */
export interface DuplicateKey {
  readonly value: Value;
  readonly count: bigint;
}

/** The first duplicates found per `target|column`, cached for the life of the project (one command). */
const checked = new WeakMap<Project, Map<string, Promise<readonly DuplicateKey[]>>>();

/**
 * The links a query of `kpi` may follow: the links of its measures' sources
 * (a derived KPI's through the KPIs it names), the links of the sources those
 * reach, and of the sources their aggregated dimensions read.
 */
export function linksOfKpi(model: Model, kpi: string): Link[] {
  return linksFrom(model, measureSourcesOfKpi(model, kpi));
}

/**
 * Every source a query of `kpi` may read: its measures' sources (a derived
 * KPI's through the KPIs it names) and the sources their links reach.
 */
export function sourcesOfKpi(model: Model, kpi: string): string[] {
  const sources = new Set(measureSourcesOfKpi(model, kpi));
  for (const link of linksOfKpi(model, kpi)) {
    sources.add(link.from);
    sources.add(link.to);
  }
  return [...sources].sort();
}

function measureSourcesOfKpi(model: Model, kpi: string): string[] {
  const sources = new Set<string>();
  const seenKpis = new Set<string>();
  const pending = [kpi.toLowerCase()];
  while (pending.length > 0) {
    const next = model.kpis.get(pending.pop()!);
    if (!next || seenKpis.has(next.name.toLowerCase())) continue;
    seenKpis.add(next.name.toLowerCase());
    for (const key of next.measures) {
      const measure = model.measures.get(key);
      if (measure) sources.add(measure.source);
    }
    if (next.value) pending.push(...namesIn(next.value));
  }
  return [...sources];
}

/** Every link reachable from `roots` along links and aggregated dimensions, each once, in a stable order. */
export function linksFrom(model: Model, roots: readonly string[]): Link[] {
  const links = new Map<string, Link>();
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const source = model.sources.get(pending.pop()!);
    if (!source || seen.has(source.name.toLowerCase())) continue;
    seen.add(source.name.toLowerCase());
    for (const link of source.links) {
      links.set(`${link.from}.${link.fromColumn}>${link.to}.${link.toColumn}`, link);
      pending.push(link.to);
    }
    for (const dimension of source.dimensions.values())
      if (dimension.kind === 'aggregated') pending.push(dimension.from);
  }
  return [...links.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, link]) => link);
}

/**
 * One error per link whose target key repeats in the data. Targets whose
 * data cannot be read here (no schema, a derived source, unique by
 * construction) are skipped; an engine failure other than an interrupt is
 * left for the query itself to report.
 */
export async function checkLinkKeys(
  project: Project,
  links: readonly Link[],
  options: { timeoutMs?: number } = {},
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const link of links) {
    const duplicates = await duplicatesOf(project, link.to, link.toColumn, options.timeoutMs);
    if (duplicates.length > 0) diagnostics.push(nonUniqueKey(project.model, link, duplicates));
  }
  return diagnostics;
}

function duplicatesOf(
  project: Project,
  target: string,
  column: string,
  timeoutMs: number | undefined,
): Promise<readonly DuplicateKey[]> {
  let cache = checked.get(project);
  if (!cache) {
    cache = new Map();
    checked.set(project, cache);
  }
  const id = `${target}|${column.toLowerCase()}`;
  let found = cache.get(id);
  if (!found) {
    found = queryDuplicates(project, target, column, timeoutMs);
    cache.set(id, found);
  }
  return found;
}

async function queryDuplicates(
  project: Project,
  target: string,
  column: string,
  timeoutMs: number | undefined,
): Promise<readonly DuplicateKey[]> {
  const source = project.model.sources.get(target);
  if (!source || source.relation.kind === 'derived' || !source.schemaKnown) return [];
  // Data described from the schema snapshot is missing: nothing to check.
  if (project.snapshotRelations?.includes(relationKey(source.relation))) return [];
  const text = duplicateKeysSql(source.relation, column, project.dataRoot);
  // A key found unique is kept while the file stays the same (cache/answers.ts); a repeated one is asked again.
  const files = project.answers ? singleFile(source.relation, project.dataRoot) : undefined;
  const probe = files ? project.answers?.lookup(text, files) : undefined;
  if (probe?.answer === UNIQUE) return [];
  try {
    const result = await project.engine.all(text, timeoutMs === undefined ? {} : { timeoutMs });
    if (result.rows.length === 0) probe?.store(UNIQUE);
    return result.rows.map(([value, count]) => ({ value: value ?? null, count: BigInt(count as bigint | number) }));
  } catch (error) {
    if (error instanceof EngineError && error.kind === 'interrupted') throw error;
    return [];
  }
}

/** The kept answer of a duplicate-key query that found none. */
const UNIQUE = 'unique';

/**
 * `select key, count(*) ... group by key having count(*) > 1`: at most three
 * repeated non-null keys, the most repeated first. Every name and path goes
 * through the compiler's quoting.
 */
export function duplicateKeysSql(relation: PhysicalRelation, column: string, dataRoot: string): string {
  const key = sql.id('t', column);
  return sqlText(
    sql`select ${key} as duplicate, count(*) as copies from ${relationSql(relation, dataRoot)} as t where ${key} is not null group by ${key} having count(*) > 1 order by copies desc, duplicate limit 3`.compile(
      db,
    ),
  );
}

function nonUniqueKey(model: Model, link: Link, duplicates: readonly DuplicateKey[]): Diagnostic {
  const from = model.sources.get(link.from)?.name ?? link.from;
  const to = model.sources.get(link.to)?.name ?? link.to;
  const [first, ...more] = duplicates;
  const times = (d: DuplicateKey) => `\`${String(d.value)}\` appears ${d.count} times`;
  const others =
    more.length === 0 ? '' : ` (also ${more.map(times).join(', ')}${more.length === 2 ? ', and maybe more' : ''})`;
  const counted = first!.count === 2n ? 'twice' : `${first!.count} times`;
  return {
    code: 'non-unique-key',
    severity: 'error',
    file: link.file,
    span: link.span,
    message:
      `the key \`${to}.${link.toColumn}\` is not unique in the data: ${times(first!)}${others}; ` +
      `\`${from}\` links to \`${to}\` many-to-one, so its rows with that key would be counted ${counted}.`,
    help: `remove the duplicate rows of \`${to}\` (one row per \`${link.toColumn}\`), or link \`${from}\` to a source whose key is unique.`,
  };
}

/** The names a derived KPI's expression uses (KPI names among them), without recursion: the expression may be deep. */
function namesIn(expr: Expr): string[] {
  const names: string[] = [];
  const stack: unknown[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record['kind'] === 'ref') names.push((record['name'] as { text: string }).text.toLowerCase());
      else for (const [field, value] of Object.entries(record)) if (field !== 'span') stack.push(value);
    }
  }
  return names;
}
