// The check report: per check of a source the query aggregates, how many of
// its rows in the query's range fail it (false or null) and were excluded.
//
//   select 'surveys' as "source", 'nps_range' as "check", count(*) as "excluded"
//   from read_csv('/data/surveys.csv') as "surveys"
//   where ("surveys"."nps" between 0 and 10) is not true
//   union all ...

import { sql } from 'kysely';
import type { QueryPlan } from '../plan/plan.ts';
import { EmitContext, type Select } from './context.ts';
import { sqlText } from './kysely.ts';
import { instantSql, stringSql } from './literal.ts';
import { Scan } from './scan.ts';
import { localTime } from './time.ts';
import type { Model } from '../semantic/model.ts';

/** One statement counting excluded rows; undefined when no source of the query has a check. */
export function emitCheckReport(model: Model, plans: readonly QueryPlan[], dataRoot: string): string | undefined {
  const first = plans[0];
  if (!first) return undefined;
  const ctx = new EmitContext(model, first.dialect, dataRoot);
  const parts: Select[] = [];
  // A derived KPI reads several plans; a source they share is counted once, over the first plan's range.
  const seen = new Set<string>();
  for (const plan of plans)
    for (const { source: key } of plan.sources) {
      if (seen.has(key)) continue;
      seen.add(key);
      const source = ctx.source(key);
      const time = plan.groups.find((g) => g.source === key && (g.mode === 'flow' || g.mode === 'retention'))?.time;
      for (const check of source.checks) {
        const scan = new Scan(ctx, key);
        const failing = sql<boolean>`(${scan.expr(check.predicate)}) is not true`;
        const range = [];
        if (time && plan.from)
          range.push(sql<boolean>`${localTime(ctx, key, time, scan.column(time))} >= ${instantSql(plan.from.text)}`);
        if (time && plan.to)
          range.push(sql<boolean>`${localTime(ctx, key, time, scan.column(time))} < ${instantSql(plan.to.text)}`);
        let query = scan
          .query()
          .select([
            stringSql(source.name).as('source'),
            stringSql(check.name).as('check'),
            sql`count(*)`.as('excluded'),
          ])
          .where(failing);
        for (const condition of range) query = query.where(condition);
        parts.push(query);
      }
    }
  if (parts.length === 0) return undefined;
  let statement = parts[0]!;
  for (const part of parts.slice(1)) statement = statement.unionAll(part);
  // Derived sources and aggregated dimensions in checks need their CTEs first.
  const withCtes =
    ctx.ctes.length > 0 ? ctx.withCtes().selectFrom(statement.as('check_report')).selectAll() : statement;
  return sqlText(withCtes.compile());
}
