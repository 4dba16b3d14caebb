// `status` and `target_met` of a result row, from the KPI's thresholds.
//
//   critical < 10, critical < 20 for region = "EMEA", warn < 30
//   -> case when "value" is null then null
//           when case when "region" = 'EMEA' then "value" < 20 else "value" < 10 end then 'critical'
//           when "value" < 30 then 'warn' else 'ok' end

import { sql } from 'kysely';
import type { PlannedThreshold, PlannedThresholds } from '../plan/thresholds.ts';
import type { Threshold } from '../semantic/model.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { emitExpr, operatorSql, type ExprScope, type Sql } from './expr.ts';
import { numberSql, stringSql } from './literal.ts';

/** What a status is decided from: the thresholds planned per level, whether rows can be insufficient. */
export interface StatusSubject {
  readonly thresholds: PlannedThresholds;
  readonly insufficient: boolean;
}

export function statusSql(plan: StatusSubject, dialect: SqlDialect): Sql {
  const insufficient = plan.insufficient ? sql`when ${sql.id('insufficient')} then ${stringSql('insufficient')} ` : sql``;
  const levels = (['critical', 'warn'] as const)
    .map((level) => ({ level, condition: levelSql(plan, level, dialect) }))
    .filter((l): l is { level: 'critical' | 'warn'; condition: Sql } => l.condition !== undefined);
  if (levels.length === 0) {
    return plan.insufficient ? sql`case ${insufficient}end` : dialect.cast(sql`null`, 'text');
  }
  const whens = levels.map((l) => sql`when ${l.condition} then ${stringSql(l.level)}`);
  return sql`case ${insufficient}when ${sql.id('value')} is null then null ${sql.join(whens, sql` `)} else ${stringSql('ok')} end`;
}

export function targetMetSql(plan: StatusSubject, dialect: SqlDialect): Sql {
  return levelSql(plan, 'target', dialect) ?? dialect.cast(sql`null`, 'boolean');
}

/** Whether the row's value meets the level's applicable threshold; undefined when the level has none. */
function levelSql(plan: StatusSubject, level: Threshold['level'], dialect: SqlDialect): Sql | undefined {
  const planned = plan.thresholds[level];
  if (planned.length === 0) return undefined;
  const unconditional = planned.find((p) => p.when === undefined);
  const conditional = planned.slice(0, unconditional ? planned.indexOf(unconditional) : planned.length);
  if (conditional.length === 0) return compare(unconditional!.threshold);
  const scope: ExprScope = {
    dialect,
    column: (_path, _source, column) => sql.id(column),
    dimension: (_path, _source, name) => sql.id(name),
  };
  const whens = conditional.map((p: PlannedThreshold) => sql`when ${emitExpr(p.when!, scope)} then ${compare(p.threshold)}`);
  const otherwise = unconditional ? sql` else ${compare(unconditional.threshold)}` : sql``;
  return sql`(case ${sql.join(whens, sql` `)}${otherwise} end)`;
}

function compare(threshold: Threshold): Sql {
  return sql`${sql.id('value')} ${sql.raw(operatorSql(threshold.op))} ${numberSql(threshold.value)}`;
}
