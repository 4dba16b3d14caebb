// A query plan to one SQL statement: rows CTEs, aggregate CTEs, periods,
// spine, measures, KPI parts and values (for a derived KPI: the values of
// each KPI it reads, joined), then the result: compare, status, filters.

import type { Diagnostic } from '../diagnostics.ts';
import type { Model } from '../semantic/model.ts';
import type { ValuesPlan } from '../plan/derived.ts';
import type { QueryPlan } from '../plan/plan.ts';
import type { ResultColumn } from '../plan/query.ts';
import type { ResultPlan } from '../plan/result.ts';
import { emitAggregate, type Aggregate, type AggregateNames } from './aggregates.ts';
import { emitCombination, type Values } from './combine.ts';
import { measuresOf } from '../semantic/mexpr.ts';
import { emitDerived } from './derived.ts';
import { emitResult } from './result.ts';
import { EmitContext, Namer } from './context.ts';
import { sqlText } from './kysely.ts';
import { boundsFromAggregates, emitPeriods, needsPeriods, type Periods } from './periods.ts';
import { emitRetention } from './retention.ts';
import { emitStateRetention } from './state-retention.ts';
import { emitCohortSpine } from './cohort.ts';
import { emitRows, type Rows } from './rows.ts';

export interface EmittedQuery {
  readonly sql: string;
  readonly columns: readonly ResultColumn[];
  readonly diagnostics: readonly Diagnostic[];
}

export function emitQuery(model: Model, plan: ResultPlan, dataRoot: string): EmittedQuery {
  const ctx = new EmitContext(model, plan.values.dialect, dataRoot);
  const values =
    plan.values.kind === 'derived'
      ? emitDerived(ctx, plan.values, (input) => emitValues(ctx, input), plan.components)
      : emitValues(ctx, plan.values);
  const { query, columns } = emitResult(ctx, plan, values);
  return { sql: `${header(plan.values)}\n${sqlText(query.compile())}`, columns, diagnostics: ctx.diagnostics };
}

/** The values CTE of a KPI query, from measures or (derived KPIs) from other KPIs' values. */
export function emitValues(ctx: EmitContext, plan: ValuesPlan): Values {
  return ctx.once(plan, () =>
    plan.kind === 'derived' ? emitDerived(ctx, plan, (input) => emitValues(ctx, input)) : emitBaseValues(ctx, plan),
  );
}

function emitBaseValues(ctx: EmitContext, plan: QueryPlan): Values {
  const names = columnNames(plan);
  const rows = new Map<string, Rows>();
  for (const source of plan.sources) {
    rows.set(
      source.source,
      emitRows(
        ctx,
        source,
        plan.groups.filter((g) => g.source === source.source),
        plan.segments,
        plan,
      ),
    );
  }
  let periods: Periods | undefined;
  let aggregates: Aggregate[];
  if (needsPeriods(plan) && boundsFromAggregates(plan)) {
    // Flows only: aggregate first, then take the periods' bounds from the aggregates.
    aggregates = plan.groups.map((group) => emitAggregate(ctx, plan, group, rows.get(group.source)!, undefined, names));
    periods = emitPeriods(ctx, plan, rows, aggregates);
  } else {
    periods = needsPeriods(plan) ? emitPeriods(ctx, plan, rows) : undefined;
    aggregates = plan.groups.map((group) =>
      group.mode === 'retention'
        ? emitRetention(ctx, plan, group, rows.get(group.source)!, names)
        : group.mode === 'state'
          ? emitStateRetention(ctx, plan, group, rows.get(group.source)!, periods!.name, names)
          : emitAggregate(ctx, plan, group, rows.get(group.source)!, periods?.name, names),
    );
  }
  const cohort = plan.cohort ? emitCohortSpine(ctx, plan, aggregates, rows) : undefined;
  return emitCombination(ctx, plan, aggregates, periods, names, cohort);
}

/** Column names of the measures from the aggregates on: the measure's name unless another column has it. */
function columnNames(plan: QueryPlan): AggregateNames {
  const namer = new Namer([
    'period',
    'period_end',
    'numerator',
    'denominator',
    'value',
    'status',
    'target_met',
    'insufficient',
    ...plan.segments.map((s) => s.name),
  ]);
  const measures = new Map<string, string>();
  for (const group of plan.groups)
    for (const m of group.measures) measures.set(m.name.toLowerCase(), namer.take(m.name));
  const samples = new Map<string, string>();
  if (plan.kpi.minSample !== undefined && !plan.kpi.denominator && plan.kpi.numerator) {
    for (const m of measuresOf(plan.kpi.numerator))
      if (measures.has(m)) samples.set(m, namer.take(`${measures.get(m)}_rows`));
  }
  return { measures, samples };
}

/** `-- kpi: nps | grain: month | segments: tier, region | from 2024-01-01 to 2024-07-01` */
function header(plan: ValuesPlan): string {
  const cohort = plan.kind === 'base' ? plan.cohort : undefined;
  const segments = plan.segments.filter((s) => !s.cohort);
  const parts = [
    `kpi: ${plan.kpi.name}`,
    `grain: ${cohort?.grain ?? plan.grain ?? 'none'}`,
    ...(cohort
      ? [`cohort by ${cohort.dimension.qualifier ? `${cohort.dimension.qualifier}.` : ''}${cohort.dimension.name}`]
      : []),
    `segments: ${segments.length ? segments.map((s) => (s.dimension.qualifier ? `${s.dimension.qualifier}.${s.name}` : s.name)).join(', ') : 'none'}`,
  ];
  if (plan.from || plan.to) parts.push(`range: ${plan.from?.text ?? '...'} to ${plan.to?.text ?? '...'}`);
  // A line comment ends at a line break: none may come from a name.
  return `-- ${parts.join(' | ').replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')}`;
}
