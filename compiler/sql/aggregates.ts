// One aggregate CTE per measure group: the measures of one source that share
// a time column and a way of meeting periods, computed in one pass over the
// source's rows CTE, grouped by period and the segments the source reaches.
//
//   flow:        rows whose local time falls in the period (and in --from/--to)
//   cumulative:  periods x rows with time < period_end (no running sum: exact for count_distinct)
//   window:      periods x rows with period_end - window <= time < period_end
//   start / end: periods x rows valid at the period's start / exclusive end
// and, for every kind, time < --to: the end of a period is least(period_end, --to).

import { sql } from 'kysely';
import type { MeasureGroup, QueryPlan } from '../plan/plan.ts';
import { aggregateSql } from './aggregate-call.ts';
import { pick, type EmitContext, type Select, type Selection } from './context.ts';
import type { Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, instantSql, intervalSql } from './literal.ts';
import { periodStart, shiftPeriod } from '../calendar.ts';
import type { Rows } from './rows.ts';
import { periodOf } from './time.ts';

export interface Aggregate {
  readonly name: string;
  readonly group: MeasureGroup;
  readonly hasPeriod: boolean;
  /** Per query segment: whether this aggregate is broken down by it. */
  readonly segments: readonly boolean[];
}

export interface AggregateNames {
  /** Measure key -> its column in every CTE from the aggregates on. */
  readonly measures: ReadonlyMap<string, string>;
  /** Measure key -> the column counting the rows behind it (for `min_sample` without a denominator). */
  readonly samples: ReadonlyMap<string, string>;
}

export function emitAggregate(
  ctx: EmitContext,
  plan: QueryPlan,
  group: MeasureGroup,
  rows: Rows,
  periods: string | undefined,
  names: AggregateNames,
): Aggregate {
  const source = ctx.source(group.source);
  const r = (column: string) => sql.id(rows.name, column);
  const time = (data: string) => r(rows.times.get(data.toLowerCase())!);
  const p = (column: 'period' | 'period_end') => sql.id(periods ?? 'periods', column);
  const seriesBased =
    group.mode === 'window' ||
    group.mode === 'start' ||
    group.mode === 'end' ||
    (group.mode === 'cumulative' && plan.grain !== undefined);
  if (seriesBased && periods === undefined)
    throw new Error(`compiler bug: ${group.mode} measures need the periods CTE`);

  const keys: Selection[] = [];
  const groupBy: Sql[] = [];
  const hasPeriod = plan.grain !== undefined && group.mode !== 'timeless';
  if (hasPeriod) {
    const period = seriesBased ? p('period') : periodOf(ctx.dialect, plan.grain!, time(group.time!));
    keys.push(seriesBased ? pick(periods!, 'period') : period.as('period'));
    groupBy.push(period);
  }
  const segments = plan.segments.map((segment, i) => {
    const column = rows.segments[i];
    if (column === undefined) return false;
    keys.push(column === segment.name ? pick(rows.name, column) : r(column).as(segment.name));
    groupBy.push(r(column));
    return true;
  });

  const values = group.measures.flatMap((measure) => {
    const key = measure.name.toLowerCase();
    const arg = rows.args.get(key);
    const where = rows.wheres.get(key);
    const filter = where ? r(where) : undefined;
    const value = aggregateSql(measure.aggregate, arg ? r(arg) : undefined, measure.percentile, filter, ctx.dialect).as(
      names.measures.get(key)!,
    );
    const sample = names.samples.get(key);
    return sample ? [value, aggregateSql('count', undefined, undefined, filter, ctx.dialect).as(sample)] : [value];
  });

  const conditions: Sql[] = [];
  let from: Select;
  if (seriesBased) {
    from = db
      .selectFrom(periods!)
      .innerJoin(rows.name, (j) => j.on(seriesCondition(ctx, plan, group, time, p) as never));
    // One `--to` rule for every kind: no row at or after `--to` is counted. A window or a
    // cumulative measure of the period that `--to` cuts ends at `--to` (docs/time-analytics.md).
    if ((group.mode === 'window' || group.mode === 'cumulative') && plan.to && !plan.cohort)
      conditions.push(sql`${time(group.time!)} < ${instantSql(plan.to.text)}`);
  } else {
    from = db.selectFrom(rows.name);
    // A cohort query's range chooses cohorts: its rows CTE applies it (sql/cohort.ts).
    const ranged = !plan.cohort;
    if (ranged && group.mode === 'flow' && plan.from) conditions.push(flowFrom(plan, time(group.time!)));
    if (ranged && (group.mode === 'flow' || group.mode === 'cumulative') && plan.to)
      conditions.push(sql`${time(group.time!)} < ${instantSql(plan.to.text)}`);
  }

  const name = ctx.addCte(aggregateName(source.name, group, plan, source.time), () => {
    let query = from.select([...keys, ...values]);
    for (const condition of conditions) query = query.where(condition as never);
    return groupBy.length > 0 ? query.groupBy(groupBy) : query;
  });
  return { name, group, hasPeriod, segments };
}

