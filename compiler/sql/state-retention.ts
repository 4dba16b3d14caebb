// Retention from period-start state: a snapshot measure with `retained` or
// `churned` compares each customer's value at the period's start with its
// value at the period's end (docs/time-analytics.md).
//
//   subscriptions_net_mrr_state_by_month as (
//     select "period", <segments>, sum(coalesce("e", 0)) as "net_mrr"      -- at period end retained
//     from (
//       select "periods"."period", <segments>, "member",
//              sum("mrr") filter (where <valid at start> and <where>) as "s",
//              sum("mrr") filter (where <valid at end> and <where>) as "e"
//       from "periods" inner join "subscriptions_rows" on <valid at start> or <valid at end>
//       group by "periods"."period", <segments>, "member"
//     ) as "state"
//     where "s" > 0                                                          -- the customers of the starting state
//     group by "period", <segments>
//   )
//
//   at period end retained     sum(coalesce(e, 0))             the end value of the starting customers (NRR)
//   at period start retained   sum(least(s, coalesce(e, 0)))   the part of the start value still there (GRR)
//   at period start churned    sum(s - least(s, coalesce(e, 0)))  the start value lost: churn and contraction

import { sql } from 'kysely';
import type { MeasureGroup, QueryPlan } from '../plan/plan.ts';
import { aggregateSql } from './aggregate-call.ts';
import type { Aggregate, AggregateNames } from './aggregates.ts';
import { pick, type EmitContext, type Selection } from './context.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';
import { instantSql } from './literal.ts';
import type { Rows } from './rows.ts';

export function emitStateRetention(
  ctx: EmitContext,
  plan: QueryPlan,
  group: MeasureGroup,
  rows: Rows,
  periods: string,
  names: AggregateNames,
): Aggregate {
  const measure = group.measures[0];
  const valid = ctx.source(group.source).valid;
  if (!measure?.at || !measure.retention || group.measures.length !== 1 || !valid || !rows.member) {
    throw new Error('compiler bug: a state retention group is one snapshot measure with a customer key');
  }
  const key = measure.name.toLowerCase();
  const r = (column: string) => sql.id(rows.name, column);
  const time = (data: string) => r(rows.times.get(data.toLowerCase())!);
  const p = (column: 'period' | 'period_end') => sql.id(periods, column);
  const [from, to] = [time(valid.from), time(valid.to)];
  // As `at period start|end` measures (sql/aggregates.ts), with the end at `--to` when it cuts the period.
  const atStart = sql`${from} <= ${p('period')} and (${to} is null or ${to} > ${p('period')})`;
  const end = plan.to ? sql`least(${p('period_end')}, ${instantSql(plan.to.text)})` : p('period_end');
  const atEnd = sql`${from} < ${end} and (${to} is null or ${to} >= ${end})`;
  const where = rows.wheres.get(key);
  const filter = (validity: Sql) => (where ? sql`(${validity}) and ${r(where)}` : validity);
  const arg = rows.args.get(key);
  const value = (validity: Sql) =>
    aggregateSql(measure.aggregate, arg ? r(arg) : undefined, measure.percentile, filter(validity), ctx.dialect);

  const segmentNames: string[] = [];
  const segmentKeys: Selection[] = [];
  plan.segments.forEach((segment, i) => {
    const column = rows.segments[i];
    if (column === undefined) return;
    segmentNames.push(segment.name);
    segmentKeys.push(column === segment.name ? pick(rows.name, column) : r(column).as(segment.name));
  });
  const state = db
    .selectFrom(periods)
    .innerJoin(rows.name, (j) => j.on(sql<boolean>`(${atStart}) or (${atEnd})`))
    .select([
      pick(periods, 'period'),
      ...segmentKeys,
      r(rows.member).as('member'),
      value(atStart).as('s'),
      value(atEnd).as('e'),
    ])
    .groupBy([
      p('period'),
      ...plan.segments.flatMap((_, i) => (rows.segments[i] === undefined ? [] : [r(rows.segments[i]!)])),
      r(rows.member),
    ]);

  const e = sql`coalesce(${sql.id('state', 'e')}, 0)`;
  const s = sql.id('state', 's');
  const combined =
    measure.at === 'end'
      ? sql`sum(${e})`
      : measure.retention === 'retained'
        ? sql`sum(least(${s}, ${e}))`
        : sql`sum(${s} - least(${s}, ${e}))`;
  const sample = names.samples.get(key);
  const source = ctx.source(group.source);
  // Without a grain the one period is no key; without segments either, the aggregate is one row
  // (no group by), so a range with no starting customer still gives 0, as other measures do.
  const keys = [...(plan.grain ? ['period'] : []), ...segmentNames];
  const name = ctx.addCte(`${source.name}_${measure.name}_state${plan.grain ? `_by_${plan.grain}` : ''}`, () => {
    const combinedQuery = db
      .selectFrom(state.as('state'))
      .select([
        ...keys.map((n) => pick('state', n)),
        combined.as(names.measures.get(key)!),
        ...(sample ? [sql`count(*)`.as(sample)] : []),
      ])
      .where(sql<boolean>`${s} > 0`);
    return keys.length > 0 ? combinedQuery.groupBy(keys.map((n) => sql.id('state', n))) : combinedQuery;
  });
  return {
    name,
    group,
    hasPeriod: plan.grain !== undefined,
    segments: plan.segments.map((_, i) => rows.segments[i] !== undefined),
  };
}
