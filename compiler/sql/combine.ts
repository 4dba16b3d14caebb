// Combining the aggregates into the KPI's rows.
//
//   segment_keys  every (period, segment values) some fully segmented aggregate has
//   spine         every period x the keys of that period (a period without data: one row, null segments)
//   measures      the spine LEFT JOIN each aggregate on the keys it has (IS NOT DISTINCT FROM: null
//                 segment values match); an aggregate lacking a key repeats over it (broadcast)
//   kpi_parts     numerator and denominator
//   kpi_values    value = numerator * scale / denominator (null on a zero or null denominator)
//   final select  status and target_met from the thresholds, sorted

import { sql } from 'kysely';
import type { MExpr } from '../semantic/model.ts';
import type { QueryPlan } from '../plan/plan.ts';
import { isCounting } from './aggregate-call.ts';
import type { Aggregate, AggregateNames } from './aggregates.ts';
import { pick, type EmitContext, type Select, type Selection } from './context.ts';
import { divide, nullNumber, operatorSql, type Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, instantSql, numberSql } from './literal.ts';
import { periodStart } from '../calendar.ts';
import type { Periods } from './periods.ts';
import { cohortIncompleteSql, type CohortSpine } from './cohort.ts';
import { grainInterval } from './time.ts';
import { measuresOf } from '../semantic/mexpr.ts';

/**
 * A KPI's values: one CTE with the keys (`period`?, segments), `numerator`,
 * `denominator`, `insufficient` (with min_sample), `value` and `incomplete`
 * (when asked for). The result (`sql/result.ts`) reads it.
 */
export interface Values {
  readonly name: string;
  /** `period` (with a grain) and the segment columns. */
  readonly keys: readonly string[];
  readonly hasPeriod: boolean;
  readonly insufficient: boolean;
  /** It carries `incomplete`. */
  readonly incomplete: boolean;
  /** `--components`: more columns after `value`, shown after `target_met`. */
  readonly extra?: readonly string[];
  /** The value is `numerator * scale / denominator`: thresholds compare those columns exactly (sql/status.ts). */
  readonly ratio?: { readonly scale?: string };
}

export function emitCombination(
  ctx: EmitContext,
  plan: QueryPlan,
  aggregates: readonly Aggregate[],
  periods: Periods | undefined,
  names: AggregateNames,
  cohort?: CohortSpine,
): Values {
  const grain = plan.grain !== undefined && periods !== undefined;
  const segmentNames = plan.segments.map((s) => s.name);
  const spine = cohort ? cohort.name : emitSpine(ctx, plan, aggregates, grain ? periods.name : undefined);
  // A cohort cell's period (cohort + periods since) rides along, unseen, for the `incomplete` mark.
  const hidden = cohort && plan.incomplete ? ['period'] : [];
  const measures = emitMeasures(ctx, plan, aggregates, spine, grain, names, hidden);
  const keys = [...(grain ? ['period'] : []), ...segmentNames];
  const keyColumns = [...keys, ...hidden].map((k) => pick(k));

  const minSample = plan.kpi.minSample;
  const numerator = mexprSql(plan.kpi.numerator!, names, ctx);
  const denominator = plan.kpi.denominator ? mexprSql(plan.kpi.denominator, names, ctx) : undefined;
  const parts: Selection[] = [
    ...keyColumns,
    numerator.as('numerator'),
    (denominator ?? nullNumber(ctx.dialect)).as('denominator'),
  ];
  if (minSample !== undefined) {
    const sample = denominator ? sql`coalesce(${denominator}, 0)` : sampleSql(plan.kpi.numerator!, names);
    parts.push(sql`${sample} < ${numberSql(String(minSample))}`.as('insufficient'));
  }
  const kpiParts = ctx.addCte('kpi_parts', () => db.selectFrom(measures).select(parts));

  // Scaled before dividing: 29 / 100 * 100 in doubles is 28.999999999999996, (29 * 100) / 100 is 29.
  const scale = plan.kpi.scale;
  const n = sql.id('numerator');
  const scaled = scale !== undefined ? sql`${n} * ${numberSql(scale)}` : n;
  let value: Sql = denominator ? divide(scaled, sql.id('denominator'), ctx.dialect) : scaled;
  if (minSample !== undefined) value = sql`case when ${sql.id('insufficient')} then null else ${value} end`;
  const carried = [...keys, 'numerator', 'denominator', ...(minSample !== undefined ? ['insufficient'] : [])];
  const incomplete =
    cohort && plan.incomplete
      ? [cohortIncompleteSql(plan, cohort).as('incomplete')]
      : grain && plan.incomplete
        ? [incompleteSql(plan, periods).as('incomplete')]
        : [];
  const kpiValues = ctx.addCte('kpi_values', () =>
    db.selectFrom(kpiParts).select([...carried.map((c) => pick(c)), value.as('value'), ...incomplete]),
  );
  const ratio = denominator ? { ...(scale !== undefined ? { scale } : {}) } : undefined;
  return {
    name: kpiValues,
    keys,
    hasPeriod: grain,
    insufficient: minSample !== undefined,
    incomplete: incomplete.length > 0,
    ...(ratio ? { ratio } : {}),
  };
}

/**
 * A period is incomplete when the data or the range covers only part of it:
 * it ends after `--to`, or after the last day with data (a day with data
 * counts as covered); it starts before the first day with data (data that
 * begins on a Wednesday leaves its week partial); or `--from` starts inside
 * it. The first and last day are those of the rows the KPI reads
 * (`period_bounds`).
 *   cast("period" + interval '1 month' as date) > (select cast("last" as date) + 1 from "period_bounds")
 *   or "period" < (select cast("first" as date) from "period_bounds")
 */
