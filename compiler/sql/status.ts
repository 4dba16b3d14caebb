// `status` and `target_met` of a result row, from the KPI's thresholds.
//
//   critical < 10, critical < 20 for region = "EMEA", warn < 30
//   -> case when "value" is null or "value" in (<NaN>, <Infinity>, <-Infinity>) then null
//           when case when "region" = 'EMEA' then "value" < 20 else "value" < 10 end then 'critical'
//           when "value" < 30 then 'warn' else 'ok' end
//
// A ratio (`numerator`, `denominator`, `scale`) is compared without dividing,
// in the engine's exact integer and decimal arithmetic, so a value exactly at
// a threshold meets it: `value >= 29` with `scale 100` becomes
//   case when "denominator" < 0 then "numerator" * 100 <= 29 * "denominator"
//        else "numerator" * 100 >= 29 * "denominator" end
// (the value itself, a double, is 29 / 100 * 100 = 28.999999999999996 away
// from that when divided first). With float inputs the comparison is as exact
// as the inputs are.

import { sql } from 'kysely';
import type { PlannedThreshold, PlannedThresholds } from '../plan/thresholds.ts';
import type { Threshold } from '../semantic/model.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { emitExpr, operatorSql, type ExprScope, type Sql } from './expr.ts';
import { numberSql, stringSql } from './literal.ts';
import { targetValueSql, type TargetCtes } from './targets.ts';

/** What a status is decided from: the thresholds planned per level, whether rows can be insufficient. */
export interface StatusSubject {
  readonly thresholds: PlannedThresholds;
  readonly insufficient: boolean;
  /** The row's `value` is `numerator * scale / denominator` (sql/combine.ts). */
  readonly ratio?: { readonly scale?: string };
  /** Target tables (sql/targets.ts): each table threshold's CTE, and the relation the rows are selected from. */
  readonly targets?: { readonly ctes: TargetCtes; readonly outer: string };
}

export function statusSql(plan: StatusSubject, dialect: SqlDialect): Sql {
  const insufficient = plan.insufficient
    ? sql`when ${sql.id('insufficient')} then ${stringSql('insufficient')} `
    : sql``;
  const levels = (['critical', 'warn'] as const)
    .map((level) => ({ level, condition: levelSql(plan, level, dialect) }))
    .filter((l): l is { level: 'critical' | 'warn'; condition: Sql } => l.condition !== undefined);
  if (levels.length === 0) {
    return plan.insufficient ? sql`case ${insufficient}end` : dialect.cast(sql`null`, 'text');
  }
  const whens = levels.map((l) => sql`when ${l.condition} then ${stringSql(l.level)}`);
  return sql`case ${insufficient}when ${unusableSql(dialect)} then null ${sql.join(whens, sql` `)} else ${stringSql('ok')} end`;
}

export function targetMetSql(plan: StatusSubject, dialect: SqlDialect): Sql {
  const met = levelSql(plan, 'target', dialect);
  return met ? sql`case when ${unusableSql(dialect)} then null else ${met} end` : dialect.cast(sql`null`, 'boolean');
}

/** A value no threshold can judge: null, NaN or infinite (a NaN or an infinity in the data). */
function unusableSql(dialect: SqlDialect): Sql {
  const float = (text: string) => dialect.cast(stringSql(text), 'number');
  const value = sql.id('value');
  return sql`${value} is null or ${value} in (${float('NaN')}, ${float('Infinity')}, ${float('-Infinity')})`;
}

/** Whether the row's value meets the level's applicable threshold; undefined when the level has none. */
function levelSql(plan: StatusSubject, level: Threshold['level'], dialect: SqlDialect): Sql | undefined {
  const planned = plan.thresholds[level];
  if (planned.length === 0) return undefined;
  // A table's target applies only where the table has a row for the period: it is conditional too.
  const unconditional = planned.find((p) => p.when === undefined && p.table === undefined);
  const conditional = planned.slice(0, unconditional ? planned.indexOf(unconditional) : planned.length);
  const limit = (p: PlannedThreshold) => {
    if (!p.table) return numberSql(p.threshold.value);
    const cte = plan.targets?.ctes.get(p.threshold);
    if (!cte || !plan.targets) throw new Error('compiler bug: a target table without its CTE');
    return targetValueSql(p, cte, plan.targets.outer, dialect);
  };
  const compare = (p: PlannedThreshold) => compareSql(p.threshold, limit(p), plan.ratio);
  if (conditional.length === 0) return compare(unconditional!);
  const scope: ExprScope = {
    dialect,
    column: (_path, _source, column) => sql.id(column),
    dimension: (_path, _source, name) => sql.id(name),
  };
  const condition = (p: PlannedThreshold) => {
    const parts = [...(p.when ? [emitExpr(p.when, scope)] : []), ...(p.table ? [sql`${limit(p)} is not null`] : [])];
    return sql.join(parts, sql` and `);
  };
  const whens = conditional.map((p: PlannedThreshold) => sql`when ${condition(p)} then ${compare(p)}`);
  const otherwise = unconditional ? sql` else ${compare(unconditional)}` : sql``;
  return sql`(case ${sql.join(whens, sql` `)}${otherwise} end)`;
}

const FLIPPED: Readonly<Record<Threshold['op'], Threshold['op']>> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '=': '=',
  '!=': '!=',
};

/** `value OP t`; for a ratio `numerator * scale OP t * denominator`, the operator flipped for a negative denominator. */
function compareSql(threshold: Threshold, limit: Sql, ratio: StatusSubject['ratio']): Sql {
  if (!ratio) return sql`${sql.id('value')} ${sql.raw(operatorSql(threshold.op))} ${limit}`;
  const denominator = sql.id('denominator');
  const scaled =
    ratio.scale !== undefined ? sql`${sql.id('numerator')} * ${numberSql(ratio.scale)}` : sql.id('numerator');
  const side = (op: Threshold['op']) => sql`${scaled} ${sql.raw(operatorSql(op))} ${limit} * ${denominator}`;
  return sql`(case when ${denominator} < 0 then ${side(FLIPPED[threshold.op])} else ${side(threshold.op)} end)`;
}
