// An independent evaluator of a differential case, in plain TypeScript and
// no SQL: rows are filtered, grouped by period and segment, aggregated and
// combined in JavaScript, following language.md and docs/sql.md.

import type { Aggregate, Case, Condition, CustomerRow, EventRow, MeasureSpec, SourceName, Threshold } from './model.ts';
import { kpiMeasures, querySegments } from './model.ts';

export type Cell = string | number | boolean | null;

/** One result row keyed by column name (`period` only with a grain). */
export type ResultRow = Record<string, Cell>;

// ---------------------------------------------------------------- time

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A UTC instant `YYYY-MM-DD HH:MM:SS` as wall-clock time in `zone`, same format. */
export function localTime(utc: string, zone: string): string {
  if (zone === 'UTC') return utc;
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(new Date(`${utc.replace(' ', 'T')}Z`)).map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first day of the period holding `date` (`YYYY-MM-DD`); weeks start on Monday. */
export function periodOf(date: string, grain: 'day' | 'week' | 'month' | 'year'): string {
  switch (grain) {
    case 'day':
      return date.slice(0, 10);
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
    case 'week': {
      const d = day(date.slice(0, 10));
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return iso(d);
    }
  }
}

function nextPeriod(start: string, grain: 'day' | 'week' | 'month' | 'year'): string {
  const d = day(start);
  if (grain === 'day') d.setUTCDate(d.getUTCDate() + 1);
  if (grain === 'week') d.setUTCDate(d.getUTCDate() + 7);
  if (grain === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  if (grain === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  return iso(d);
}

/** Every period from the one holding `from` to the last one starting before `to`. */
export function periodsOf(from: string, to: string, grain: 'day' | 'week' | 'month' | 'year'): string[] {
  const out: string[] = [];
  for (let p = periodOf(from, grain); p < to; p = nextPeriod(p, grain)) out.push(p);
  return out;
}

// ---------------------------------------------------------------- rows

/** A row as a measure sees it: its own columns, the linked customer's tier, and its local time. */
interface Row {
  readonly source: SourceName;
  readonly values: Readonly<Record<string, string | number | null>>;
  /** Local `YYYY-MM-DD HH:MM:SS` (events) or `YYYY-MM-DD` (customers). */
  readonly time: string;
}

function rowsOf(c: Case, source: SourceName): Row[] {
  if (source === 'customers') {
    return c.customers.map((r: CustomerRow) => ({ source, values: { ...r }, time: r.signup_date }));
  }
  const tiers = new Map(c.customers.map((r) => [r.customer_id, r.tier]));
  return c.events
    .map((r: EventRow) => ({
      source,
      values: { ...r, tier: r.customer_id === null ? null : (tiers.get(r.customer_id) ?? null) },
      time: localTime(r.ts, c.timezone),
    }))
    .filter((row) => passesCheck(c, row));
}

/** Three-valued logic collapsed as SQL's WHERE does: only TRUE passes. */
function holds(condition: Condition, values: Readonly<Record<string, string | number | null>>): boolean {
  const v = values[condition.column] ?? null;
  switch (condition.op) {
    case 'is null':
      return v === null;
    case 'is not null':
      return v !== null;
    default:
      if (v === null) return false;
      if (condition.op === '=') return v === condition.value;
      if (condition.op === '!=') return v !== condition.value;
      if (condition.op === '>') return (v as number) > (condition.value as number);
      return (v as number) <= (condition.value as number);
  }
}

function passesCheck(c: Case, row: Row): boolean {
  if (c.check === 'score between 0 and 10') {
    const s = row.values['score'] ?? null;
    return s !== null && (s as number) >= 0 && (s as number) <= 10;
  }
  if (c.check === 'amount is not null') return row.values['amount'] !== null;
  return true;
}

/** Which columns a source can see (its own, and `tier` through the customer link). */
function reaches(source: SourceName, column: string): boolean {
  if (source === 'customers') return column === 'tier' || column === 'customer_id';
  return true;
}

function inRange(c: Case, row: Row): boolean {
  const from = row.source === 'customers' ? c.from : `${c.from} 00:00:00`;
  const to = row.source === 'customers' ? c.to : `${c.to} 00:00:00`;
  return row.time >= from && row.time < to;
}

// ---------------------------------------------------------------- aggregate

/** The continuous percentile (linear interpolation between the closest ranks), as SQL's percentile_cont. */
function percentileCont(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

function aggregate(kind: Aggregate, rows: readonly Row[], argument: string | undefined, p = 0.5): number | null {
  if (kind === 'count') return rows.length;
  const values = rows.map((r) => r.values[argument!] ?? null).filter((v) => v !== null);
  if (kind === 'count_col') return values.length;
  if (kind === 'count_distinct') return new Set(values).size;
  // A missing sum is 0 (docs/sql.md); avg/min/max of nothing is null.
  if (kind === 'sum') return (values as number[]).reduce((a, b) => a + b, 0);
  if (values.length === 0) return null;
  const numbers = values as number[];
  if (kind === 'avg') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
  if (kind === 'median') return percentileCont(numbers, 0.5);
  if (kind === 'percentile') return percentileCont(numbers, p);
  return kind === 'min' ? Math.min(...numbers) : Math.max(...numbers);
}

const segmentKey = (values: readonly Cell[]) => JSON.stringify(values);

/** The KPI's result rows, in no particular order. */
export function evaluate(query: Case): ResultRow[] {
  // `--by` replaces the KPI's segments for this query (and with them which `for` thresholds apply).
  const c: Case = { ...query, kpi: { ...query.kpi, segments: querySegments(query) } };
  const k = c.kpi;
  const measures = kpiMeasures(c);
  const sources = [...new Set(measures.map((m) => m.source))];
  // Rows of each source after checks, range and the KPI filter (where the source reaches it).
  const rows = new Map<SourceName, Row[]>();
  for (const source of sources) {
    const passes = (where: Condition | undefined, r: Row) =>
      !where || !reaches(source, where.column) || holds(where, r.values);
    rows.set(
      source,
      rowsOf(c, source).filter((r) => inRange(c, r) && passes(k.where, r) && passes(c.queryWhere, r)),
    );
  }
  const grain = k.grain === 'none' ? undefined : k.grain;
  const periodOfRow = (r: Row) => (grain ? periodOf(r.time, grain) : '');
  const segmentsOf = (r: Row) => k.segments.map((s) => r.values[s] ?? null);
  // Keys: (period, segments) of the sources broken down by every segment.
  const keys = new Map<string, { period: string; segments: Cell[] }>();
  for (const source of sources) {
    if (!k.segments.every((s) => reaches(source, s))) continue;
    for (const r of rows.get(source)!) {
      const key = { period: periodOfRow(r), segments: segmentsOf(r) };
      keys.set(`${key.period}|${segmentKey(key.segments)}`, key);
    }
  }
  let spine: { period: string; segments: Cell[] }[];
  if (grain) {
    spine = [];
    for (const period of periodsOf(c.from, c.to, grain)) {
      const here = [...keys.values()].filter((key) => key.period === period);
      spine.push(...(here.length > 0 ? here : [{ period, segments: k.segments.map(() => null) }]));
    }
  } else {
    spine = k.segments.length === 0 ? [{ period: '', segments: [] }] : [...keys.values()];
  }
  return spine.map((key) => resultRow(c, key, rows, measures, grain !== undefined));
}

function resultRow(
  c: Case,
  key: { period: string; segments: Cell[] },
  rows: ReadonlyMap<SourceName, Row[]>,
  measures: readonly MeasureSpec[],
  withPeriod: boolean,
): ResultRow {
  const k = c.kpi;
  const grain = k.grain === 'none' ? undefined : k.grain;
  const value = (m: MeasureSpec): number | null => {
    const matching = rows
      .get(m.source)!
      .filter(
        (r) =>
          (!grain || periodOf(r.time, grain) === key.period) &&
          k.segments.every((s, i) => !reaches(m.source, s) || (r.values[s] ?? null) === key.segments[i]) &&
          (!m.where || holds(m.where, r.values)),
      );
    return aggregate(m.aggregate, matching, m.argument, m.p);
  };
  const byName = new Map(measures.map((m) => [m.name, value(m)]));
  let numerator: number | null = 0;
  for (const term of k.numerator) {
    const v = byName.get(term.measure) ?? null;
    numerator = numerator === null || v === null ? null : numerator + term.sign * v;
  }
  const denominator = k.denominator === undefined ? null : (byName.get(k.denominator) ?? null);
  const scale = k.scale ?? 1;
  // min_sample (with a denominator): a denominator below it leaves no value and the status `insufficient`.
  const insufficient = k.minSample !== undefined && (denominator ?? 0) < k.minSample;
  const result =
    k.denominator === undefined
      ? numerator === null
        ? null
        : numerator * scale
      : insufficient || numerator === null || denominator === null || denominator === 0
        ? null
        : (numerator / denominator) * scale;
  const row: ResultRow = {};
  if (withPeriod) row['period'] = key.period;
  k.segments.forEach((s, i) => {
    row[s] = key.segments[i]!;
  });
  row['numerator'] = numerator;
  row['denominator'] = denominator;
  row['value'] = result;
  const tierAt = k.segments.indexOf('tier');
  // Not segmented by tier, a `--where tier = "x"` pins the tier the `for` thresholds see (language.md).
  const pinned =
    c.queryWhere?.column === 'tier' && c.queryWhere.op === '=' ? (c.queryWhere.value as string) : undefined;
  row['status'] = insufficient ? 'insufficient' : status(c, result, tierAt < 0 ? pinned : key.segments[tierAt]!);
  const target = k.thresholds.find((t) => t.level === 'target');
  row['target_met'] = target && result !== null ? compare(result, target.op, target.value) : null;
  return row;
}

function compare(a: number, op: '>=' | '<' | '>', b: number): boolean {
  return op === '>=' ? a >= b : op === '<' ? a < b : a > b;
}

/**
 * The status of a value; `tier` is the row's tier when the query is segmented by tier.
 * Per level the threshold that applies: one whose `for` holds before one without.
 */
function status(c: Case, value: number | null, tier: Cell | undefined): Cell {
  // A `for` on tier does not apply to a query not segmented by tier (language.md).
  const levels = c.kpi.thresholds.filter((t) => t.level !== 'target' && (t.for === undefined || tier !== undefined));
  if (levels.length === 0 || value === null) return null;
  const applies = (t: Threshold) => t.for === undefined || (tier !== undefined && tier === t.for);
  const pick = (level: 'warn' | 'critical') =>
    levels.find((t) => t.level === level && t.for !== undefined && applies(t)) ??
    levels.find((t) => t.level === level && t.for === undefined);
  const critical = pick('critical');
  if (critical && compare(value, critical.op, critical.value)) return 'critical';
  const warn = pick('warn');
  if (warn && compare(value, warn.op, warn.value)) return 'warn';
  return 'ok';
}