/**
 * The lower bound of flow rows. With a lookback (periods computed only to be
 * compared with) the rows of those whole periods are read too; a `--from`
 * inside the first period still cuts that period.
 *   --from 2024-03-10, grain month, lookback 1
 *   -> t >= date '2024-02-01' and (t < date '2024-03-01' or t >= date '2024-03-10')
 */
function flowFrom(plan: QueryPlan, time: Sql): Sql {
  const from = plan.from!;
  if (!plan.grain || plan.lookback === 0) return sql`${time} >= ${instantSql(from.text)}`;
  const first = periodStart(from.date, plan.grain);
  const start = sql`${time} >= ${dateSql(shiftPeriod(first, plan.grain, -plan.lookback))}`;
  if (from.text === first) return start;
  return sql`${start} and (${time} < ${dateSql(first)} or ${time} >= ${instantSql(from.text)})`;
}

function seriesCondition(
  ctx: EmitContext,
  plan: QueryPlan,
  group: MeasureGroup,
  time: (data: string) => Sql,
  p: (c: 'period' | 'period_end') => Sql,
): Sql {
  const valid = ctx.source(group.source).valid;
  switch (group.mode) {
    case 'cumulative':
      return sql`${time(group.time!)} < ${p('period_end')}`;
    case 'window': {
      const window = plan.kpi.window!;
      return sql`${time(group.time!)} >= ${p('period_end')} - ${intervalSql(window.amount, window.unit)} and ${time(group.time!)} < ${p('period_end')}`;
    }
    case 'start':
      return sql`${time(valid!.from)} <= ${p('period')} and (${time(valid!.to)} is null or ${time(valid!.to)} > ${p('period')})`;
    case 'end': {
      // A period cut by `--to` is seen at `--to`: the state of the last instant the range covers.
      const end = plan.to ? sql`least(${p('period_end')}, ${instantSql(plan.to.text)})` : p('period_end');
      return sql`${time(valid!.from)} < ${end} and (${time(valid!.to)} is null or ${time(valid!.to)} >= ${end})`;
    }
    default:
      throw new Error(`compiler bug: ${group.mode} measures do not meet periods by a join`);
  }
}

/** `surveys_by_month`, `subscriptions_at_start_by_month`, `orders_shipped_at_total`, `customers_overall`. */
function aggregateName(source: string, group: MeasureGroup, plan: QueryPlan, defaultTime: string | undefined): string {
  const time = group.time && group.time.toLowerCase() !== defaultTime?.toLowerCase() ? `_${group.time}` : '';
  const by = plan.grain ? `by_${plan.grain}` : '';
  const mode = {
    flow: by || 'total',
    cumulative: by ? `cumulative_${by}` : 'cumulative',
    window: by ? `window_${by}` : 'window',
    start: by ? `at_start_${by}` : 'at_start',
    end: by ? `at_end_${by}` : 'at_end',
    timeless: 'overall',
    retention: by,
    state: by ? `state_${by}` : 'state',
  }[group.mode];
  return `${source}${time}_${mode}`;
}
