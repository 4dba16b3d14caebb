// Fixture tables: a test's rows, typed, standing in for the sources' data.
//
// Every physical relation of the project is replaced by a table of an
// in-memory DuckDB (named after its first source), so a test never reads
// the real data. A table's columns are those the rows name, the columns the
// model reads on that source, those `types` pins, and those the schema
// snapshot knows; its types come, in this order, from `types`, the
// snapshot, the values (integers BIGINT, other numbers DOUBLE, true/false
// BOOLEAN, `YYYY-MM-DD` DATE, `YYYY-MM-DD HH:MM[:SS]` TIMESTAMP, else
// VARCHAR) and, for a column no row gives, its role (a time column is a
// TIMESTAMP, what `sum`/`avg`/... aggregate is a DOUBLE, anything else
// VARCHAR).

import { suggest } from '../../compiler/index.ts';
import type { Catalog, CatalogEntry, PhysicalRelation } from '../../compiler/index.ts';
import { relationKey, scalarTypeOf } from '../../compiler/index.ts';
import type { Model, RExpr, Source } from '../../compiler/index.ts';
import { SNAPSHOT_FILE, type SchemaSnapshot } from '../project/schema-snapshot.ts';
import { FIXTURE_TYPE_EXAMPLES, fixtureType } from './fixture-types.ts';
import type { Fixture, FixtureValue } from './spec.ts';

export interface FixtureColumn {
  readonly name: string;
  readonly sqlType: string;
  /** No value, snapshot or `types` said: the type is a guess from the column's use, so the resolver is not told it. */
  readonly guessed?: boolean;
}

export interface FixtureTable {
  readonly table: string;
  readonly relation: string;
  readonly columns: readonly FixtureColumn[];
  readonly rows: readonly (readonly FixtureValue[])[];
}

export interface FixturePlan {
  readonly tables: readonly FixtureTable[];
  /** Relation key -> the table standing in for it (every physical relation has one name, even without a table). */
  readonly tableOf: ReadonlyMap<string, string>;
  readonly catalog: Catalog;
  readonly problems: readonly string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Plan the tables of one test over `model` (resolved without a schema, to learn which columns it reads). */
export function planFixtures(
  model: Model,
  data: ReadonlyMap<string, Fixture>,
  snapshot: SchemaSnapshot | undefined,
): FixturePlan {
  const problems: string[] = [];
  const byRelation = new Map<string, { fixture?: Fixture; source: Source; relation: PhysicalRelation }>();
  for (const source of model.sources.values()) {
    if (source.relation.kind === 'derived') continue;
    const key = relationKey(source.relation);
    if (!byRelation.has(key)) byRelation.set(key, { source, relation: source.relation });
  }
  for (const [name, fixture] of data) {
    const source = model.sources.get(name);
    if (!source) {
      const guess = suggest(
        name,
        [...model.sources.values()].map((s) => s.name),
      );
      problems.push(`\`data\` names \`${name}\`, which is not a source${guess ? `; did you mean \`${guess}\`?` : ''}`);
      continue;
    }
    if (source.relation.kind === 'derived') {
      const parent = model.sources.get(source.relation.source)?.name ?? source.relation.source;
      problems.push(`source \`${source.name}\` is derived from \`${parent}\`: give rows for \`${parent}\` instead`);
      continue;
    }
    const entry = byRelation.get(relationKey(source.relation))!;
    if (entry.fixture)
      problems.push(
        `sources \`${entry.source.name}\` and \`${source.name}\` read the same data: give rows for one of them`,
      );
    else byRelation.set(relationKey(source.relation), { ...entry, fixture });
  }
  const { referenced, fromPredicates } = referencedColumns(model);
  const given = givenColumns(model, data, snapshot);
  const tables: FixtureTable[] = [];
  const tableOf = new Map<string, string>();
  const entries = new Map<string, CatalogEntry>();
  const used = new Set<string>();
  for (const [key, { fixture, source, relation }] of byRelation) {
    let table = source.name.toLowerCase();
    for (let n = 2; used.has(table); n++) table = `${source.name.toLowerCase()}_${n}`;
    used.add(table);
    tableOf.set(key, table);
    const known = snapshot?.get(relationKey(relation));
    if (!fixture && !known) continue; // no table: a query that reads it fails, naming the source
    const guesses = withoutHomeColumns(
      source.name.toLowerCase(),
      referenced.get(source.name.toLowerCase()),
      fromPredicates,
      given,
    );
    const columns = columnsOf(source, fixture, known, guesses, problems);
    if (columns.length === 0) {
      problems.push(`source \`${source.name}\` has no rows and no known columns: give \`types\` for its columns`);
      continue;
    }
    const rows = (fixture?.rows ?? []).map((row) => columns.map((c) => row[c.name] ?? null));
    tables.push({ table, relation: key, columns, rows });
  }
  const linked = alignLinks(model, tables);
  for (const t of linked) {
    entries.set(t.relation, {
      ok: true,
      columns: t.columns.map((c) => ({
        name: c.name,
        sqlType: c.sqlType,
        type: c.guessed ? 'unknown' : scalarTypeOf(c.sqlType),
      })),
    });
  }
  return { tables: linked, tableOf, catalog: { describe: (r) => entries.get(relationKey(r)) }, problems };
}

