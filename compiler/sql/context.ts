// State shared while one query's SQL is emitted: the CTEs written so far (in
// dependency order), the names taken, and the diagnostics met on the way.

import { sql, type QueryCreator, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Diagnostic } from '../diagnostics.ts';
import type { Model, Source } from '../semantic/model.ts';
import type { Dialect } from '../plan/query.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { dialectOf } from './dialect/dialects.ts';
import { dialectRelationSql } from './relation.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';

export type Select = SelectQueryBuilder<any, any, any>;

export interface Cte {
  readonly name: string;
  readonly query: Select;
}

/**
 * Hands out names that are unique without regard to case (DuckDB compares
 * even quoted identifiers that way), keeping the preferred one when free.
 */
export class Namer {
  readonly #used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.#used.add(name.toLowerCase());
  }

  take(preferred: string): string {
    let name = preferred;
    for (let n = 2; this.#used.has(name.toLowerCase()); n++) name = `${preferred}_${n}`;
    this.#used.add(name.toLowerCase());
    return name;
  }
}

/** A name made of letters, digits and `_` only, for the compiler's own CTEs and aliases. */
export function plainName(text: string): string {
  const plain = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return plain === '' ? 'x' : /^[0-9]/.test(plain) ? `_${plain}` : plain;
}

export class EmitContext {
  readonly ctes: Cte[] = [];
  readonly cteNames = new Namer();
  readonly diagnostics: Diagnostic[] = [];
  /** `source|dimension` -> the CTE computing an aggregated dimension; `null` while it is being built. */
  readonly aggregated = new Map<string, { name: string; key: string; value: string } | null>();
  readonly #derived = new Map<string, string>();
  readonly #reported = new Set<string>();
  readonly #once = new Map<object, unknown>();
  readonly model: Model;
  readonly dialect: SqlDialect;
  readonly dataRoot: string;

  constructor(model: Model, dialect: Dialect, dataRoot: string) {
    this.model = model;
    this.dialect = dialectOf(dialect);
    this.dataRoot = dataRoot;
  }

  source(key: string): Source {
    const source = this.model.sources.get(key);
    if (!source) throw new Error(`compiler bug: no source \`${key}\` in the model`);
    return source;
  }

  addCte(preferred: string, build: (name: string) => Select): string {
    const name = this.cteNames.take(plainName(preferred));
    this.ctes.push({ name, query: build(name) });
    return name;
  }

  /**
   * `build()` the first time `key` is met, its result after that: a KPI that
   * several derived KPIs of one query read is emitted once, its CTEs shared
   * (else a diamond of derived KPIs grows the SQL exponentially).
   */
  once<T>(key: object, build: () => T): T {
    if (this.#once.has(key)) return this.#once.get(key) as T;
    const value = build();
    this.#once.set(key, value);
    return value;
  }

  /** A query creator carrying every CTE so far as its WITH list: the final select starts here. */
  withCtes(): QueryCreator<any> {
    let creator: QueryCreator<any> = db;
    for (const cte of this.ctes) creator = creator.with(cte.name, () => cte.query) as never;
    return creator;
  }

  /** The FROM item of a source: a file reader, a table, or the CTE of a derived source's keys. */
  relation(key: string): Sql {
    const source = this.source(key);
    const relation = source.relation;
    if (relation.kind === 'derived') return sql.id(this.#derivedCte(key, relation.source, relation.column));
    const from = dialectRelationSql(relation, this.dataRoot, this.dialect);
    if (from) return from;
    if (!this.#reported.has(key)) {
      this.#reported.add(key);
      this.diagnostics.push({
        code: 'dialect-unsupported',
        severity: 'error',
        file: source.file,
        span: source.nameSpan,
        message: `source \`${source.name}\` reads the file \`${relation.kind === 'file' ? relation.path : ''}\`, which the ${this.dialect.name} dialect cannot read.`,
        help: `compile for ${this.dialect.name} only KPIs whose sources are \`table\` sources, or use \`--dialect duckdb\``,
      });
    }
    return sql.id(source.name);
  }

  /** `customers from orders { key customer_id }`: the distinct non-null keys, once per query. */
  #derivedCte(key: string, parent: string, column: string): string {
    const known = this.#derived.get(key);
    if (known) return known;
    const parentSource = this.source(parent);
    const alias = plainName(parentSource.name);
    const from = this.relation(parent);
    const name = this.addCte(`${this.source(key).name}_keys`, () =>
      db
        .selectFrom(from.as(alias))
        .select(sql.id(alias, column).as(column))
        .distinct()
        .where(sql<boolean>`${sql.id(alias, column)} is not null`),
    );
    this.#derived.set(key, name);
    return name;
  }
}

/** A select-list item. */
export type Selection = ReturnType<RawBuilder<unknown>['as']>;

/** A column selected under its own name: `"surveys_rows"."tier"` (no `as "tier"` needed). */
export function pick(...ids: string[]): Selection {
  return sql.id(...ids) as never as Selection;
}
