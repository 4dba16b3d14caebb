// The final select: the values with their status, and what the query adds.
//
// A plain query selects from the values CTE directly. With `--compare
// previous` the values are joined with themselves one period back
// (`kpi_compared`); with a filter (`--status`, `periods complete`, a lookback
// before `--from`) the rows go through `kpi_results`, so the status is
// computed once and filtered by name.
//
//   kpi_compared as (
//     select "this_period"."period", ..., "this_period"."value",
//       "previous_period"."value" as "previous_value",
//       "this_period"."value" - "previous_period"."value" as "change",
//       cast("this_period"."value" - "previous_period"."value" as double) / nullif(abs("previous_period"."value"), 0) as "change_pct"
//     from "kpi_values" as "this_period"
//     left join "kpi_values" as "previous_period"
//       on "previous_period"."period" = cast("this_period"."period" - interval '1 month' as date) and <segments match>
//   )

import { sql } from 'kysely';
import type { Grain } from '../semantic/model.ts';
import type { ResultColumn } from '../plan/query.ts';
import type { ResultPlan } from '../plan/result.ts';
import type { Values } from './combine.ts';
import { pick, type EmitContext, type Select, type Selection } from './context.ts';
import { divide, type Sql } from './expr.ts';
import { db } from './kysely.ts';
import { dateSql, numberSql, stringSql } from './literal.ts';
import { statusSql, targetMetSql, type StatusSubject } from './status.ts';
import { emitTargetTables } from './targets.ts';
import { grainInterval } from './time.ts';

export function emitResult(
  ctx: EmitContext,
  plan: ResultPlan,
  values: Values,
): { query: Select; columns: ResultColumn[] } {
  const v = plan.values;
  const source = plan.compare ? emitCompare(ctx, v.grain!, values) : values.name;
  const ctes = v.grain ? emitTargetTables(ctx, v.grain, plan.thresholds) : new Map();
  const subject: StatusSubject = {
    thresholds: plan.thresholds,
    insufficient: values.insufficient,
    ...(values.ratio ? { ratio: values.ratio } : {}),
    ...(ctes.size > 0 ? { targets: { ctes, outer: source } } : {}),
  };
  const compared = plan.compare ? ['previous_value', 'change', 'change_pct'] : [];
  const extra = values.extra ?? [];
  const output = [
    ...values.keys,
    'numerator',
    'denominator',
    'value',
    ...compared,
    'status',
    'target_met',
    ...extra,
    ...(plan.markIncomplete ? ['incomplete'] : []),
  ];
  const select: Selection[] = [
    ...[...values.keys, 'numerator', 'denominator', 'value', ...compared].map((c) => pick(c)),
    statusSql(subject, ctx.dialect).as('status'),
    targetMetSql(subject, ctx.dialect).as('target_met'),
    ...extra.map((c) => pick(c)),
  ];
  const filters: Sql[] = [];
  if (plan.firstPeriod) filters.push(sql`${sql.id('period')} >= ${dateSql(plan.firstPeriod)}`);
  if (plan.completeOnly) filters.push(sql`not ${sql.id('incomplete')}`);
  if (plan.status) filters.push(sql`${sql.id('status')} in (${sql.join(plan.status.map((s) => stringSql(s)))})`);
  const carryIncomplete = plan.markIncomplete || plan.completeOnly;

  let query: Select;
  if (filters.length === 0 && !carryIncomplete && plan.last === undefined) {
    query = ctx.withCtes().selectFrom(source).select(select);
  } else {
    const results = ctx.addCte('kpi_results', () =>
      db.selectFrom(source).select([...select, ...(carryIncomplete ? [pick('incomplete')] : [])]),
    );
    if (plan.last !== undefined) filters.push(latestPeriodsSql(plan, results));
    query = ctx
      .withCtes()
      .selectFrom(results)
      .select(output.map((c) => pick(c)));
    for (const filter of filters) query = query.where(filter as never);
  }
  for (const key of values.keys) query = query.orderBy(key === 'period' ? sql.id(key) : sql`${sql.id(key)} nulls last`);
  const roles: Record<string, ResultColumn['role']> = { period: 'period' };
  const columns = output.map((name, i) => ({
    name,
    role:
      i < values.keys.length
        ? (roles[name] ?? 'segment')
        : extra.includes(name)
          ? ('component' as const)
          : (name as ResultColumn['role']),
  }));
  return { query, columns };
}

/**
 * `--last N`: the N latest periods of the rows left once incomplete periods
 * are out, chosen before `--status` filters, so `--latest --status critical`
 * is the critical rows of the latest complete period, not the latest period
 * that had a critical row.
 *
 *   "period" in (select "period" from "kpi_results" where not "incomplete"
 *                group by "period" order by "period" desc limit 4)
 */
function latestPeriodsSql(plan: ResultPlan, results: string): Sql {
  const complete = plan.completeOnly ? sql` where not ${sql.id('incomplete')}` : sql``;
  const first = plan.firstPeriod
    ? sql`${plan.completeOnly ? sql` and ` : sql` where `}${sql.id('period')} >= ${dateSql(plan.firstPeriod)}`
    : sql``;
  return sql`${sql.id('period')} in (select ${sql.id('period')} from ${sql.id(results)}${complete}${first} group by ${sql.id('period')} order by ${sql.id('period')} desc limit ${numberSql(String(plan.last))})`;
}

function emitCompare(ctx: EmitContext, grain: Grain, values: Values): string {
  const now = 'this_period';
  const before = 'previous_period';
  const on = values.keys.map((key) =>
    key === 'period'
      ? sql`${sql.id(before, 'period')} = cast(${sql.id(now, 'period')} - ${grainInterval(grain)} as date)`
      : ctx.dialect.sameKey(sql.id(before, key), sql.id(now, key)),
  );
  const value = sql.id(now, 'value');
  const previous = sql.id(before, 'value');
  const carried = [
    ...values.keys,
    'numerator',
    'denominator',
    ...(values.insufficient ? ['insufficient'] : []),
    'value',
  ];
  return ctx.addCte('kpi_compared', () =>
    db
      .selectFrom(sql.id(values.name).as(now))
      .leftJoin(sql.id(values.name).as(before), (j) => j.on(sql<boolean>`${sql.join(on, sql` and `)}`))
      .select([
        ...carried.map((c) => pick(now, c)),
        previous.as('previous_value'),
        sql`${value} - ${previous}`.as('change'),
        divide(sql`${value} - ${previous}`, sql`abs(${previous})`, ctx.dialect).as('change_pct'),
        ...(values.extra ?? []).map((c) => pick(now, c)),
        ...(values.incomplete ? [pick(now, 'incomplete')] : []),
      ]),
  );
}
