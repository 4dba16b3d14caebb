// Time as the KPI sees it: local wall time of the model's zone.

import type { Grain } from '../semantic/model.ts';
import type { Sql } from './expr.ts';
import { intervalSql, stringSql } from './literal.ts';
import type { EmitContext } from './context.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { nameKey } from '../semantic/names.ts';

const UTC = /^(utc|etc\/utc|gmt|etc\/gmt|z|zulu|universal|etc\/universal)$/i;

export function isUtc(zone: string): boolean {
  return UTC.test(zone.trim());
}

/**
 * A time column as local wall time. DATE columns are calendar dates already;
 * TIMESTAMP (naive, taken as UTC) and TIMESTAMPTZ are instants, converted
 * when the zone is not UTC (the engine's session zone is UTC, so the cast to
 * TIMESTAMPTZ reads a naive timestamp as UTC).
 *
 *   time responded_at, timezone Europe/Berlin
 *   -> timezone('Europe/Berlin', cast("surveys"."responded_at" as timestamptz))
 */
export function localTime(ctx: EmitContext, source: string, column: string, value: Sql): Sql {
  const zone = ctx.model.timezone || 'UTC';
  if (isUtc(zone)) return value;
  const type = ctx.source(source).columns.get(nameKey(column))?.type;
  if (type === 'date') return value;
  return ctx.dialect.wallTime(stringSql(zone), value);
}

/** The period (its first day, a DATE) of a local time: `cast(date_trunc('month', t) as date)`. */
export function periodOf(dialect: SqlDialect, grain: Grain, time: Sql): Sql {
  return dialect.cast(dialect.truncate(grain, time), 'date');
}

/** One period's length as an interval. */
export function grainInterval(grain: Grain): Sql {
  return intervalSql(1, grain);
}
