// `retained` and `churned` measures: per period, of the values (customers)
// counted in the period before, those counted again in it and those not.
//
//   events_members_by_month as (                -- who is counted in which period (shared by measures over the same argument and where)
//     select distinct cast(date_trunc('month', "at") as date) as "period", <segments>, "customer_id" as "member"
//     from "events_rows" where <measure where> and "customer_id" is not null and <range>
//   ),
//   events_retained_customers_by_month as (
//     select cast("before"."period" + interval '1 month' as date) as "period", <segments>,
//            count("after"."member") as "retained_customers"          -- churned: count(*) - count("after"."member")
//     from "events_members_by_month" as "before"
//     left join "events_members_by_month" as "after" on "after"."period" = cast("before"."period" + interval '1 month' as date)
//       and "after"."member" = "before"."member" and <segments match>
//     group by ...
//   )
//
// A value counts in one segment per period: the sets are of (segment values,
// value), so a customer who moves between segments churns from one and is
// not retained in the other. The spine keeps only the query's periods, so
// the period after the data (everyone "churned") never shows.

import { sql } from 'kysely';
import type { MeasureGroup, QueryPlan } from '../plan/plan.ts';
import { periodStart, shiftPeriod } from '../calendar.ts';
import type { Aggregate, AggregateNames } from './aggregates.ts';
import { pick, type EmitContext, type Selection } from './context.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, instantSql } from './literal.ts';
import type { Rows } from './rows.ts';
import { grainInterval, periodOf } from './time.ts';

export function emitRetention(
  ctx: EmitContext,
  plan: QueryPlan,
  group: MeasureGroup,
  rows: Rows,
  names: AggregateNames,
): Aggregate {
  const grain = plan.grain;
  const measure = group.measures[0];
  if (!grain || !measure?.retention || group.measures.length !== 1)
    throw new Error('compiler bug: a retention group is one measure with a grain');
  const key = measure.name.toLowerCase();
  const r = (column: string) => sql.id(rows.name, column);
  const time = r(rows.times.get(group.time!.toLowerCase())!);
  const arg = rows.args.get(key);
  if (!arg) throw new Error('compiler bug: a retention measure without an argument');
  const where = rows.wheres.get(key);
  const segmentNames: string[] = [];
  const segmentKeys: Selection[] = [];
  plan.segments.forEach((segment, i) => {
    const column = rows.segments[i];
    if (column === undefined) return;
    segmentNames.push(segment.name);
    segmentKeys.push(column === segment.name ? pick(rows.name, column) : r(column).as(segment.name));
  });

  const conditions: Sql[] = [sql`${r(arg)} is not null`];
  if (where) conditions.push(sql`${r(where)}`);
  // Whole periods, from the one before the first result period (and the lookback) on.
  if (plan.from)
    conditions.push(
      sql`${time} >= ${dateSql(shiftPeriod(periodStart(plan.from.date, grain), grain, -1 - plan.lookback))}`,
    );
  if (plan.to) conditions.push(sql`${time} < ${instantSql(plan.to.text)}`);
  // `retained` and `churned` over the same argument and `where` share their sets.
  const known = setsOf(ctx);
  const setsKey = `${rows.name}|${arg}|${where ?? ''}|${group.time}`;
  const sets =
    known.get(setsKey) ??
    ctx.addCte(`${ctx.source(group.source).name}_members_by_${grain}`, () => {
      let query = db
        .selectFrom(rows.name)
        .select([periodOf(ctx.dialect, grain, time).as('period'), ...segmentKeys, r(arg).as('member')])
        .distinct();
      for (const condition of conditions) query = query.where(condition as never);
      return query;
    });
  known.set(setsKey, sets);

  const next = sql`cast(${sql.id('before', 'period')} + ${grainInterval(grain)} as date)`;
  const on = [
    sql`${sql.id('after', 'period')} = ${next}`,
    sql`${sql.id('after', 'member')} = ${sql.id('before', 'member')}`,
    ...segmentNames.map((s) => ctx.dialect.sameKey(sql.id('after', s), sql.id('before', s))),
  ];
  const retained = sql`count(${sql.id('after', 'member')})`;
  const value = measure.retention === 'retained' ? retained : sql`count(*) - ${retained}`;
  const sample = names.samples.get(key);
  const name = ctx.addCte(`${ctx.source(group.source).name}_${measure.name}_by_${grain}`, () =>
    db
      .selectFrom(sql.id(sets).as('before'))
      .leftJoin(sql.id(sets).as('after'), (j) => j.on(sql<boolean>`${sql.join(on, sql` and `)}`))
      .select([
        next.as('period'),
        ...segmentNames.map((s) => pick('before', s)),
        value.as(names.measures.get(key)!),
        ...(sample ? [sql`count(*)`.as(sample)] : []),
      ])
      .groupBy([next, ...segmentNames.map((s) => sql.id('before', s))]),
  );
  return { name, group, hasPeriod: true, segments: plan.segments.map((_, i) => rows.segments[i] !== undefined) };
}

const SETS = new WeakMap<EmitContext, Map<string, string>>();

/** The sets CTEs written so far in this statement, by rows CTE, argument, condition and time. */
function setsOf(ctx: EmitContext): Map<string, string> {
  let known = SETS.get(ctx);
  if (!known) {
    known = new Map();
    SETS.set(ctx, known);
  }
  return known;
}
