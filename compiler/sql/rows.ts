// The rows CTE of a source: one row per row of the source that passes its
// checks and the query's filters, with what the aggregates need (segment
// values, local times, measure arguments and conditions) as plain columns.
//
//   surveys_rows as (
//     select "customers"."tier" as "tier", "surveys"."responded_at" as "responded_at",
//            "surveys"."nps" >= 9 as "promoters_where"
//     from read_csv('/data/surveys.csv') as "surveys"
//     left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "surveys"."customer_id"
//     where ("surveys"."nps" between 0 and 10) is true
//   )

import { sql } from 'kysely';
import type { MeasureGroup, PlannedSegment, QueryPlan, SourcePlan } from '../plan/plan.ts';
import { cohortRowParts } from './cohort.ts';
import { Namer, type EmitContext, type Selection } from './context.ts';
import type { Sql } from './expr.ts';
import { Scan } from './scan.ts';
import { isUtc, localTime } from './time.ts';
import type { RExpr } from '../semantic/model.ts';
import { scopeOfModel } from '../semantic/scope.ts';

export interface Rows {
  readonly name: string;
  readonly source: string;
  /** Per query segment, the column holding it; undefined when the source cannot reach it. */
  readonly segments: readonly (string | undefined)[];
  /** Data column (lower-cased) -> the column holding it as local time. */
  readonly times: ReadonlyMap<string, string>;
  /** Measure key -> column of its argument. */
  readonly args: ReadonlyMap<string, string>;
  /** Measure key -> column of its `where` condition. */
  readonly wheres: ReadonlyMap<string, string>;
  /** The customer key of each row, for per-customer state measures. */
  readonly member?: string;
}

export function emitRows(
  ctx: EmitContext,
  plan: SourcePlan,
  groups: readonly MeasureGroup[],
  segments: readonly PlannedSegment[],
  query?: QueryPlan,
): Rows {
  const scan = new Scan(ctx, plan.source);
  const source = ctx.source(plan.source);
  const names = new Namer(['period', 'period_end', ...segments.map((s) => s.name)]);
  const select: Selection[] = [];
  const column = (value: Sql, name: string) => {
    select.push(value.as(name));
    return name;
  };

  const cohort =
    plan.cohort && query?.cohort ? cohortRowParts(ctx, query, plan, scan, groups.find((g) => g.time)?.time) : undefined;
  const segmentColumns = plan.segments.map((expr, i) => {
    const key = segments[i]!.cohort;
    if (key === 'cohort') return cohort ? column(cohort.cohort, segments[i]!.name) : undefined;
    if (key === 'since') return cohort?.since ? column(cohort.since, segments[i]!.name) : undefined;
    return expr ? column(scan.expr(expr), segments[i]!.name) : undefined;
  });

  const times = new Map<string, string>();
  const addTime = (data: string) => {
    if (times.has(data.toLowerCase())) return;
    times.set(data.toLowerCase(), column(localTime(ctx, plan.source, data, scan.column(data)), names.take(data)));
  };
  for (const group of groups) {
    if (group.time) addTime(group.time);
    if ((group.mode === 'start' || group.mode === 'end' || group.mode === 'state') && source.valid) {
      addTime(source.valid.from);
      addTime(source.valid.to);
    }
  }

  // A plain column of the source is carried under its own name, once, however many measures use it.
  const plain = new Map<string, string>();
  const argColumn = (arg: RExpr, measure: string): string => {
    if (arg.kind !== 'column' || arg.path.length > 0) return column(scan.expr(arg), names.take(`${measure}_arg`));
    const key = arg.column.toLowerCase();
    const known =
      times.get(key) && !isUtc(ctx.model.timezone || 'UTC') ? undefined : (times.get(key) ?? plain.get(key));
    if (known) return known;
    const name = column(scan.expr(arg), names.take(arg.column));
    plain.set(key, name);
    return name;
  };
  const args = new Map<string, string>();
  const wheres = new Map<string, string>();
  for (const group of groups) {
    for (const measure of group.measures) {
      const key = measure.name.toLowerCase();
      if (measure.arg && !args.has(key)) args.set(key, argColumn(measure.arg, measure.name));
      if (measure.where && !wheres.has(key))
        wheres.set(key, column(scan.expr(measure.where), names.take(`${measure.name}_where`)));
    }
  }
  // Per-customer state (`at period ... retained`): the customer key, from the last link to the entity.
  let member: string | undefined;
  if (groups.some((g) => g.mode === 'state'))
    member = column(customerKey(ctx, plan.source, scan), names.take('member'));
  if (select.length === 0) select.push(sql`true`.as(names.take('row')));

  const conditions = [
    ...source.checks.map((check) => sql<boolean>`(${scan.expr(check.predicate)}) is true`),
    ...plan.filters.map((filter) => sql<boolean>`(${scan.expr(filter)}) is true`),
    ...(cohort?.conditions ?? []).map((condition) => sql<boolean>`${condition}`),
  ];
  const name = ctx.addCte(`${source.name}_rows`, () => {
    let query = scan.query().select(select);
    for (const condition of conditions) query = query.where(condition);
    return query;
  });
  return { name, source: plan.source, segments: segmentColumns, times, args, wheres, ...(member ? { member } : {}) };
}

/** The customer entity's key for a row of `source`: its own key on the entity, else the column of the last link to it. */
function customerKey(ctx: EmitContext, source: string, scan: Scan): Sql {
  const customer = ctx.model.customer;
  const entity = customer === undefined ? undefined : ctx.model.sources.get(customer);
  if (!entity?.key) throw new Error('compiler bug: per-customer state without a customer key');
  if (source === customer) return scan.column(entity.key);
  const path = scopeOfModel(ctx.model).reach(source).entries.get(customer!)?.path;
  const last = path?.[path.length - 1];
  if (!path || !last) throw new Error('compiler bug: per-customer state of a source that does not reach the customer');
  return scan.expr({
    kind: 'column',
    source: last.from,
    column: last.fromColumn,
    path: path.slice(0, -1),
    type: 'unknown',
    span: entity.span,
  });
}
