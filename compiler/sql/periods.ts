// The periods of a query: a generated series, so that every period of the
// range appears (a month without rows is a month with 0, not a missing row).
//
//   periods as (
//     select cast("series"."s" as date) as "period", cast("series"."s" + interval '1 months' as date) as "period_end"
//     from generate_series(timestamp '2024-01-01', timestamp '2024-06-01', interval '1 months') as "series"("s")
//   )
//
// Bounds come from --from/--to when given, else from the data (`period_bounds`):
// when every timed measure is a flow, the first and last period of their
// aggregates (so the source is read once); else the first and last local time
// of the flow and cumulative measures, and for
// `valid from A to B` sources from the first A to the last of A and B, with a B
// later than today capped at today (a subscription ending in 2099 must not
// make 900 years of periods).

import { sql } from 'kysely';
import type { QueryPlan } from '../plan/plan.ts';
import { lastPeriodStart, periodStart, shiftPeriod } from '../calendar.ts';
import type { EmitContext, Select } from './context.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';
import { instantSql, timestampSql } from './literal.ts';
import type { Rows } from './rows.ts';
import type { Aggregate } from './aggregates.ts';
import { grainInterval } from './time.ts';

/** Whether the query needs a `periods` CTE: with a grain always, without one for windows and snapshots. */
export function needsPeriods(plan: QueryPlan): boolean {
  if (plan.grain)
    return plan.groups.some((g) => g.mode !== 'timeless') || (plan.from !== undefined && plan.to !== undefined);
  return plan.groups.some((g) => g.mode === 'window' || g.mode === 'start' || g.mode === 'end' || g.mode === 'state');
}

/** The periods CTE, and the data bounds CTE when the range needs one (`first`, `last` local times). */
export interface Periods {
  readonly name: string;
  readonly bounds?: string;
}

/**
 * Whether the data bounds can come from the aggregates: every timed measure
 * is a flow, grouped by the period of its own rows, so the first and last
 * period with data are the least and greatest `period` of the aggregates
 * (the rows are then read once). Cumulative, window and snapshot measures
 * join the periods, so these need the bounds first, from the rows; so does
 * the `incomplete` mark, which compares with the first and the last day
 * with data, not their periods.
 */
export function boundsFromAggregates(plan: QueryPlan): boolean {
  if (!plan.grain || plan.cohort || (plan.from && plan.to) || plan.incomplete) return false;
  const timed = plan.groups.filter((g) => g.mode !== 'timeless');
  return timed.length > 0 && timed.every((g) => g.mode === 'flow');
}

/**
 * The periods CTE. `aggregates` (when `boundsFromAggregates`): the flow
 * aggregates, already emitted, to take the bounds from; else the bounds come
 * from the rows.
 *   period_bounds as (select min("period") as "first", max("period") as "last" from "tickets_by_month")
 */
export function emitPeriods(
  ctx: EmitContext,
  plan: QueryPlan,
  rows: ReadonlyMap<string, Rows>,
  aggregates?: readonly Aggregate[],
): Periods {
  // The `incomplete` mark needs the data's first day even when the range is closed (sql/combine.ts).
  const firstDay = plan.grain !== undefined && plan.incomplete && !plan.cohort && hasTimedRows(plan);
  const closed = plan.from !== undefined && plan.to !== undefined && !firstDay;
  const bounds = closed ? undefined : aggregates ? emitAggregateBounds(ctx, aggregates) : emitBounds(ctx, plan, rows);
  const name = emitSeries(ctx, plan, bounds);
  return bounds ? { name, bounds } : { name };
}

/** Whether some measure group reads times from its rows (the data bounds come from those). */
function hasTimedRows(plan: QueryPlan): boolean {
  return plan.groups.some((g) => g.mode === 'start' || g.mode === 'end' || g.mode === 'state' || g.time !== undefined);
}

function emitSeries(ctx: EmitContext, plan: QueryPlan, bounds: string | undefined): string {
  const b = (column: 'first' | 'last') => sql.id(bounds ?? 'period_bounds', column);
  if (!plan.grain) {
    const start = plan.from ? instantSql(plan.from.text) : b('first');
    const end = plan.to ? instantSql(plan.to.text) : sql`cast(${b('last')} as date) + 1`;
    return ctx.addCte('periods', () => {
      const select = [start.as('period'), end.as('period_end')];
      return bounds ? db.selectFrom(bounds).select(select) : db.selectNoFrom(select);
    });
  }
  const grain = plan.grain;
  const truncated = (bound: Sql) => ctx.dialect.cast(ctx.dialect.truncate(grain, bound), 'timestamp');
  const start = plan.from
    ? timestampSql(`${shiftPeriod(periodStart(plan.from.date, grain), grain, -plan.lookback)} 00:00:00`)
    : truncated(b('first'));
  const end = plan.to ? timestampSql(`${lastPeriodStart(plan.to, grain)} 00:00:00`) : truncated(b('last'));
  const series = ctx.dialect.timeSeries(start, end, grainInterval(grain)).as(sql`${sql.id('series')}(${sql.id('s')})`);
  const s = sql.id('series', 's');
  return ctx.addCte('periods', () => {
    const from: Select = bounds ? db.selectFrom(bounds).crossJoin(series) : db.selectFrom(series);
    return from.select([
      sql`cast(${s} as date)`.as('period'),
      sql`cast(${s} + ${grainInterval(grain)} as date)`.as('period_end'),
    ]);
  });
}

function emitAggregateBounds(ctx: EmitContext, aggregates: readonly Aggregate[]): string {
  const parts = aggregates
    .filter((a) => a.hasPeriod)
    .map((a) => {
      const period = sql.id(a.name, 'period');
      return db.selectFrom(a.name).select([sql`min(${period})`.as('first'), sql`max(${period})`.as('last')]);
    });
  return unionBounds(ctx, parts);
}

function emitBounds(ctx: EmitContext, plan: QueryPlan, rows: ReadonlyMap<string, Rows>): string {
  const parts: Select[] = [];
  const seen = new Set<string>();
  for (const group of plan.groups) {
    const r = rows.get(group.source)!;
    const time = (data: string) => sql.id(r.name, r.times.get(data.toLowerCase())!);
    const valid = ctx.source(group.source).valid;
    let first: Sql;
    let last: Sql;
    if (group.mode === 'start' || group.mode === 'end' || group.mode === 'state') {
      first = sql`min(${time(valid!.from)})`;
      last = sql`greatest(max(${time(valid!.from)}), least(max(${time(valid!.to)}), current_date))`;
    } else if (group.time) {
      first = sql`min(${time(group.time)})`;
      last = sql`max(${time(group.time)})`;
    } else continue;
    const key = `${r.name}|${group.mode === 'start' || group.mode === 'end' || group.mode === 'state' ? 'valid' : group.time}`;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(db.selectFrom(r.name).select([first.as('first'), last.as('last')]));
  }
  return unionBounds(ctx, parts);
}

/** `period_bounds`: one row, the least `first` and the greatest `last` of the parts. */
function unionBounds(ctx: EmitContext, parts: readonly Select[]): string {
  if (parts.length === 0) throw new Error('compiler bug: period bounds without any timed measure');
  return ctx.addCte('period_bounds', () => {
    if (parts.length === 1) return parts[0]!;
    let union = parts[0]!;
    for (const part of parts.slice(1)) union = union.unionAll(part);
    return db
      .selectFrom(union.as('data_bounds'))
      .select([sql`min(${sql.id('first')})`.as('first'), sql`max(${sql.id('last')})`.as('last')]);
  });
}
