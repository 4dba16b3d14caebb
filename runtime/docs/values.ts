// The values a catalog or a report shows: each KPI's default query, run on
// the project's engine, reduced to plain series of numbers.
//
// A KPI that fails to run is not an error of the catalog: its page says why,
// and the other KPIs are still shown.

import type { Kpi, Query } from '../../compiler/index.ts';
import { runQuery } from '../execute.ts';
import type { Value } from '../engine/engine.ts';
import type { Project } from '../project/open.ts';

/** One point of a series: a period (or `null` without a grain) and its value, as numbers and text. */
export interface SeriesPoint {
  /** `YYYY-MM-DD` (or a timestamp's text); `null` for a KPI without a grain. */
  readonly period: string | null;
  /** `null` when the value is undefined (no denominator, too few samples). */
  readonly value: number | null;
  readonly status: 'ok' | 'warn' | 'critical' | 'insufficient' | null;
  readonly targetMet: boolean | null;
  /** The period is not covered to its end by the data. */
  readonly incomplete: boolean;
}

/** The series of one segment value (`segment` is its text). */
export interface SegmentSeries {
  readonly segment: string;
  readonly points: readonly SeriesPoint[];
}

export interface KpiValues {
  /** The total, over every customer (`--by none`). */
  readonly total: readonly SeriesPoint[];
  /** Per segment dimension of the KPI, its values' series (at most `MAX_SEGMENT_VALUES` of them). */
  readonly segments: readonly {
    readonly dimension: string;
    readonly series: readonly SegmentSeries[];
    readonly more: number;
  }[];
  /** Why the KPI could not be run, when it could not. */
  readonly error?: string;
}

/** Small multiples beyond this many segment values would not be read; the page says how many more there are. */
export const MAX_SEGMENT_VALUES = 12;

/**
 * Run each KPI's default query (total, then one query per segment
 * dimension) and keep the numbers. `progress` is told before each KPI.
 */
export async function collectValues(
  project: Project,
  kpis: readonly Kpi[],
  progress: (done: number, total: number, kpi: Kpi) => void = () => {},
): Promise<Map<string, KpiValues>> {
  const values = new Map<string, KpiValues>();
  let done = 0;
  for (const kpi of kpis) {
    progress(done, kpis.length, kpi);
    values.set(kpi.name.toLowerCase(), await valuesOf(project, kpi));
    done += 1;
  }
  return values;
}

async function valuesOf(project: Project, kpi: Kpi): Promise<KpiValues> {
  const total = await seriesOf(project, { kpi: kpi.name, by: 'none', markIncomplete: true });
  if ('error' in total) return { total: [], segments: [], error: total.error };
  const segments: { dimension: string; series: SegmentSeries[]; more: number }[] = [];
  for (const dimension of kpi.segments) {
    const name = dimension.qualifier ? `${dimension.qualifier}.${dimension.name}` : dimension.name;
    const result = await seriesOf(project, { kpi: kpi.name, by: [dimension], markIncomplete: true });
    if ('error' in result) continue;
    const bySegment = new Map<string, SeriesPoint[]>();
    for (const { segment, point } of result.points) {
      const list = bySegment.get(segment) ?? [];
      list.push(point);
      bySegment.set(segment, list);
    }
    const all = [...bySegment.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    segments.push({
      dimension: name,
      series: all.slice(0, MAX_SEGMENT_VALUES).map(([segment, points]) => ({ segment, points })),
      more: Math.max(0, all.length - MAX_SEGMENT_VALUES),
    });
  }
  return { total: total.points.map((p) => p.point), segments };
}

type Rows = { points: { segment: string; point: SeriesPoint }[] } | { error: string };

async function seriesOf(project: Project, query: Query): Promise<Rows> {
  try {
    const result = await runQuery(project, query);
    if (!result.value) {
      const problem = result.diagnostics.find((d) => d.severity === 'error');
      return { error: problem?.message ?? 'the query did not compile' };
    }
    const { columns, rows } = result.value;
    const at = (role: string) => columns.findIndex((c) => c.role === role);
    const [period, segment, value, status, targetMet, incomplete] = [
      'period',
      'segment',
      'value',
      'status',
      'target_met',
      'incomplete',
    ].map(at);
    const points = rows.map((row) => ({
      segment: segment! >= 0 ? textOf(row[segment!] ?? null) : '',
      point: {
        period: period! >= 0 ? periodText(row[period!] ?? null) : null,
        value: numberOf(row[value!] ?? null),
        status: status! >= 0 ? (row[status!] as SeriesPoint['status']) : null,
        targetMet: targetMet! >= 0 ? (row[targetMet!] as boolean | null) : null,
        incomplete: incomplete! >= 0 ? row[incomplete!] === true : false,
      },
    }));
    return { points };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** A result value as a JavaScript number for drawing; `null` for null and non-finite values. */
export function numberOf(value: Value): number | null {
  if (value === null || typeof value === 'boolean') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function textOf(value: Value): string {
  return value === null ? '(none)' : String(value);
}

function periodText(value: Value): string | null {
  if (value === null) return null;
  const text = String(value);
  return text.endsWith(' 00:00:00') ? text.slice(0, 10) : text;
}

/** The last period the data covers to its end, and the one before it. */
export function latestComplete(points: readonly SeriesPoint[]): { latest?: SeriesPoint; previous?: SeriesPoint } {
  const complete = points.filter((p) => !p.incomplete);
  return { latest: complete.at(-1), previous: complete.at(-2) };
}
