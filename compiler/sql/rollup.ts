// An input of a derived KPI computed per customer and rolled up over each
// segment's customers (`customer_mean`, `customer_share`).
//
//   value customer_mean(customer_health)        segment by tier
//   -> customer_health_per_customer as (select "period", "tier", "customer", "value",
//        <the status of customer_health's thresholds> as "status" from "customer_health_values")
//      customer_health_by_customers as (select "period", "tier", avg("value") as "value"
//        from "customer_health_per_customer" group by "period", "tier")
//
//   value customer_share(customer_health, critical)
//   -> ... sum(case when "status" = 'critical' then 1 else 0 end)
//          / nullif(count(case when "status" <> 'insufficient' then 1 end), 0)
//
// A customer without a value (none of the score's inputs has a row for it,
// or a component it needs is null) has no status and is in neither the mean
// nor the share's denominator. Nor is a row without a customer (a fact
// whose link is null or dangles, or a period's row when no customer has
// one): its value and status are read as null, its keys still make a row.

import { sql } from 'kysely';
import type { ComponentPlan } from '../plan/derived.ts';
import type { Values } from './combine.ts';
import { pick, plainName, type EmitContext, type Selection } from './context.ts';
import { divide } from './expr.ts';
import { db } from './kysely.ts';
import { stringSql } from './literal.ts';
import { statusSql } from './status.ts';

/** The rolled-up values of `component` (its `values` per customer), keyed like the derived KPI (`keys`). */
export function emitRollup(ctx: EmitContext, component: ComponentPlan, input: Values, keys: readonly string[]): Values {
  const rollup = component.rollup!;
  const name = plainName(component.kpi.name);
  const carried = input.incomplete ? ['incomplete'] : [];
  const customer = sql<boolean>`${sql.id('customer')} is not null`;
  const status =
    rollup.kind === 'share'
      ? [
          sql`case when ${customer} then ${statusSql(
            {
              thresholds: rollup.thresholds,
              insufficient: input.insufficient,
              ...(input.ratio ? { ratio: input.ratio } : {}),
            },
            ctx.dialect,
          )} end`.as('status'),
        ]
      : [];
  const perCustomer = ctx.addCte(`${name}_per_customer`, () =>
    db
      .selectFrom(input.name)
      .select([
        ...[...input.keys, ...carried].map((c) => pick(c)),
        sql`case when ${customer} then ${sql.id('value')} end`.as('value'),
        ...status,
      ]),
  );
  const value =
    rollup.kind === 'mean'
      ? sql`avg(${sql.id('value')})`
      : divide(
          sql`sum(case when ${sql.id('status')} = ${stringSql(rollup.status)} then 1 else 0 end)`,
          // `insufficient` (min_sample) has no value: not in the denominator, so ok + warn + critical = 1.
          sql`count(case when ${sql.id('status')} <> ${stringSql('insufficient')} then 1 end)`,
          ctx.dialect,
        );
  const select: Selection[] = [
    ...keys.map((k) => pick(k)),
    value.as('value'),
    ...(input.incomplete ? [sql`coalesce(bool_or(${sql.id('incomplete')}), false)`.as('incomplete')] : []),
  ];
  const cte = ctx.addCte(`${name}_${rollup.kind === 'mean' ? 'customer_mean' : `${rollup.status}_share`}`, () => {
    const query = db.selectFrom(perCustomer).select(select);
    return keys.length > 0 ? query.groupBy(keys.map((k) => sql.id(k)) as never) : query;
  });
  return { name: cte, keys, hasPeriod: input.hasPeriod, insufficient: false, incomplete: input.incomplete };
}
