// Evaluating one alert over the latest complete periods of its breakdown
// (docs/alerts.md). Pure: the rows come from the KPI's own query, already
// run; nothing here reads files or the engine.
//
// For every watched row (a customer, a segment) the condition is decided
// per period, each period with its own baseline; the breach is the run of
// periods, ending with the latest complete one, in which it holds.

import type { Alert, AlertCondition } from '../../compiler/index.ts';

/** One result row of the alert's query, reduced to what an alert reads. */
export interface SeriesRow {
  readonly period: string;
  /** The breakdown's values, by column name (`customer`, `region`, ...). */
  readonly segments: Readonly<Record<string, string | null>>;
  readonly value: number | null;
  readonly status: string | null;
}

/** The periods evaluated, oldest first, the latest complete one last. */
export interface AlertWindow {
  readonly periods: readonly string[];
  /**
   * The first period of the data when it falls inside the window: the data
   * may start in its middle, so it is never a baseline.
   */
  readonly partialFirst?: string;
  /**
   * The window's first period is the data's first complete period: there is
   * nothing before it, so a run reaching it is as long as it shows.
   */
  readonly startsWithData?: boolean;
  /** A row missing in a period means 0 (a count or sum with no rows), not "no value". */
  readonly missingIsZero: boolean;
}

export interface Breach {
  readonly alert: string;
  readonly kpi: string;
  readonly level: 'warn' | 'critical';
  /** The latest complete period. */
  readonly period: string;
  readonly segments: Readonly<Record<string, string | null>>;
  readonly value: number | null;
  /** The previous period's value. */
  readonly previousValue: number | null;
  /** What the value is compared with: the previous value or the trailing average (change conditions). */
  readonly baseline: number | null;
  /** (value - baseline) / |baseline| (change conditions). */
  readonly change: number | null;
  readonly status: string | null;
  /** The condition as written: `change < -30% against average 4`. */
  readonly condition: string;
  /** Periods in a row the condition held, ending with `period`. */
  readonly periodsInBreach: number;
  /** True when the run may be longer than the window shows. */
  readonly atLeast: boolean;
  readonly escalated: boolean;
  readonly responsible: readonly string[];
  readonly accountable: readonly string[];
  readonly consulted: readonly string[];
  readonly informed: readonly string[];
}

/** How many periods an alert's evaluation reads: the run it may report, plus the baseline of its oldest period. */
export function periodsNeeded(alert: Alert): { history: number; baseline: number } {
  const history = Math.max(alert.forPeriods, alert.escalateAfter ?? 1, MIN_HISTORY);
  const baseline = alert.condition.kind === 'change' ? alert.condition.periods : 0;
  return { history, baseline };
}

/** Runs longer than this are reported as "at least": the history read is bounded. */
const MIN_HISTORY = 8;

/** The breaches of one alert: one per watched row whose condition holds for `forPeriods` periods in a row. */
export function evaluateAlert(kpi: string, alert: Alert, rows: readonly SeriesRow[], window: AlertWindow): Breach[] {
  const { periods } = window;
  if (periods.length === 0) return [];
  const index = new Map(periods.map((p, i) => [p, i]));
  const series = new Map<
    string,
    { segments: SeriesRow['segments']; values: (number | null)[]; statuses: (string | null)[] }
  >();
  for (const row of rows) {
    const at = index.get(row.period);
    if (at === undefined) continue;
    // A period without any data has one row with null segments: it is nobody's.
    if (Object.keys(row.segments).length > 0 && Object.values(row.segments).every((v) => v === null)) continue;
    const key = JSON.stringify(row.segments);
    let entry = series.get(key);
    if (!entry) {
      entry = {
        segments: row.segments,
        values: periods.map(() => (window.missingIsZero ? 0 : null)),
        statuses: periods.map(() => null),
      };
      series.set(key, entry);
    }
    entry.values[at] = row.value;
    entry.statuses[at] = row.status;
  }
  const last = periods.length - 1;
  const breaches: Breach[] = [];
  for (const { segments, values, statuses } of series.values()) {
    const holds = (i: number) => conditionHolds(alert, values, statuses, i, window);
    let streak = 0;
    while (last - streak >= 0 && holds(last - streak).holds) streak += 1;
    if (streak < alert.forPeriods) continue;
    const now = holds(last);
    const escalated = alert.escalateAfter !== undefined && streak >= alert.escalateAfter;
    breaches.push({
      alert: alert.name,
      kpi,
      level: alert.level,
      period: periods[last]!,
      segments,
      value: values[last] ?? null,
      previousValue: last > 0 ? (values[last - 1] ?? null) : null,
      baseline: now.baseline,
      change: now.change,
      status: statuses[last] ?? null,
      condition: conditionText(alert.condition),
      periodsInBreach: streak,
      atLeast: runReachesWindowStart(alert.condition, last - streak, window),
      escalated,
      responsible: alert.responsible,
      accountable: alert.accountable,
      consulted: alert.consulted,
      informed: alert.informed,
    });
  }
  return breaches.sort((a, b) => compareSegments(a.segments, b.segments));
}

