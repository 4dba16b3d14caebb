// The planner's entry point: a KPI query to one SQL statement.

import type { Result } from '../diagnostics.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics.ts';
import type { Model } from '../semantic/model.ts';
import { emitCheckReport } from '../sql/checks.ts';
import { emitQuery } from '../sql/emit.ts';
import { planQuery } from './plan.ts';
import type { CompileOptions, CompiledQuery, Query } from './query.ts';

/**
 * Compile a KPI query. Undefined (with errors) when the KPI cannot be
 * compiled: unknown KPI, unreachable segment, a file source in the postgres
 * dialect, a bad range.
 *
 *   compileQuery(model, { kpi: 'nps', grain: 'month', by: [tier] }, { dataRoot: '/data' })
 *   -> with "surveys_rows" as (...), "surveys_by_month" as (...), ... select "period", "tier", ...
 */
export function compileQuery(model: Model, query: Query, options: CompileOptions): Result<CompiledQuery | undefined> {
  const planned = planQuery(model, query);
  const plan = planned.value;
  if (!plan) return { value: undefined, diagnostics: sortDiagnostics(planned.diagnostics) };
  const emitted = emitQuery(model, plan, options.dataRoot);
  const diagnostics = sortDiagnostics([...planned.diagnostics, ...emitted.diagnostics]);
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const checkReportSql = emitCheckReport(model, plan, options.dataRoot);
  return {
    value: {
      sql: emitted.sql,
      columns: emitted.columns,
      ...(checkReportSql ? { checkReportSql } : {}),
      broadcasts: plan.broadcasts,
    },
    diagnostics,
  };
}
