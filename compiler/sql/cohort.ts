// The SQL of a cohort query (`cohort by DIM`, see plan/cohort.ts).
//
//   <source>_rows   + "cohort" (the cohort's first day, a DATE) and, for activity,
//                   "periods_since" = date_diff('month', "cohort", <the row's period>)
//   cohort_keys     every (cohort, segment values) some aggregate has
//   cohort_bounds   the last local time of the data (without --to)
//   cohort_grid     each key x 0..(periods from its cohort to the last period): zero cells included
//     select "cohort", unnest(generate_series(0, date_diff('month', "cohort", <last period>))) as "periods_since", ...
//   cohort_spine    + "period" (cohort + periods since), for the `incomplete` mark
//
// Activity before the cohort starts (an event before signup) has a negative
// periods_since and falls outside the grid; a customer without a cohort value
// is in no cohort.

import { sql } from 'kysely';
import type { QueryPlan, SourcePlan } from '../plan/plan.ts';
import { lastPeriodStart, periodStart } from '../calendar.ts';
import type { Aggregate } from './aggregates.ts';
import { pick, type EmitContext, type Select } from './context.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, instantSql, stringSql } from './literal.ts';
import type { Rows } from './rows.ts';
import type { Scan } from './scan.ts';
import { grainInterval, isUtc, localTime, periodOf } from './time.ts';

/** The cohort columns of one source's rows, and the range conditions on them. */
export function cohortRowParts(
  ctx: EmitContext,
  plan: QueryPlan,
  source: SourcePlan,
  scan: Scan,
  time: string | undefined,
): { cohort: Sql; since?: Sql; conditions: Sql[] } {
  const grain = plan.cohort!.grain;
  const expr = source.cohort!.expr;
  const zone = ctx.model.timezone || 'UTC';
  // A cohort timestamp is an instant, like any time column: its period is local.
  const value =
    expr.type === 'date' || isUtc(zone) ? scan.expr(expr) : ctx.dialect.wallTime(stringSql(zone), scan.expr(expr));
  const cohort = periodOf(ctx.dialect, grain, value);
  const conditions: Sql[] = [];
  if (plan.from) conditions.push(sql`${cohort} >= ${dateSql(periodStart(plan.from.date, grain))}`);
  if (plan.to) conditions.push(sql`${cohort} <= ${dateSql(lastPeriodStart(plan.to, grain))}`);
  // The `--to` rule: a customer whose cohort instant is at or after `--to` has not joined yet.
  if (plan.to) conditions.push(sql`${value} < ${instantSql(plan.to.text)}`);
  if (source.cohort!.members || !time) return { cohort, conditions };
  const local = localTime(ctx, source.source, time, scan.column(time));
  if (plan.to) conditions.push(sql`${local} < ${instantSql(plan.to.text)}`);
  return { cohort, since: ctx.dialect.dateDiff(grain, cohort, periodOf(ctx.dialect, grain, local)), conditions };
}

export interface CohortSpine {
  readonly name: string;
  /** `cohort_bounds` (column `last`) when the range has no `--to`. */
  readonly bounds?: string;
}

/** The grid of cohorts x periods since, up to the last period of the range or the data. */
export function emitCohortSpine(
  ctx: EmitContext,
  plan: QueryPlan,
  aggregates: readonly Aggregate[],
  rows: ReadonlyMap<string, Rows>,
): CohortSpine {
  const grain = plan.cohort!.grain;
  const user = plan.segments.filter((s) => !s.cohort).map((s) => s.name);
  const userIndex = plan.segments.map((s, i) => (s.cohort ? -1 : i)).filter((i) => i >= 0);
  const keyed = aggregates.filter((a) => userIndex.every((i) => a.segments[i]));
  if (keyed.length === 0) throw new Error('compiler bug: no aggregate of a cohort query has every segment');
  const parts = keyed.map((a) =>
    db
      .selectFrom(a.name)
      .select([pick(a.name, 'cohort'), ...user.map((s) => pick(a.name, s))])
      .distinct(),
  );
  let union = parts[0]!;
  for (const part of parts.slice(1)) union = union.union(part);
  const keys = ctx.addCte('cohort_keys', () => union);

  let bounds: string | undefined;
  let last: Sql;
  if (plan.to) last = dateSql(lastPeriodStart(plan.to, grain));
  else {
    const maxima: Select[] = [];
    for (const source of plan.sources) {
      const r = rows.get(source.source)!;
      const time = plan.groups.find((g) => g.source === source.source && g.time)?.time;
      const column =
        source.cohort?.members || !time ? sql.id(r.name, 'cohort') : sql.id(r.name, r.times.get(time.toLowerCase())!);
      maxima.push(db.selectFrom(r.name).select(sql`max(${column})`.as('last')));
    }
    let all = maxima[0]!;
    for (const part of maxima.slice(1)) all = all.unionAll(part);
    bounds = ctx.addCte('cohort_bounds', () =>
      db.selectFrom(all.as('data_bounds')).select(sql`max(${sql.id('last')})`.as('last')),
    );
    last = sql`(select ${periodOf(ctx.dialect, grain, sql.id(bounds, 'last'))} from ${sql.id(bounds)})`;
  }
  const k = (column: string) => sql.id(keys, column);
  const grid = ctx.addCte('cohort_grid', () =>
    db
      .selectFrom(keys)
      .select([
        pick(keys, 'cohort'),
        ctx.dialect.integerSeries(ctx.dialect.dateDiff(grain, k('cohort'), last)).as('periods_since'),
        ...user.map((s) => pick(keys, s)),
      ])
      .where(sql<boolean>`${k('cohort')} is not null`),
  );
  const name = ctx.addCte('cohort_spine', () =>
    db
      .selectFrom(grid)
      .select([
        pick(grid, 'cohort'),
        pick(grid, 'periods_since'),
        ...user.map((s) => pick(grid, s)),
        sql`cast(${sql.id(grid, 'cohort')} + ${sql.id(grid, 'periods_since')} * ${grainInterval(grain)} as date)`.as(
          'period',
        ),
      ]),
  );
  return bounds ? { name, bounds } : { name };
}

/** A cell is incomplete when its period (cohort + periods since) ends after the data or the range. */
export function cohortIncompleteSql(plan: QueryPlan, spine: CohortSpine): Sql {
  const end = sql`cast(${sql.id('period')} + ${grainInterval(plan.cohort!.grain)} as date)`;
  if (plan.to) return sql`${end} > ${instantSql(plan.to.text)}`;
  return sql`coalesce(${end} > (select cast(${sql.id(spine.bounds!, 'last')} as date) + 1 from ${sql.id(spine.bounds!)}), false)`;
}