interface Decision {
  readonly holds: boolean;
  readonly baseline: number | null;
  readonly change: number | null;
}

function conditionHolds(
  alert: Alert,
  values: readonly (number | null)[],
  statuses: readonly (string | null)[],
  i: number,
  window: AlertWindow,
): Decision {
  const { condition } = alert;
  const none = { holds: false, baseline: null, change: null };
  if (window.periods[i] === window.partialFirst) return none;
  const value = values[i] ?? null;
  switch (condition.kind) {
    case 'status': {
      const status = statuses[i];
      const holds = status === 'critical' || (condition.level === 'warn' && status === 'warn');
      return { holds, baseline: null, change: null };
    }
    case 'value':
      return {
        holds: value !== null && compare(value, condition.op, Number(condition.value)),
        baseline: null,
        change: null,
      };
    case 'change': {
      const baseline = baselineOf(values, i, condition.periods, window);
      // Below `min_baseline` (an account with 1 event a week), a fall is noise: not decided.
      const tooSmall = alert.minBaseline !== undefined && baseline !== null && baseline < Number(alert.minBaseline);
      if (value === null || baseline === null || baseline === 0 || tooSmall)
        return { holds: false, baseline, change: null };
      const change = (value - baseline) / Math.abs(baseline);
      return { holds: compare(change, condition.op, Number(condition.value)), baseline, change };
    }
  }
}

/** The mean of the `n` values before period `i`; null when one is missing, partial or before the window. */
function baselineOf(values: readonly (number | null)[], i: number, n: number, window: AlertWindow): number | null {
  if (i - n < 0) return null;
  let sum = 0;
  for (let j = i - n; j < i; j++) {
    const v = values[j];
    if (v === null || v === undefined || window.periods[j] === window.partialFirst) return null;
    sum += v;
  }
  return sum / n;
}

/**
 * Whether the run may be longer than shown: it goes back to the oldest
 * period the window can decide (`i` is the first period not in the run),
 * and the data goes on before the window. When the data starts inside the
 * window, the run is as long as the data shows.
 */
function runReachesWindowStart(condition: AlertCondition, i: number, window: AlertWindow): boolean {
  if (window.partialFirst !== undefined || window.startsWithData) return false;
  const oldest = condition.kind === 'change' ? condition.periods : 0;
  return i < oldest;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    default:
      return a !== b;
  }
}

/** `change < -30% against average 4`, as people write it. */
export function conditionText(condition: AlertCondition): string {
  switch (condition.kind) {
    case 'status':
      return `status ${condition.level}`;
    case 'value':
      return `value ${condition.op} ${condition.value}`;
    case 'change': {
      const pct = `${trimNumber(Number(condition.value) * 100)}%`;
      const against = condition.baseline === 'previous' ? 'against previous' : `against average ${condition.periods}`;
      return `change ${condition.op} ${pct} ${against}`;
    }
  }
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(6)));
}

function compareSegments(
  a: Readonly<Record<string, string | null>>,
  b: Readonly<Record<string, string | null>>,
): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
