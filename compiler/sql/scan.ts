// A scan of one source: its relation, LEFT JOINed along the many-to-one
// links the expressions on it use (and only those), so a row of the source
// stays exactly one row. Aggregated dimensions join their own CTE by key.

import { sql } from 'kysely';
import type { AggregatedDimension, JoinPath, RExpr } from '../semantic/model.ts';
import { aggregateSql, isCounting } from './aggregate-call.ts';
import { Namer, plainName, type EmitContext, type Select } from './context.ts';
import { emitExpr, type ExprScope, type Sql } from './expr.ts';
import { db } from './kysely.ts';

interface Join {
  /** A relation, or the name of a CTE joined under its own name. */
  readonly item: Sql | string;
  readonly alias: string;
  readonly on: Sql;
}

const MAX_NESTING = 64;
const ATOMIC = new Set(['column', 'dimension', 'call', 'literal', 'case']);

export class Scan {
  readonly root: string;
  readonly rootAlias: string;
  readonly #ctx: EmitContext;
  readonly #aliases = new Namer();
  readonly #byPath = new Map<string, string>();
  readonly #joins: Join[] = [];
  #nesting = 0;

  constructor(ctx: EmitContext, root: string) {
    this.#ctx = ctx;
    this.root = root;
    this.rootAlias = this.#aliases.take(plainName(ctx.source(root).name));
  }

  /** SQL of an expression rooted at this scan's source. */
  expr(expr: RExpr): Sql {
    return emitExpr(expr, this.#scopeAt([]));
  }

  /** A column of the root source. */
  column(column: string): Sql {
    return sql.id(this.rootAlias, column);
  }

  /** `select ... from <relation> as "alias" left join ...`: call after every expression of the scan is emitted. */
  query(): Select {
    let query = db.selectFrom(this.#ctx.relation(this.root).as(this.rootAlias));
    for (const join of this.#joins) {
      const item =
        typeof join.item === 'string' && join.item === join.alias
          ? join.item
          : sql`${typeof join.item === 'string' ? sql.id(join.item) : join.item}`.as(join.alias);
      query = query.leftJoin(item, (j) => j.on(join.on as never));
    }
    return query;
  }

  #scopeAt(prefix: JoinPath): ExprScope {
    return {
      dialect: this.#ctx.dialect,
      column: (path, _source, column) => sql.id(this.#aliasOf([...prefix, ...path]), column),
      dimension: (path, source, name) => this.#dimension([...prefix, ...path], source, name),
    };
  }

  #aliasOf(path: JoinPath): string {
    if (path.length === 0) return this.rootAlias;
    const key = pathKey(path);
    const known = this.#byPath.get(key);
    if (known) return known;
    const parent = this.#aliasOf(path.slice(0, -1));
    const link = path[path.length - 1]!;
    const alias = this.#aliases.take(plainName(this.#ctx.source(link.to).name));
    this.#joins.push({
      item: this.#ctx.relation(link.to),
      alias,
      on: sql`${sql.id(alias, link.toColumn)} = ${sql.id(parent, link.fromColumn)}`,
    });
    this.#byPath.set(key, alias);
    return alias;
  }

  #dimension(path: JoinPath, source: string, name: string): Sql {
    const dimension = this.#ctx.source(source).dimensions.get(name.toLowerCase());
    if (!dimension) throw new Error(`compiler bug: no dimension \`${name}\` on \`${source}\``);
    if (dimension.kind === 'column') return sql.id(this.#aliasOf(path), dimension.column);
    if (++this.#nesting > MAX_NESTING) throw new Error(`compiler bug: dimension \`${name}\` refers to itself`);
    try {
      if (dimension.kind === 'computed') {
        const inner = emitExpr(dimension.expr, this.#scopeAt(path));
        return ATOMIC.has(dimension.expr.kind) ? inner : sql`(${inner})`;
      }
      return this.#aggregated(path, source, dimension);
    } finally {
      this.#nesting--;
    }
  }

  /** An aggregated dimension: its CTE joined on the key it is computed per. */
  #aggregated(path: JoinPath, source: string, dimension: AggregatedDimension): Sql {
    const cte = aggregatedDimensionCte(this.#ctx, source, dimension);
    const key = `${pathKey(path)}#${dimension.name.toLowerCase()}`;
    let alias = this.#byPath.get(key);
    if (!alias) {
      const owner = this.#aliasOf(path);
      alias = this.#aliases.take(cte.name);
      this.#joins.push({
        item: cte.name,
        alias,
        on: sql`${sql.id(alias, cte.key)} = ${sql.id(owner, dimension.link.toColumn)}`,
      });
      this.#byPath.set(key, alias);
    }
    const value = sql.id(alias, cte.value);
    return isCounting(dimension.aggregate) ? sql`coalesce(${value}, 0)` : value;
  }
}

function pathKey(path: JoinPath): string {
  return path.map((l) => `${l.from}.${l.fromColumn}>${l.to}.${l.toColumn}`).join('/');
}

/**
 * `dimension order_count = count(orders.order_id)` on customers: one row per
 * customer key that has orders, grouped on the linked source's link column
 * (rows failing a check of `orders` excluded).
 */
function aggregatedDimensionCte(
  ctx: EmitContext,
  source: string,
  dimension: AggregatedDimension,
): { name: string; key: string; value: string } {
  const id = `${source}|${dimension.name.toLowerCase()}`;
  const known = ctx.aggregated.get(id);
  if (known) return known;
  if (known === null) throw new Error(`compiler bug: aggregated dimension \`${dimension.name}\` depends on itself`);
  ctx.aggregated.set(id, null);
  const key = dimension.link.toColumn;
  const value = dimension.name.toLowerCase() === key.toLowerCase() ? `${dimension.name}_value` : dimension.name;
  const scan = new Scan(ctx, dimension.from);
  // Several links away, the key is the last link's column on the source before this one.
  const keySql =
    dimension.path.length <= 1
      ? scan.column(dimension.link.fromColumn)
      : scan.expr({
          kind: 'column',
          source: dimension.link.from,
          column: dimension.link.fromColumn,
          path: dimension.path.slice(0, -1),
          type: 'unknown',
          span: dimension.span,
        });
  const arg = dimension.arg ? scan.expr(dimension.arg) : undefined;
  const filter = dimension.where ? scan.expr(dimension.where) : undefined;
  const aggregate = aggregateSql(dimension.aggregate, arg, dimension.percentile, filter, ctx.dialect);
  const checks = ctx
    .source(dimension.from)
    .checks.map((check) => sql<boolean>`(${scan.expr(check.predicate)}) is true`);
  const name = ctx.addCte(`${ctx.source(source).name}_${dimension.name}`, () => {
    let query = scan
      .query()
      .select([keySql.as(key), aggregate.as(value)])
      .where(sql<boolean>`${keySql} is not null`);
    for (const check of checks) query = query.where(check);
    return query.groupBy(keySql);
  });
  const entry = { name, key, value };
  ctx.aggregated.set(id, entry);
  return entry;
}
