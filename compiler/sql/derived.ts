// A derived KPI's values: the values of each KPI it reads (each one its own
// chain of CTEs), joined per (period, segment values).
//
//   derived_keys     every (period + lag, segments) some input has
//   derived_periods  the periods of the inputs' ranges (and whether each is incomplete)
//   derived_spine    the keys within those periods
//   derived_values   the spine LEFT JOIN each input at its lag; value = the expression
//
//   value weekly_logins / previous(weekly_logins) - 1
//   -> cast("weekly_logins"."value" as double) / nullif("weekly_logins_previous_1"."value", 0) - 1
//
// An input with no row for a key is null there, and so is every arithmetic
// over it: a derived value is null when an input it needs is.

import { sql } from 'kysely';
import type { DExpr, DerivedPlan, ValuesPlan } from '../plan/derived.ts';
import type { Values } from './combine.ts';
import { Namer, pick, plainName, type EmitContext, type Select, type Selection } from './context.ts';
import { divide, nullNumber, operatorSql, type Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, intervalSql, numberSql } from './literal.ts';
import { componentColumns } from './components.ts';
import { emitRollup } from './rollup.ts';
import type { SqlDialect } from './dialect/dialect.ts';

interface Ref {
  readonly component: number;
  readonly lag: number;
  readonly alias: string;
}

/** `emitInput`: the values CTE of an input KPI (`emit.ts`'s `emitValues`; passed in so the two modules do not import each other). */
export function emitDerived(
  ctx: EmitContext,
  plan: DerivedPlan,
  emitInput: (plan: ValuesPlan) => Values,
  components = false,
): Values {
  const grain = plan.grain;
  const segments = plan.segments.map((s) => s.name);
  const keys = [...(grain ? ['period'] : []), ...segments];
  const inputs = plan.components.map((c) =>
    c.rollup ? emitRollup(ctx, c, emitInput(c.values), keys) : emitInput(c.values),
  );
  const aliases = new Namer(['derived_keys', 'derived_periods', 'derived_spine']);
  const refs: Ref[] = [];
  const refOf = (component: number, lag: number): Ref => {
    const known = refs.find((r) => r.component === component && r.lag === lag);
    if (known) return known;
    const name = plainName(plan.components[component]!.kpi.name);
    const ref = { component, lag, alias: aliases.take(lag === 0 ? name : `${name}_previous_${lag}`) };
    refs.push(ref);
    return ref;
  };
  collectRefs(plan.expr, refOf);

  const spine = keys.length > 0 ? emitSpine(ctx, plan, inputs, refs, segments) : undefined;
  const shifted = (ref: Ref, column: string) => sql.id(ref.alias, column);
  let query: Select;
  if (spine) {
    query = db.selectFrom(spine);
    for (const ref of refs) {
      const on = keys.map((key) =>
        key === 'period'
          ? ref.lag === 0
            ? sql`${shifted(ref, 'period')} = ${sql.id(spine, 'period')}`
            : sql`${shifted(ref, 'period')} = cast(${sql.id(spine, 'period')} - ${intervalSql(ref.lag, grain!)} as date)`
          : ctx.dialect.sameKey(shifted(ref, key), sql.id(spine, key)),
      );
      query = query.leftJoin(sql.id(inputs[ref.component]!.name).as(ref.alias), (j) =>
        j.on(sql<boolean>`${sql.join(on, sql` and `)}`),
      );
    }
  } else {
    // No period and no segment: every input is one row.
    const [first, ...rest] = refs;
    query = db.selectFrom(sql.id(inputs[first!.component]!.name).as(first!.alias));
    for (const ref of rest) query = query.crossJoin(sql.id(inputs[ref.component]!.name).as(ref.alias));
  }
  const partition = spine && grain ? sql`partition by ${sql.id(spine, 'period')}` : sql``;
  const scope: DScope = { dialect: ctx.dialect, ref: (c, lag) => sql.id(refOf(c, lag).alias, 'value'), partition };
  const value = emitDExpr(plan.expr, scope);
  const extra = components ? componentColumns(plan, keys, (e) => emitDExpr(e, scope), ctx.dialect) : [];
  const nothing = nullNumber(ctx.dialect);
  const select: Selection[] = [
    ...keys.map((k) => pick(spine!, k)),
    nothing.as('numerator'),
    nothing.as('denominator'),
    value.as('value'),
    ...extra.map((c) => c.sql.as(c.name)),
    ...(plan.incomplete && grain ? [pick(spine!, 'incomplete')] : []),
  ];
  const name = ctx.addCte(`${plan.kpi.name}_values`, () => query.select(select));
  return {
    name,
    keys,
    hasPeriod: grain !== undefined,
    insufficient: false,
    incomplete: plan.incomplete && grain !== undefined,
    ...(extra.length ? { extra: extra.map((c) => c.name) } : {}),
  };
}