function columnsOf(
  source: Source,
  fixture: Fixture | undefined,
  known: readonly { name: string; type: string }[] | undefined,
  referenced: ReadonlyMap<string, string> | undefined,
  problems: string[],
): FixtureColumn[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  };
  for (const c of known ?? []) add(c.name);
  for (const row of fixture?.rows ?? []) for (const name of Object.keys(row)) add(name);
  for (const name of Object.keys(fixture?.types ?? {})) add(name);
  for (const name of referenced?.keys() ?? []) add(name);
  return names.map((name) => {
    const pinned = fixture?.types[name];
    if (pinned !== undefined) {
      const sqlType = fixtureType(pinned);
      if (sqlType !== undefined) return { name, sqlType };
      problems.push(
        `\`types\` of \`${source.name}\`: ${JSON.stringify(pinned)} is not a type metric tests know (${FIXTURE_TYPE_EXAMPLES})`,
      );
    }
    const snap = known?.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (snap) {
      const sqlType = fixtureType(snap.type);
      if (sqlType !== undefined) return { name, sqlType };
      problems.push(
        `${SNAPSHOT_FILE}: column ${JSON.stringify(snap.name)} of \`${source.name}\` has the type ${JSON.stringify(snap.type)}, which is not a type metric tests know (${FIXTURE_TYPE_EXAMPLES}); pin another in the test's \`types\`, or fix the snapshot (\`kpic schema snapshot\` rewrites it)`,
      );
    }
    const values = (fixture?.rows ?? [])
      .map((row) => row[name])
      .filter((v): v is Exclude<FixtureValue, null> => v !== undefined && v !== null);
    const inferred = inferType(values);
    return inferred
      ? { name, sqlType: inferred }
      : { name, sqlType: referenced?.get(name.toLowerCase()) ?? 'VARCHAR', guessed: true };
  });
}

/** A guessed link column takes the type of the column it links to (or from), so the join binds. */
function alignLinks(model: Model, tables: readonly FixtureTable[]): FixtureTable[] {
  const bySource = new Map<string, FixtureTable>();
  for (const source of model.sources.values()) {
    const relation = source.relation;
    if (relation.kind === 'derived') continue;
    const table = tables.find((t) => t.relation === relationKey(relation));
    if (table) bySource.set(source.name.toLowerCase(), table);
  }
  const typeOf = (source: string, column: string) =>
    bySource.get(source)?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  const fixed = new Map<FixtureTable, Map<string, string>>();
  for (const source of model.sources.values()) {
    for (const link of source.links) {
      const from = typeOf(link.from, link.fromColumn);
      const to = typeOf(link.to, link.toColumn);
      if (!from || !to || from.guessed === to.guessed) continue;
      const [guess, known, table] = from.guessed
        ? [from, to, bySource.get(link.from)!]
        : [to, from, bySource.get(link.to)!];
      const changes = fixed.get(table) ?? new Map<string, string>();
      changes.set(guess.name, known.sqlType);
      fixed.set(table, changes);
    }
  }
  return tables.map((t) => {
    const changes = fixed.get(t);
    return changes
      ? { ...t, columns: t.columns.map((c) => (changes.has(c.name) ? { ...c, sqlType: changes.get(c.name)! } : c)) }
      : t;
  });
}

