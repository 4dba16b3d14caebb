// The compiler's entry point for a query: plan it (plan/), then emit the
// plan as one SQL statement (sql/). The two halves meet only here, so the
// emitter depends on the planner's types and never calls it.

import type { Result } from './diagnostics.ts';
import { hasErrors, sortDiagnostics } from './diagnostics.ts';
import type { Model } from './semantic/model.ts';
import { emitCheckReport } from './sql/checks.ts';
import { emitQuery } from './sql/emit.ts';
import { describeComponents, type ValuesPlan } from './plan/derived.ts';
import type { QueryPlan } from './plan/plan.ts';
import type { CompileOptions, CompiledQuery, Query } from './plan/query.ts';
import { planResult } from './plan/result.ts';

/**
 * Compile a KPI query. Undefined (with errors) when the KPI cannot be
 * compiled: unknown KPI, unreachable segment, a file source in the postgres
 * dialect, a bad range, a cycle of derived KPIs.
 *
 *   compileQuery(model, { kpi: 'nps', grain: 'month', by: [tier] }, { dataRoot: '/data' })
 *   -> with "surveys_rows" as (...), "surveys_by_month" as (...), ... select "period", "tier", ...
 */
export function compileQuery(model: Model, query: Query, options: CompileOptions): Result<CompiledQuery | undefined> {
  const planned = planResult(model, query);
  const plan = planned.value;
  if (!plan) return { value: undefined, diagnostics: sortDiagnostics(planned.diagnostics) };
  const emitted = emitQuery(model, plan, options.dataRoot);
  const diagnostics = sortDiagnostics([...planned.diagnostics, ...emitted.diagnostics]);
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const bases = basePlans(plan.values);
  const checkReportSql = emitCheckReport(model, bases, options.dataRoot);
  return {
    value: {
      sql: emitted.sql,
      columns: emitted.columns,
      ...(checkReportSql ? { checkReportSql } : {}),
      broadcasts: plan.values.kind === 'base' ? plan.values.broadcasts : [],
      ...(plan.values.kind === 'derived' ? { components: describeComponents(plan.values) } : {}),
    },
    diagnostics,
  };
}

/**
 * The plans over measures behind a values plan: itself, or every input of a
 * derived KPI, depth first, each once (a plan read by several derived KPIs is
 * one object: `planResult` plans each KPI once per query).
 */
function basePlans(root: ValuesPlan): QueryPlan[] {
  const out: QueryPlan[] = [];
  const seen = new Set<ValuesPlan>();
  const visit = (plan: ValuesPlan) => {
    if (seen.has(plan)) return;
    seen.add(plan);
    if (plan.kind === 'base') out.push(plan);
    else for (const c of plan.components) visit(c.values);
  };
  visit(root);
  return out;
}