function incompleteSql(plan: QueryPlan, periods: Periods): Sql {
  const grain = plan.grain!;
  const end = sql`cast(${sql.id('period')} + ${grainInterval(grain)} as date)`;
  const bounds = periods.bounds;
  const parts: Sql[] = [];
  if (plan.to) parts.push(sql`${end} > ${instantSql(plan.to.text)}`);
  else if (bounds)
    parts.push(
      sql`coalesce(${end} > (select cast(${sql.id(bounds, 'last')} as date) + 1 from ${sql.id(bounds)}), false)`,
    );
  else throw new Error('compiler bug: no data bounds for an open range');
  if (bounds)
    parts.push(
      sql`coalesce(${sql.id('period')} < (select cast(${sql.id(bounds, 'first')} as date) from ${sql.id(bounds)}), false)`,
    );
  const first = plan.from ? periodStart(plan.from.date, grain) : undefined;
  if (plan.from && plan.from.text !== first) parts.push(sql`${sql.id('period')} = ${dateSql(first!)}`);
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`;
}

/** The spine's CTE name; undefined when there are neither periods nor segments (every aggregate is one row). */
function emitSpine(
  ctx: EmitContext,
  plan: QueryPlan,
  aggregates: readonly Aggregate[],
  periods: string | undefined,
): string | undefined {
  const segmentNames = plan.segments.map((s) => s.name);
  if (segmentNames.length === 0) return periods;
  const full = aggregates.filter((a) => a.segments.every(Boolean));
  if (full.length === 0) throw new Error('compiler bug: no aggregate has every segment');
  const parts = full.map((aggregate) => {
    const segs = segmentNames.map((name) => pick(aggregate.name, name));
    if (!periods) return db.selectFrom(aggregate.name).select(segs);
    if (aggregate.hasPeriod) return db.selectFrom(aggregate.name).select([pick(aggregate.name, 'period'), ...segs]);
    return db
      .selectFrom(aggregate.name)
      .crossJoin(periods)
      .select([pick(periods, 'period'), ...segs]);
  });
  let union = parts[0]!;
  for (const part of parts.slice(1)) union = union.union(part);
  const keys = ctx.addCte('segment_keys', () => union);
  if (!periods) return keys;
  return ctx.addCte('spine', () =>
    db
      .selectFrom(periods)
      .leftJoin(keys, (j) => j.on(sql<boolean>`${sql.id(keys, 'period')} = ${sql.id(periods, 'period')}`))
      .select([pick(periods, 'period'), ...segmentNames.map((name) => pick(keys, name))]),
  );
}

function emitMeasures(
  ctx: EmitContext,
  plan: QueryPlan,
  aggregates: readonly Aggregate[],
  spine: string | undefined,
  grain: boolean,
  names: AggregateNames,
  hidden: readonly string[],
): string {
  const segmentNames = plan.segments.map((s) => s.name);
  const select: Selection[] = [];
  if (spine) {
    if (grain) select.push(pick(spine, 'period'));
    for (const name of [...segmentNames, ...hidden]) select.push(pick(spine, name));
  }
  for (const aggregate of aggregates) {
    for (const measure of aggregate.group.measures) {
      const column = names.measures.get(measure.name.toLowerCase())!;
      const value = sql.id(aggregate.name, column);
      const zero = isCounting(measure.aggregate) || measure.aggregate === 'sum';
      select.push((zero ? sql`coalesce(${value}, 0)` : value).as(column));
      const sample = names.samples.get(measure.name.toLowerCase());
      if (sample) select.push(sql`coalesce(${sql.id(aggregate.name, sample)}, 0)`.as(sample));
    }
  }
  return ctx.addCte('measures', () => {
    const [first, ...rest] = aggregates;
    let query: Select = spine ? db.selectFrom(spine) : db.selectFrom(first!.name);
    for (const aggregate of spine ? aggregates : rest) {
      const on: Sql[] = [];
      if (spine && grain && aggregate.hasPeriod)
        on.push(sql`${sql.id(aggregate.name, 'period')} = ${sql.id(spine, 'period')}`);
      aggregate.segments.forEach((present, i) => {
        if (!present || !spine) return;
        on.push(ctx.dialect.sameKey(sql.id(aggregate.name, segmentNames[i]!), sql.id(spine, segmentNames[i]!)));
      });
      query =
        on.length === 0
          ? query.crossJoin(aggregate.name)
          : query.leftJoin(aggregate.name, (j) => j.on(sql<boolean>`${sql.join(on, sql` and `)}`));
    }
    return query.select(select);
  });
}

/** A numerator or denominator over the `measures` columns. */
function mexprSql(expr: MExpr, names: AggregateNames, ctx: EmitContext): Sql {
  switch (expr.kind) {
    case 'measure':
      return sql.id(names.measures.get(expr.measure.toLowerCase())!);
    case 'number':
      return numberSql(expr.text);
    case 'negate':
      return sql`-(${mexprSql(expr.operand, names, ctx)})`;
    case 'arith': {
      const left = mexprSql(expr.left, names, ctx);
      const right = mexprSql(expr.right, names, ctx);
      if (expr.op === '/') return divide(left, right, ctx.dialect);
      return sql`(${left} ${sql.raw(operatorSql(expr.op))} ${right})`;
    }
  }
}

/** Rows behind the numerator's measures: the sum of their row counts. */
function sampleSql(expr: MExpr, names: AggregateNames): Sql {
  const columns = [...new Set(measuresOf(expr))].map((m) => sql.id(names.samples.get(m)!));
  return columns.length === 0 ? sql`0` : sql.join(columns, sql` + `);
}
