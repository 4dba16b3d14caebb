// "Which enterprise accounts are at risk this week?": the customers or
// segments in breach in the latest complete period, so the answer carries
// the governed definition of "at risk" and not the agent's guess.
//
// For a KPI: the rows of its latest complete period whose status is
// `critical` or `warn`, worst first, with its owner and thresholds. For an
// alert: the breaches `kpic alert` reports, from the same evaluation
// (`runAlerts`), with the alert's condition and who is responsible (RACI).

import { hasErrors, nameKey, renderDiagnostics, suggest } from '../../compiler/index.ts';
import type { Alert, Kpi } from '../../compiler/index.ts';
import type { Breach } from '../alert/evaluate.ts';
import { notifyOf } from '../alert/report.ts';
import { runAlerts } from '../alert/run.ts';
import type { Value } from '../engine/values.ts';
import type { Project } from '../project/open.ts';
import { alertsOf, deprecationNotice, describeThresholds } from './catalog.ts';
import type { KpiAlert, KpiThreshold } from './catalog.ts';
import { ServiceError, toServiceError } from './errors.ts';
import { answerOf, identity, queryRows } from './query.ts';
import type { QueryAnswer, QueryArgs, QueryLimits } from './query.ts';
import type { JsonValue } from './json-values.ts';

export interface AtRiskArgs {
  /** A KPI; or, when no KPI has this name, an alert. */
  readonly kpi?: string;
  /** An alert (any case): its breaches, as `kpic alert` reports them. */
  readonly alert?: string;
  /** Segment dimensions; `["customer"]` for the customers themselves; absent: the KPI's own segments. */
  readonly by?: readonly string[];
  readonly where?: string;
  readonly grain?: string;
  readonly from?: string;
  readonly to?: string;
  /** The statuses that count as in breach; default `critical` and `warn`. */
  readonly status?: readonly string[];
  readonly limit?: number;
}

export interface AtRiskAnswer extends QueryAnswer {
  readonly direction: 'higher' | 'lower' | null;
  readonly thresholds: readonly KpiThreshold[];
  /** The latest complete period (null when there is none). */
  readonly period: string | null;
  /** The columns that name a customer or a segment. */
  readonly segments: readonly string[];
  /** The alert evaluated (null: the KPI's own thresholds). */
  readonly alert: KpiAlert | null;
}

const RESULT_COLUMNS = new Set([
  'period',
  'numerator',
  'denominator',
  'value',
  'previous_value',
  'change',
  'change_pct',
  'status',
  'target_met',
  'incomplete',
]);

export async function atRisk(project: Project, args: AtRiskArgs, limits: QueryLimits): Promise<AtRiskAnswer> {
  const target = targetOf(project, args);
  if ('alert' in target) return alertAtRisk(project, target.kpi, target.alert, args, limits);
  const { alert: _, ...rest } = args;
  const query: QueryArgs = {
    ...rest,
    kpi: target.kpi,
    latest: true,
    status: args.status && args.status.length > 0 ? args.status : ['critical', 'warn'],
  };
  const result = await queryRows(project, query, limits);
  const { columns, kpi } = result;
  const status = columns.indexOf('status');
  const value = columns.indexOf('value');
  // Worst first: critical before warn, then the value farthest on the wrong side.
  const sign = kpi.direction === 'lower' ? -1 : 1;
  const rows = [...result.rows].sort(
    (a, b) => rank(a[status]) - rank(b[status]) || sign * (toNumber(a[value]) - toNumber(b[value])),
  );
  const answer = answerOf(result, rows, Math.min(limits.maxRows, args.limit ?? limits.maxRows));
  return {
    ...answer,
    direction: kpi.direction ?? null,
    thresholds: describeThresholds(project, kpi),
    period: result.latest ?? null,
    segments: columns.filter((c) => !RESULT_COLUMNS.has(c) && !c.endsWith('_score') && !c.endsWith('_contribution')),
    alert: null,
  };
}

