// Running a project's alerts: the KPI's latest complete periods first (one
// total query), then each alert's breakdown over just the periods it needs.

import type { Alert, Diagnostic, Kpi, Model, Query } from '../../compiler/index.ts';
import { hasErrors, shiftPeriod } from '../../compiler/index.ts';
import { runQuery } from '../execute.ts';
import type { QueryResult } from '../execute.ts';
import type { Value } from '../engine/engine.ts';
import type { Project } from '../project/open.ts';
import { evaluateAlert, periodsNeeded } from './evaluate.ts';
import type { AlertWindow, Breach, SeriesRow } from './evaluate.ts';

export interface AlertsRun {
  readonly breaches: readonly Breach[];
  /** Per KPI: the latest complete period evaluated (undefined: none yet) and how many alerts. */
  readonly evaluated: readonly { readonly kpi: string; readonly period: string | undefined; readonly alerts: number }[];
  /** Compile problems of an alert's query (an unknown dimension in `by`, ...). */
  readonly diagnostics: readonly Diagnostic[];
  /** Rows the sources' checks left out of each alert's query. */
  readonly excluded: readonly {
    readonly kpi: string;
    readonly alert: string;
    readonly source: string;
    readonly check: string;
    readonly excluded: bigint;
  }[];
}

export interface AlertsOptions {
  /** Per statement. */
  readonly timeoutMs?: number;
  /** Interrupts the running statement (a client of `kpic serve` that went away). */
  readonly signal?: AbortSignal;
  /** Only the alert of this name (any case); the others of the KPI are not run. */
  readonly only?: string;
}

/** Evaluate the alerts of `kpis` on their latest complete period. */
export async function runAlerts(
  project: Project,
  kpis: readonly Kpi[],
  { only, ...options }: AlertsOptions = {},
): Promise<AlertsRun> {
  const breaches: Breach[] = [];
  const excluded: AlertsRun['excluded'][number][] = [];
  const evaluated: { kpi: string; period: string | undefined; alerts: number }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const kpi of kpis) {
    const alerts = (kpi.alerts ?? []).filter((a) => only === undefined || a.name.toLowerCase() === only.toLowerCase());
    if (alerts.length === 0 || kpi.grain === undefined) continue;
    const span = Math.max(...alerts.map((a) => periodsNeeded(a).history + periodsNeeded(a).baseline));
    // One more period than needed: when it is missing, the data starts inside the window. A first
    // period the data covers only in part (data from a Wednesday) is incomplete, so it is not here.
    const total = await runQuery(project, { kpi: kpi.name, by: 'none', last: span + 1 }, options);
    diagnostics.push(...total.diagnostics);
    if (!total.value || hasErrors(total.diagnostics)) continue;
    const periods = periodsOf(total.value);
    const latest = periods[periods.length - 1];
    const runnable = alerts.filter((alert) => errorsInside(project.diagnostics, alert).length === 0);
    evaluated.push({ kpi: kpi.name, period: latest, alerts: runnable.length });
    if (latest === undefined) continue;
    const startsWithData = periods.length < span + 1;
    for (const alert of alerts) {
      // An alert with an error in its declaration (a `by` naming no dimension) is reported, not run.
      const own = errorsInside(project.diagnostics, alert);
      if (own.length > 0) {
        diagnostics.push(...own);
        continue;
      }
      const { history, baseline } = periodsNeeded(alert);
      const window = periods.slice(-(history + baseline));
      const query: Query = {
        kpi: kpi.name,
        ...(alert.by ? { by: alert.by } : {}),
        ...(alert.where ? { where: alert.where, whereFile: alert.file } : {}),
        from: window[0]!,
        to: shiftPeriod(latest, kpi.grain, 1),
      };
      const result = await runQuery(project, query, options);
      diagnostics.push(...result.diagnostics.map((d) => withAlert(d, alert)));
      if (!result.value || hasErrors(result.diagnostics)) continue;
      excluded.push(...result.value.excluded.map((e) => ({ kpi: kpi.name, alert: alert.name, ...e })));
      const alertWindow: AlertWindow = {
        periods: window,
        ...(startsWithData && window[0] === periods[0] ? { startsWithData } : {}),
        missingIsZero: missingIsZero(project.model, kpi),
      };
      breaches.push(...evaluateAlert(kpi.name, alert, seriesOf(result.value), alertWindow));
    }
  }
  return { breaches, evaluated, diagnostics, excluded };
}

function errorsInside(all: readonly Diagnostic[], alert: Alert): Diagnostic[] {
  const { start, end } = alert.span;
  return all.filter(
    (d) =>
      d.severity === 'error' &&
      d.file === alert.file &&
      d.span.start.offset >= start.offset &&
      d.span.end.offset <= end.offset,
  );
}

/** A query problem of an alert names the alert, so the user knows which declaration to fix. */
function withAlert(d: Diagnostic, alert: Alert): Diagnostic {
  if (d.severity !== 'error') return d;
  return {
    ...d,
    message: `${d.message} (in alert \`${alert.name}\`)`,
    ...(d.file === '<query>' ? { file: alert.file, span: alert.span } : {}),
  };
}

function periodsOf(result: QueryResult): string[] {
  const at = result.columns.findIndex((c) => c.role === 'period');
  return [...new Set(result.rows.map((r) => dateText(r[at] ?? null)))].filter((p) => p !== '').sort();
}

function seriesOf(result: QueryResult): SeriesRow[] {
  const period = result.columns.findIndex((c) => c.role === 'period');
  const value = result.columns.findIndex((c) => c.role === 'value');
  const status = result.columns.findIndex((c) => c.role === 'status');
  const segments = result.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'segment');
  return result.rows.map((row) => ({
    period: dateText(row[period] ?? null),
    segments: Object.fromEntries(
      segments.map(({ c, i }) => [c.name, row[i] === null || row[i] === undefined ? null : String(row[i])]),
    ),
    value: numberOf(row[value] ?? null),
    status: row[status] === null || row[status] === undefined ? null : String(row[status]),
  }));
}

function dateText(value: Value): string {
  return value === null ? '' : String(value).slice(0, 10);
}

function numberOf(value: Value): number | null {
  if (value === null || typeof value === 'boolean') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * A customer or segment without rows in a period has no data there: for a
 * count or a sum (with no denominator, no derived value) that is 0, so a
 * week without events is a fall to 0, not a gap. Otherwise it has no value.
 */
export function missingIsZero(model: Model, kpi: Kpi): boolean {
  if (!kpi.numerator || kpi.denominator || kpi.derived) return false;
  const additive = (expr: NonNullable<Kpi['numerator']>): boolean => {
    switch (expr.kind) {
      case 'measure': {
        const m = model.measures.get(expr.measure);
        return (
          m !== undefined &&
          ['count', 'count_distinct', 'sum'].includes(m.aggregate) &&
          m.time !== undefined &&
          !m.cumulative &&
          m.at === undefined &&
          m.retention === undefined
        );
      }
      case 'number':
        return true;
      case 'negate':
        return additive(expr.operand);
      case 'arith':
        return (
          (expr.op === '+' ||
            expr.op === '-' ||
            (expr.op === '*' && (expr.left.kind === 'number' || expr.right.kind === 'number'))) &&
          additive(expr.left) &&
          additive(expr.right)
        );
    }
  };
  return additive(kpi.numerator);
}