function emitSpine(
  ctx: EmitContext,
  plan: DerivedPlan,
  inputs: readonly Values[],
  refs: readonly Ref[],
  segments: readonly string[],
): string {
  const grain = plan.grain;
  const parts = refs.map((ref) => {
    const input = inputs[ref.component]!.name;
    const period = grain
      ? [
          ref.lag === 0
            ? pick(input, 'period')
            : sql`cast(${sql.id(input, 'period')} + ${intervalSql(ref.lag, grain)} as date)`.as('period'),
        ]
      : [];
    return db.selectFrom(input).select([...period, ...segments.map((s) => pick(input, s))]);
  });
  let union = parts[0]!;
  for (const part of parts.slice(1)) union = union.union(part);
  const keys = ctx.addCte('derived_keys', () => union);
  if (!grain) return keys;

  const incomplete = plan.incomplete;
  const seen = new Set<number>();
  const periodParts = refs
    .filter((r) => !seen.has(r.component) && seen.add(r.component))
    .map((ref) => {
      const input = inputs[ref.component]!;
      return db
        .selectFrom(input.name)
        .select([pick(input.name, 'period'), ...(incomplete ? [pick(input.name, 'incomplete')] : [])]);
    });
  let all = periodParts[0]!;
  for (const part of periodParts.slice(1)) all = all.unionAll(part);
  const periods = ctx.addCte('derived_periods', () => {
    let query = db
      .selectFrom(all.as('input_periods'))
      .select([
        pick('period'),
        ...(incomplete ? [sql`coalesce(bool_or(${sql.id('incomplete')}), false)`.as('incomplete')] : []),
      ])
      .groupBy(sql.id('period'));
    if (plan.firstPeriod) query = query.where(sql<boolean>`${sql.id('period')} >= ${dateSql(plan.firstPeriod)}`);
    return query;
  });
  return ctx.addCte('derived_spine', () =>
    db
      .selectFrom(keys)
      .innerJoin(periods, (j) => j.on(sql<boolean>`${sql.id(periods, 'period')} = ${sql.id(keys, 'period')}`))
      .select([
        pick(keys, 'period'),
        ...segments.map((s) => pick(keys, s)),
        ...(incomplete ? [pick(periods, 'incomplete')] : []),
      ]),
  );
}

function collectRefs(expr: DExpr, refOf: (component: number, lag: number) => Ref): void {
  switch (expr.kind) {
    case 'ref':
      refOf(expr.component, expr.lag);
      return;
    case 'number':
      return;
    case 'negate':
    case 'score':
      collectRefs(expr.operand, refOf);
      return;
    case 'arith':
      collectRefs(expr.left, refOf);
      collectRefs(expr.right, refOf);
      return;
    case 'call':
      for (const arg of expr.args) collectRefs(arg, refOf);
      return;
    case 'weighted':
      for (const term of expr.terms) collectRefs(term.expr, refOf);
      return;
  }
}

interface DScope {
  readonly dialect: SqlDialect;
  ref(component: number, lag: number): Sql;
  /** `partition by <period>` for min-max scores, or nothing without a grain. */
  readonly partition: Sql;
}

/** SQL of a derived value. `least`/`greatest` skip nulls in SQL; a score keeps a null input null. */
export function emitDExpr(expr: DExpr, scope: DScope): Sql {
  switch (expr.kind) {
    case 'ref':
      return scope.ref(expr.component, expr.lag);
    case 'number':
      return numberSql(expr.text);
    case 'negate':
      return sql`-(${emitDExpr(expr.operand, scope)})`;
    case 'arith': {
      const left = emitDExpr(expr.left, scope);
      const right = emitDExpr(expr.right, scope);
      if (expr.op === '/') return divide(left, right, scope.dialect);
      return sql`(${left} ${sql.raw(operatorSql(expr.op))} ${right})`;
    }
    case 'call': {
      const args = expr.args.map((a) => emitDExpr(a, scope));
      return expr.func === 'round' ? scope.dialect.round(args) : sql`${sql.raw(expr.func)}(${sql.join(args)})`;
    }
    case 'score': {
      const x = emitDExpr(expr.operand, scope);
      if (expr.low !== undefined && expr.high !== undefined) {
        const low = numberSql(expr.low);
        const scaled = sql`${divide(sql`(${x} - ${low})`, sql`(${numberSql(expr.high)} - ${low})`, scope.dialect)} * 100`;
        return sql`case when ${x} is null then null else least(greatest(${scaled}, 0), 100) end`;
      }
      const min = sql`min(${x}) over (${scope.partition})`;
      const max = sql`max(${x}) over (${scope.partition})`;
      return sql`${divide(sql`(${x} - ${min})`, sql`(${max} - ${min})`, scope.dialect)} * 100`;
    }
    case 'weighted': {
      const weighted = expr.terms.map((t) => sql`coalesce(${numberSql(t.weight)} * ${emitDExpr(t.expr, scope)}, 0)`);
      const present = expr.terms.map(
        (t) => sql`case when ${emitDExpr(t.expr, scope)} is null then 0 else ${numberSql(t.weight)} end`,
      );
      return divide(sql`(${sql.join(weighted, sql` + `)})`, sql`(${sql.join(present, sql` + `)})`, scope.dialect);
    }
  }
}