/** What `at_risk` was asked about: a KPI by name, or an alert (found across the KPIs, or in the KPI named). */
function targetOf(project: Project, args: AtRiskArgs): { kpi: string } | { kpi: Kpi; alert: Alert } {
  const kpis = [...project.model.kpis.values()];
  const all = kpis.flatMap((kpi) => (kpi.alerts ?? []).map((alert) => ({ kpi, alert })));
  const named = (name: string) => all.filter((a) => a.alert.name.toLowerCase() === name.toLowerCase());
  if (args.alert === undefined) {
    if (args.kpi === undefined)
      throw new ServiceError(
        'invalid-argument',
        'at_risk needs a KPI or an alert: give `kpi` or `alert`\nhint: list_kpis names both (each KPI with its alerts)',
      );
    // A name that is no KPI's but one alert's is that alert: an agent may well pass it as `kpi`.
    const found = named(args.kpi);
    if (project.model.kpis.has(nameKey(args.kpi)) || found.length !== 1) return { kpi: args.kpi };
    return found[0]!;
  }
  const kpi = args.kpi === undefined ? undefined : project.model.kpis.get(nameKey(args.kpi));
  if (args.kpi !== undefined && kpi === undefined) return { kpi: args.kpi }; // the query's unknown-KPI error
  const found = named(args.alert).filter((a) => kpi === undefined || a.kpi === kpi);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new ServiceError(
      'invalid-argument',
      `alert \`${args.alert}\` is declared by the KPIs ${found.map((a) => `\`${a.kpi.name}\``).join(', ')}\nhint: give \`kpi\` too`,
    );
  const names = (kpi ? (kpi.alerts ?? []).map((a) => ({ kpi, alert: a })) : all).map((a) => a.alert.name);
  const guess = suggest(args.alert, names);
  throw new ServiceError(
    'unknown-alert',
    `unknown alert \`${args.alert}\`${kpi ? ` in KPI \`${kpi.name}\`` : ''}\nhint: ${guess ? `did you mean \`${guess}\`? ` : ''}${names.length === 0 ? 'no KPI declares an alert (docs/alerts.md)' : `the alerts are ${names.join(', ')}`}`,
  );
}

/** The arguments that only a KPI takes: an alert declares its own breakdown, filter and condition. */
const KPI_ONLY = ['by', 'grain', 'from', 'to', 'where', 'status'] as const;

/**
 * An alert's breaches in the latest complete period of its KPI, from
 * `runAlerts` (the evaluation of `kpic alert`), longest in breach first.
 */
async function alertAtRisk(
  project: Project,
  kpi: Kpi,
  alert: Alert,
  args: AtRiskArgs,
  limits: QueryLimits,
): Promise<AtRiskAnswer> {
  const extra = KPI_ONLY.filter((key) => args[key] !== undefined);
  if (extra.length > 0)
    throw new ServiceError(
      'invalid-argument',
      `${extra.join(', ')}: alert \`${alert.name}\` declares its own breakdown, filter and condition\nhint: leave ${extra.length === 1 ? 'it' : 'them'} out, or ask at_risk for the KPI \`${kpi.name}\` instead`,
    );
  let run: Awaited<ReturnType<typeof runAlerts>>;
  try {
    run = await runAlerts(project, [kpi], {
      only: alert.name,
      ...(limits.timeoutMs === undefined ? {} : { timeoutMs: limits.timeoutMs }),
      ...(limits.signal ? { signal: limits.signal } : {}),
    });
  } catch (error) {
    throw toServiceError(error);
  }
  if (hasErrors(run.diagnostics)) {
    const errors = run.diagnostics.filter((d) => d.severity === 'error');
    throw new ServiceError('kpi-error', renderDiagnostics(errors, project.texts, { color: false }).trimEnd());
  }
  const evaluated = run.evaluated.find((e) => e.kpi === kpi.name);
  if (evaluated === undefined)
    throw new ServiceError(
      'kpi-error',
      `alert \`${alert.name}\` cannot be evaluated: KPI \`${kpi.name}\` ${kpi.grain === undefined ? 'has no grain' : 'has errors'}\nhint: run \`kpic check\``,
    );
  const described = alertsOf(project, kpi).find((a) => a.name === alert.name)!;
  const breaches = [...run.breaches].sort(worstFirst(alert, kpi));
  // The breakdown's columns as the query names them (`customer`, `region`).
  const segments = breaches[0] ? Object.keys(breaches[0].segments) : described.by;
  const columns = [
    ...segments,
    'period',
    'value',
    'previous_value',
    'baseline',
    'change',
    'threshold',
    'status',
    'level',
    'periods_in_breach',
    'at_least',
    'escalated',
    'responsible',
    'notify',
  ];
  const max = Math.min(limits.maxRows, args.limit ?? limits.maxRows);
  const threshold = alert.condition.kind === 'status' ? null : Number(alert.condition.value);
  const rows = breaches.slice(0, max).map(
    (b): Record<string, JsonValue> => ({
      ...Object.fromEntries(segments.map((s) => [s, b.segments[s] ?? null])),
      period: b.period,
      value: b.value,
      previous_value: b.previousValue,
      baseline: b.baseline,
      change: b.change,
      threshold,
      status: b.status,
      level: b.level,
      periods_in_breach: b.periodsInBreach,
      at_least: b.atLeast,
      escalated: b.escalated,
      responsible: b.responsible.join(', '),
      notify: notifyOf(b).join(', '),
    }),
  );
  const notice = deprecationNotice(kpi);
  return {
    ...identity(kpi),
    columns,
    rows,
    incomplete_periods: [],
    latest_period: evaluated.period ?? null,
    excluded: run.excluded.map((e) => ({ source: e.source, check: e.check, rows: Number(e.excluded) })),
    row_count: breaches.length,
    truncated: breaches.length > max,
    notes: notice ? [notice] : [],
    direction: kpi.direction ?? null,
    thresholds: describeThresholds(project, kpi),
    period: evaluated.period ?? null,
    segments,
    alert: described,
  };
}

/**
 * Longest in breach first (the escalated ones lead), then the farthest past
 * the condition (the largest fall for `change < ...`, the worst value of the
 * KPI's direction for a status), then as `kpic alert` lists them.
 */
function worstFirst(alert: Alert, kpi: Kpi): (a: Breach, b: Breach) => number {
  const { condition } = alert;
  const measure = (b: Breach) => (condition.kind === 'change' ? b.change : b.value);
  const sign =
    condition.kind === 'status'
      ? kpi.direction === 'lower'
        ? -1
        : 1
      : condition.op === '>' || condition.op === '>='
        ? -1
        : 1;
  const far = (b: Breach) => {
    const m = measure(b);
    return m === null ? Number.POSITIVE_INFINITY : sign * m;
  };
  return (a, b) => b.periodsInBreach - a.periodsInBreach || far(a) - far(b) || 0;
}

function rank(status: Value | undefined): number {
  return status === 'critical' ? 0 : status === 'warn' ? 1 : status === 'insufficient' ? 3 : 2;
}

function toNumber(value: Value | undefined): number {
  if (value === null || value === undefined || typeof value === 'boolean') return Number.POSITIVE_INFINITY;
  return Number(value);
}
