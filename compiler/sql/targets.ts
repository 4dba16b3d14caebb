// Targets per period from a table (`target >= nps_targets.target`): the
// table read once into a CTE keyed by period, and per result row the value
// of its period's row, looked up by a scalar subquery.
//
//   nps_targets_targets as (
//     select cast(date_trunc('month', "nps_targets"."month") as date) as "target_period",
//            "nps_targets"."target" as "target_value", "nps_targets"."region" as "target_dim_0"
//     from read_csv('/data/nps-targets.csv') as "nps_targets"
//   )
//   ... (select "t"."target_value" from "nps_targets_targets" as "t"
//        where "t"."target_period" = "kpi_values"."period"
//          and ("t"."target_dim_0" is null
//               or cast("t"."target_dim_0" as varchar) = cast("kpi_values"."region" as varchar))
//        order by (case when "t"."target_dim_0" is null then 0 else 1 end) desc, "t"."target_value" desc
//        limit 1)
//
// The most specific row wins (a null dimension matches every value); among
// rows equally specific (a duplicate in the data), the strictest value.

import { sql } from 'kysely';
import type { PlannedThreshold, PlannedThresholds } from '../plan/thresholds.ts';
import type { Grain, Threshold } from '../semantic/model.ts';
import type { EmitContext } from './context.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import type { Sql } from './expr.ts';
import { Scan } from './scan.ts';
import { localTime, periodOf } from './time.ts';

/** The CTE of each threshold's target table. */
export type TargetCtes = ReadonlyMap<Threshold, string>;

export function emitTargetTables(ctx: EmitContext, grain: Grain, thresholds: PlannedThresholds): TargetCtes {
  const ctes = new Map<Threshold, string>();
  const byTable = new Map<string, string>();
  for (const planned of [...thresholds.target, ...thresholds.warn, ...thresholds.critical]) {
    const table = planned.threshold.table;
    if (!table) continue;
    const key = `${table.source}|${table.column}`;
    let name = byTable.get(key);
    if (name === undefined) {
      const scan = new Scan(ctx, table.source);
      const source = ctx.source(table.source);
      const period = periodOf(ctx.dialect, grain, localTime(ctx, table.source, table.time, scan.column(table.time)));
      const select = [
        period.as('target_period'),
        scan.column(table.column).as('target_value'),
        ...table.dimensions.map((d, i) => scan.column(d.column).as(`target_dim_${i}`)),
      ];
      const checks = source.checks.map((check) => sql<boolean>`(${scan.expr(check.predicate)}) is true`);
      name = ctx.addCte(`${source.name}_targets`, () => {
        let query = scan.query().select(select);
        for (const check of checks) query = query.where(check);
        return query;
      });
      byTable.set(key, name);
    }
    ctes.set(planned.threshold, name);
  }
  return ctes;
}

/** The target of the outer row's period (and segments); null when the table has no row for it. */
export function targetValueSql(planned: PlannedThreshold, cte: string, outer: string, dialect: SqlDialect): Sql {
  const t = (column: string) => sql.id('target_row', column);
  const dim = (i: number) => t(`target_dim_${i}`);
  const table = planned.table!;
  const where: Sql[] = [sql`${t('target_period')} = ${sql.id(outer, 'period')}`];
  // Compared as text: a table read from a file may type a segment's values otherwise (1042 and '1042').
  const text = (value: Sql) => dialect.cast(value, 'text');
  for (const { index, segment } of table.matched)
    where.push(sql`(${dim(index)} is null or ${text(dim(index))} = ${text(sql.id(outer, segment))})`);
  for (const index of table.unmatched) where.push(sql`${dim(index)} is null`);
  const specific = table.matched.map(({ index }) => sql`(case when ${dim(index)} is null then 0 else 1 end)`);
  const strictest = planned.threshold.op === '>' || planned.threshold.op === '>=' ? sql`desc` : sql`asc`;
  const order = [
    ...(specific.length > 0 ? [sql`${sql.join(specific, sql` + `)} desc`] : []),
    sql`${t('target_value')} ${strictest}`,
  ];
  return sql`(select ${t('target_value')} from ${sql.id(cte)} as ${sql.id('target_row')} where ${sql.join(where, sql` and `)} order by ${sql.join(order)} limit 1)`;
}