/** The type the values suggest, or undefined when there is none to go by. */
export function inferType(values: readonly Exclude<FixtureValue, null>[]): string | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  const numeric = (v: FixtureValue) => typeof v === 'number' || (typeof v === 'object' && v !== null);
  if (values.every(numeric)) {
    const integral = values.every((v) =>
      typeof v === 'number' ? Number.isInteger(v) : !(v as { exact: string }).exact.includes('.'),
    );
    return integral ? 'BIGINT' : 'DOUBLE';
  }
  if (values.every((v) => typeof v === 'string' && DATE.test(v))) return 'DATE';
  if (values.every((v) => typeof v === 'string' && (DATE.test(v) || TIMESTAMP.test(v)))) return 'TIMESTAMP';
  return 'VARCHAR';
}

/**
 * An aggregated dimension's argument and predicate run over the rows of its
 * source (`from`) joined to the entity (`home`). Without a schema the
 * resolver binds an unqualified name there to `from` (`usage.used_on >=
 * signup_date` reads `usage.signup_date`); when the fixture rows give the
 * column on the entity and not on `from`, it is the entity's, and guessing
 * it on `from` would make a null column that the query then reads.
 */
interface PredicateColumn {
  readonly from: string;
  readonly home: string;
  readonly column: string;
}

/** Source (lower case) -> the columns (lower case) its rows, `types` or the snapshot give. */
function givenColumns(
  model: Model,
  data: ReadonlyMap<string, Fixture>,
  snapshot: SchemaSnapshot | undefined,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const source of model.sources.values()) {
    if (source.relation.kind === 'derived') continue;
    const names = new Set<string>();
    for (const c of snapshot?.get(relationKey(source.relation)) ?? []) names.add(c.name.toLowerCase());
    const fixture = data.get(source.name) ?? data.get(source.name.toLowerCase());
    for (const row of fixture?.rows ?? []) for (const name of Object.keys(row)) names.add(name.toLowerCase());
    for (const name of Object.keys(fixture?.types ?? {})) names.add(name.toLowerCase());
    out.set(source.name.toLowerCase(), names);
  }
  return out;
}

/** `referenced` less the columns that only aggregated predicates name and that the entity, not the source, gives. */
function withoutHomeColumns(
  source: string,
  referenced: ReadonlyMap<string, string> | undefined,
  fromPredicates: readonly PredicateColumn[],
  given: ReadonlyMap<string, ReadonlySet<string>>,
): ReadonlyMap<string, string> | undefined {
  if (!referenced) return referenced;
  const own = given.get(source);
  const out = new Map(referenced);
  for (const p of fromPredicates) {
    if (p.from !== source || own?.has(p.column) || !given.get(p.home)?.has(p.column)) continue;
    out.delete(p.column);
  }
  return out;
}

/**
 * Source (lower case) -> column (lower case) -> the type its role suggests;
 * and the columns bound on an aggregated dimension's source that only its
 * argument and predicate name (see `PredicateColumn`).
 */
