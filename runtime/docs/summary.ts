// What a reader wants first from a KPI's values: the latest complete period,
// its status, the trend, since when it is off target, and which segments are
// in breach. Shared by the scorecard, the KPI pages and `kpic report`.

import type { Kpi, ValueFormat } from '../../compiler/index.ts';
import { formatValue } from '../format/display-format.ts';
import type { KpiValues, SeriesPoint } from './values.ts';
import { latestComplete } from './values.ts';

export type StatusText = 'ok' | 'warn' | 'critical' | 'insufficient' | 'none';

export interface KpiSummary {
  /** The KPI's `format`: values are shown in it. */
  readonly format?: ValueFormat;
  readonly latest?: SeriesPoint;
  readonly previous?: SeriesPoint;
  /** The same period a year before the latest, when the series has it. */
  readonly yearAgo?: SeriesPoint;
  readonly status: StatusText;
  /** `up`, `down` or `flat` against the previous complete period; undefined without both values. */
  readonly trend?: 'up' | 'down' | 'flat';
  /** Whether the trend goes the KPI's way (`direction higher|lower`); undefined without a direction. */
  readonly trendGood?: boolean;
  /** The first period of the current run of warn/critical periods, and how many periods it has lasted. */
  readonly offTargetSince?: { readonly period: string | null; readonly periods: number };
  /** Segment values in warn or critical in the latest complete period. */
  readonly breaches: readonly {
    readonly dimension: string;
    readonly segment: string;
    readonly status: 'warn' | 'critical';
    readonly value: number | null;
  }[];
}

function statusOf(point: SeriesPoint | undefined): StatusText {
  return point?.status ?? 'none';
}

/** `2024-09-01` -> `2023-09-01`; other texts have no year-ago period. */
export function yearBefore(period: string | null): string | undefined {
  const match = period === null ? null : /^(\d{4})(-.*)$/.exec(period);
  return match ? `${String(Number(match[1]) - 1).padStart(4, '0')}${match[2]}` : undefined;
}

const DAY_MS = 86_400_000;

/**
 * The period of `points` that contains the day `target` (`YYYY-MM-DD...`):
 * the same month a year before for monthly KPIs, the week holding that day
 * for weekly ones. A period's length is read from the series itself.
 */
export function periodContaining(points: readonly SeriesPoint[], target: string | undefined): SeriesPoint | undefined {
  if (target === undefined) return undefined;
  const day = Date.parse(`${target.slice(0, 10)}T00:00:00Z`);
  const dated = points
    .filter((p) => p.period !== null)
    .map((p) => ({ p, at: Date.parse(`${p.period!.slice(0, 10)}T00:00:00Z`) }));
  if (Number.isNaN(day) || dated.length < 2) return dated.find((d) => d.at === day)?.p;
  const length = dated[1]!.at - dated[0]!.at;
  const found = dated.filter((d) => d.at <= day).at(-1);
  // Months and quarters vary in length: a period that starts on the very day is always the one.
  if (!found) return undefined;
  if (found.at === day) return found.p;
  return day - found.at < Math.min(length, 7 * DAY_MS) ? found.p : undefined;
}

export function summarise(kpi: Kpi, values: KpiValues | undefined): KpiSummary {
  const format = kpi.format ? { format: kpi.format } : {};
  if (!values || values.total.length === 0) return { ...format, status: 'none', breaches: [] };
  const { latest, previous } = latestComplete(values.total);
  const yearAgo = periodContaining(values.total, yearBefore(latest?.period ?? null));
  let trend: KpiSummary['trend'];
  if (latest?.value != null && previous?.value != null) {
    trend = latest.value > previous.value ? 'up' : latest.value < previous.value ? 'down' : 'flat';
  }
  const trendGood =
    trend === undefined || trend === 'flat' || kpi.direction === undefined
      ? undefined
      : (trend === 'up') === (kpi.direction === 'higher');
  const complete = values.total.filter((p) => !p.incomplete);
  let offTargetSince: KpiSummary['offTargetSince'];
  if (latest && (latest.status === 'warn' || latest.status === 'critical')) {
    let first = complete.length - 1;
    while (first > 0 && (complete[first - 1]!.status === 'warn' || complete[first - 1]!.status === 'critical'))
      first -= 1;
    offTargetSince = { period: complete[first]!.period, periods: complete.length - first };
  }
  const breaches: KpiSummary['breaches'][number][] = [];
  for (const { dimension, series } of values.segments) {
    for (const { segment, points } of series) {
      const last = latestComplete(points).latest;
      if (last && last.period === latest?.period && (last.status === 'warn' || last.status === 'critical')) {
        breaches.push({ dimension, segment, status: last.status, value: last.value });
      }
    }
  }
  return {
    ...format,
    ...(latest ? { latest } : {}),
    ...(previous ? { previous } : {}),
    ...(yearAgo ? { yearAgo } : {}),
    status: statusOf(latest),
    ...(trend ? { trend } : {}),
    ...(trendGood === undefined ? {} : { trendGood }),
    ...(offTargetSince ? { offTargetSince } : {}),
    breaches,
  };
}

/** A value for people: at most 2 decimals for large numbers, 4 significant digits for small ones. */
/** A value as people read it: in the KPI's `format` when it has one (`4.5%`, `1,200.00 EUR`), else a few significant digits. */
export function showNumber(value: number | null | undefined, format?: ValueFormat): string {
  if (value === null || value === undefined) return '—';
  if (format !== undefined) return String(formatValue(value, format));
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, useGrouping: true }).format(value);
}

/** The trend as an arrow and words (the words for readers who do not see the arrow). */
export function trendText(summary: KpiSummary): { arrow: string; words: string } {
  if (!summary.trend) return { arrow: '', words: '' };
  const arrow = summary.trend === 'up' ? '↑' : summary.trend === 'down' ? '↓' : '→';
  const good = summary.trendGood === undefined ? '' : summary.trendGood ? ', better' : ', worse';
  const words = `${summary.trend === 'flat' ? 'unchanged' : summary.trend} from ${showNumber(summary.previous?.value, summary.format)}${good}`;
  return { arrow, words };
}

/** The change from `before` to `after`, absolute and relative; undefined when either is missing. */
export function changeOf(
  after: number | null | undefined,
  before: number | null | undefined,
): { change: number; pct?: number } | undefined {
  if (after == null || before == null) return undefined;
  const change = after - before;
  return before === 0 ? { change } : { change, pct: change / Math.abs(before) };
}