function referencedColumns(model: Model): {
  referenced: Map<string, Map<string, string>>;
  fromPredicates: PredicateColumn[];
} {
  const bySource = new Map<string, Map<string, string>>();
  const elsewhere = new Set<string>();
  let inPredicateOf: { from: string; home: string } | undefined;
  const fromPredicates: PredicateColumn[] = [];
  const note = (source: string, column: string | undefined, type = 'VARCHAR') => {
    if (column === undefined) return;
    if (inPredicateOf?.from === source) fromPredicates.push({ ...inPredicateOf, column: column.toLowerCase() });
    else elsewhere.add(`${source}\u0000${column.toLowerCase()}`);
    const columns = bySource.get(source) ?? new Map<string, string>();
    bySource.set(source, columns);
    const previous = columns.get(column.toLowerCase());
    if (previous === undefined || previous === 'VARCHAR') columns.set(column.toLowerCase(), type);
  };
  const walk = (expr: RExpr | undefined, type = 'VARCHAR'): void => {
    if (!expr) return;
    if (expr.kind === 'column') {
      note(expr.source, expr.column, type);
      return;
    }
    // A column compared with a literal, or in arithmetic, is guessed to be of the literal's kind.
    const context = contextType(expr);
    for (const child of childrenOf(expr)) walk(child, context);
  };
  // The columns' roles first: a time column aggregated by `min` elsewhere is still a TIMESTAMP.
  for (const source of model.sources.values()) {
    const key = source.name.toLowerCase();
    note(key, source.key);
    note(key, source.time, 'TIMESTAMP');
    note(key, source.valid?.from, 'TIMESTAMP');
    note(key, source.valid?.to, 'TIMESTAMP');
    for (const link of source.links) {
      note(link.from, link.fromColumn);
      note(link.to, link.toColumn);
    }
  }
  for (const measure of model.measures.values()) note(measure.source, measure.time, 'TIMESTAMP');
  for (const source of model.sources.values()) {
    const key = source.name.toLowerCase();
    for (const dimension of source.dimensions.values()) {
      if (dimension.kind === 'column') note(key, dimension.column);
      else if (dimension.kind === 'computed') walk(dimension.expr);
      else {
        inPredicateOf = { from: dimension.from, home: key };
        walk(
          dimension.arg,
          dimension.aggregate === 'count' || dimension.aggregate === 'count_distinct' ? 'VARCHAR' : 'DOUBLE',
        );
        walk(dimension.where);
        inPredicateOf = undefined;
      }
    }
    for (const check of source.checks) walk(check.predicate);
  }
  for (const measure of model.measures.values()) {
    walk(measure.arg, measure.aggregate === 'count' || measure.aggregate === 'count_distinct' ? 'VARCHAR' : 'DOUBLE');
    walk(measure.where);
  }
  // A column some other expression reads on that source is the source's own.
  const onlyInPredicates = fromPredicates.filter((p) => !elsewhere.has(`${p.from}\u0000${p.column}`));
  return { referenced: bySource, fromPredicates: onlyInPredicates };
}

function contextType(expr: RExpr): string {
  if (expr.kind === 'binary' && ['+', '-', '*', '/'].includes(expr.op)) return 'DOUBLE';
  const others =
    expr.kind === 'binary'
      ? [expr.left, expr.right]
      : expr.kind === 'between'
        ? [expr.low, expr.high]
        : expr.kind === 'in'
          ? expr.values
          : [];
  if (expr.kind === 'binary' && ['and', 'or', 'like'].includes(expr.op)) return 'VARCHAR';
  for (const other of others) {
    if (other.kind !== 'literal') continue;
    switch (other.value.kind) {
      case 'number':
        return 'DOUBLE';
      case 'date':
        return 'DATE';
      case 'timestamp':
        return 'TIMESTAMP';
      case 'boolean':
        return 'BOOLEAN';
      default:
        return 'VARCHAR';
    }
  }
  return 'VARCHAR';
}

function childrenOf(expr: RExpr): readonly (RExpr | undefined)[] {
  switch (expr.kind) {
    case 'column':
    case 'dimension':
    case 'literal':
      return [];
    case 'unary':
    case 'is-null':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.operand, ...expr.values];
    case 'between':
      return [expr.operand, expr.low, expr.high];
    case 'case':
      return [...expr.whens.flatMap((w) => [w.when, w.then]), expr.else];
    case 'call':
      return expr.args;
  }
}

/** The model with every physical relation read from its fixture table. */
export function substituteRelations(model: Model, tableOf: ReadonlyMap<string, string>): Model {
  const sources = new Map<string, Source>();
  for (const [key, source] of model.sources) {
    const table = source.relation.kind === 'derived' ? undefined : tableOf.get(relationKey(source.relation));
    sources.set(key, table === undefined ? source : { ...source, relation: { kind: 'table', table } });
  }
  return { ...model, sources };
}
