// An independent evaluator of a differential case, in plain TypeScript and
// no SQL: rows are filtered, grouped by period and segment, aggregated and
// combined in JavaScript, following language.md and docs/sql.md.

import type {
  Aggregate,
  Case,
  Condition,
  CustomerRow,
  DerivedExpr,
  EventRow,
  KpiSpec,
  MeasureSpec,
  Segment,
  SourceName,
  SubRow,
  Threshold,
  Window,
} from './model.ts';
import { ACCOUNTS, K_ALONE, inputsOf, kpiMeasures, querySegments, reaches } from './model.ts';

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
export function periodOf(date: string, grain: 'day' | 'week' | 'month' | 'quarter' | 'year'): string {
  switch (grain) {
    case 'day':
      return date.slice(0, 10);
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'quarter': {
      const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
      return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
    }
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
    case 'week': {
      const d = day(date.slice(0, 10));
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return iso(d);
    }
  }
}

function nextPeriod(start: string, grain: 'day' | 'week' | 'month' | 'quarter' | 'year'): string {
  const d = day(start);
  if (grain === 'day') d.setUTCDate(d.getUTCDate() + 1);
  if (grain === 'week') d.setUTCDate(d.getUTCDate() + 7);
  if (grain === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  if (grain === 'quarter') d.setUTCMonth(d.getUTCMonth() + 3);
  if (grain === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  return iso(d);
}

/** Every period from the one holding `from` to the last one starting before `to`. */
export function periodsOf(from: string, to: string, grain: 'day' | 'week' | 'month' | 'quarter' | 'year'): string[] {
  const out: string[] = [];
  for (let p = periodOf(from, grain); p < to; p = nextPeriod(p, grain)) out.push(p);
  return out;
}

// ---------------------------------------------------------------- rows

/** A row as a measure sees it: its own columns, the linked customer's tier, and its local time. */
interface Row {
  readonly source: SourceName;
  readonly values: Readonly<Record<string, string | number | null>>;
  /** Local `YYYY-MM-DD HH:MM:SS` (a customer's DATE at midnight). */
  readonly time: string;
}

function rowsOf(c: Case, source: SourceName): Row[] {
  // Along the links: a customer's account's region; a fact's customer's tier and region (null when a link is null or dangles).
  const regions = new Map(ACCOUNTS.map((a) => [a.account_id, a.region]));
  const regionOf = (r: CustomerRow) => (r.account_id === null ? null : (regions.get(r.account_id) ?? null));
  const customers = new Map(c.customers.map((r) => [r.customer_id, r]));
  const linked = (id: number | null) => {
    const customer = id === null ? undefined : customers.get(id);
    // `customer` (the `--by customer` segment): the customer entity's key, null when the link is null or dangles.
    return {
      tier: customer?.tier ?? null,
      region: customer ? regionOf(customer) : null,
      customer: customer ? customer.customer_id : null,
    };
  };
  if (source === 'customers') {
    return c.customers.map((r: CustomerRow) => ({
      source,
      values: { ...r, region: regionOf(r), customer: r.customer_id },
      time: `${r.signup_date} 00:00:00`,
    }));
  }
  if (source === 'subs') {
    return c.subs.map((r: SubRow) => ({
      source,
      values: { ...r, ...linked(r.customer_id) },
      time: `${r.started_at} 00:00:00`,
    }));
  }
  return c.events
    .map((r: EventRow) => ({
      source,
      values: { ...r, ...linked(r.customer_id) },
      time: localTime(r.ts, c.timezone),
    }))
    .filter((row) => passesCheck(c, row));
}

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

// ---------------------------------------------------------------- periods

type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';

const midnight = (date: string) => `${date} 00:00:00`;
const earlier = (a: string, b: string) => (a < b ? a : b);

/** The period before `start`. */
function previousPeriod(start: string, grain: Grain): string {
  const d = day(start);
  if (grain === 'day') d.setUTCDate(d.getUTCDate() - 1);
  if (grain === 'week') d.setUTCDate(d.getUTCDate() - 7);
  if (grain === 'month') d.setUTCMonth(d.getUTCMonth() - 1);
  if (grain === 'quarter') d.setUTCMonth(d.getUTCMonth() - 3);
  if (grain === 'year') d.setUTCFullYear(d.getUTCFullYear() - 1);
  return iso(d);
}

/** Local midnight `end` less a window, in wall-clock time; a month back keeps the day, clamped to the month's last. */
export function windowStart(end: string, window: Window): string {
  const [count, unit] = window.split(' ') as [string, string];
  const n = Number(count);
  const d = day(end.slice(0, 10));
  if (unit === 'month') {
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() - n;
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return midnight(iso(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last)))));
  }
  const days = unit === 'days' ? n : unit === 'weeks' ? 7 * n : n / 24;
  d.setUTCDate(d.getUTCDate() - days);
  return midnight(iso(d));
}

/**
 * Whether a row counts for a measure in a period, by the measure's kind
 * (time-analytics.md, "The --to rule"): a flow counts the period's rows from
 * `--from`, a windowed flow the rows from the window's start, a cumulative
 * measure every row before the period's end; all stop at `--to`.
 */
function counts(c: Case, k: KpiSpec, m: MeasureSpec, r: Row, period: string): boolean {
  const grain = k.grain === 'none' ? undefined : k.grain;
  if (m.mode === 'at start' || m.mode === 'at end') return validAt(c, k, m.mode, r, period);
  const to = midnight(c.to);
  const end = grain ? midnight(nextPeriod(period, grain)) : to;
  if (m.mode === 'cumulative') return r.time < earlier(end, to);
  if (k.window !== undefined && grain) return r.time >= windowStart(end, k.window) && r.time < earlier(end, to);
  return r.time >= midnight(c.from) && r.time < to && (!grain || periodOf(r.time, grain) === period);
}

const isRetention = (m: MeasureSpec) => m.mode === 'retained' || m.mode === 'churned';

/**
 * Whether a term (DATE columns, never shifted) is valid at a period's start
 * (`from <= start < to`) or at its end `e = least(period end, --to)`
 * (`from < e <= to`); without a grain the period is `--from`..`--to` (sql.md).
 */
function validAt(c: Case, k: KpiSpec, at: 'at start' | 'at end', r: Row, period: string): boolean {
  const grain = k.grain === 'none' ? undefined : k.grain;
  const from = r.values['started_at'] as string;
  const to = (r.values['ended_at'] ?? null) as string | null;
  if (at === 'at start') {
    const start = grain ? period : c.from;
    return from <= start && (to === null || to > start);
  }
  const end = grain ? earlier(nextPeriod(period, grain), c.to) : c.to;
  return from < end && (to === null || to >= end);
}

/** Retention from period-start state: per customer, the aggregate at the start `s` and at the end `e`. */
function perCustomer(
  c: Case,
  k: KpiSpec,
  m: MeasureSpec,
  rows: readonly Row[],
  period: string,
  at: 'at start' | 'at end',
): Map<Cell, number> {
  const groups = new Map<Cell, Row[]>();
  for (const r of rows.filter((r) => validAt(c, k, at, r, period))) {
    const id = r.values['customer_id'] ?? null;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  return new Map([...groups].map(([id, rs]) => [id, aggregate(m.aggregate, rs, m.argument) ?? 0]));
}

/** Each customer's value at the period's start (rows already of one segment, after the measure's where). */
function startingCustomers(c: Case, k: KpiSpec, m: MeasureSpec, rows: readonly Row[], period: string) {
  return [...perCustomer(c, k, m, rows, period, 'at start')];
}

function stateRetention(c: Case, k: KpiSpec, m: MeasureSpec, rows: readonly Row[], period: string): number {
  const start = perCustomer(c, k, m, rows, period, 'at start');
  const end = perCustomer(c, k, m, rows, period, 'at end');
  let total = 0;
  for (const [id, s] of start) {
    if (!(s > 0)) continue;
    const e = end.get(id) ?? 0;
    total += m.mode === 'at end' ? e : m.state === 'retained' ? Math.min(s, e) : s - Math.min(s, e);
  }
  return total;
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

interface Key {
  readonly period: string;
  readonly segments: Cell[];
}

/** The query's result rows, in no particular order. */
export function evaluate(query: Case): ResultRow[] {
  const rows = evaluateCompared(query);
  const grain = query.kpi.grain;
  if (grain === 'none' || query.kpi.cohort) return rows;
  // time-analytics.md, "Incomplete periods"; a derived KPI's period is incomplete when an input's is.
  // The inputs the expression names: `k * 2` and `k - previous(k)` read `k` alone.
  const inputs = query.derived && !K_ALONE.includes(query.derived.expr) ? inputsOf(query) : [query.kpi];
  const partial = (period: string) => inputs.some((k) => incompleteIn(query, k, period, grain));
  const kept = query.kpi.periodsComplete ? rows.filter((r) => !partial(r['period'] as string)) : rows;
  return query.incomplete ? kept.map((r) => ({ ...r, incomplete: partial(r['period'] as string) })) : kept;
}

/**
 * A period is incomplete when it ends after `--to`, starts before the first day with data (the
 * earliest local date of the KPI's time columns over the rows of its sources it reads, after checks
 * and the KPI's and the query's `where`; a term's start for `valid from`), or holds a `--from` inside it.
 */
function incompleteIn(c: Case, k: KpiSpec, period: string, grain: Grain): boolean {
  if (nextPeriod(period, grain) > c.to) return true;
  if (periodOf(c.from, grain) !== c.from && period === periodOf(c.from, grain)) return true;
  const sources = [...new Set(kpiMeasures(c, k).map((m) => m.source))];
  const days = sources.flatMap((source) => {
    const passes = (where: Condition | undefined, r: Row) =>
      !where || !reaches(source, where.column) || holds(where, r.values);
    return rowsOf(c, source)
      .filter((r) => passes(k.where, r) && passes(c.queryWhere, r))
      .map((r) => r.time.slice(0, 10));
  });
  return days.length > 0 && period < days.reduce((a, b) => (a < b ? a : b));
}

function evaluateCompared(query: Case): ResultRow[] {
  if (!query.compare) return evaluatePlain(query);
  // `--compare previous` (time-analytics.md): the value of the period before for the same segment
  // values; the period before `--from`'s is computed whole and not shown; `--from` still cuts its own.
  const plain: Case = (({ compare: _, ...rest }) => rest)(query);
  const rows = evaluatePlain(plain);
  const grain = query.kpi.grain as Grain;
  const segments = querySegments(query);
  const first = periodOf(query.from, grain);
  const keyOf = (period: string, r: ResultRow) => segmentKey([period, ...segments.map((s) => r[s] ?? null)]);
  const before = new Map<string, number | null>();
  for (const r of evaluatePlain({ ...plain, from: previousPeriod(first, grain) }))
    if (r['period'] === previousPeriod(first, grain))
      before.set(keyOf(r['period'] as string, r), r['value'] as number | null);
  for (const r of rows) before.set(keyOf(r['period'] as string, r), r['value'] as number | null);
  return rows.map((r) => {
    const value = r['value'] as number | null;
    const previous = before.get(keyOf(previousPeriod(r['period'] as string, grain), r)) ?? null;
    const change = value === null || previous === null ? null : value - previous;
    const out: ResultRow = {};
    for (const [name, cell] of Object.entries(r)) {
      out[name] = cell;
      if (name === 'value') {
        out['previous_value'] = previous;
        out['change'] = change;
        out['change_pct'] = change === null || previous === null || previous === 0 ? null : change / Math.abs(previous);
      }
    }
    return out;
  });
}

function evaluatePlain(query: Case): ResultRow[] {
  // `--by` replaces the KPI's segments for this query (and with them which `for` thresholds apply).
  const segments = querySegments(query);
  if (query.kpi.cohort) return evaluateCohort(query, { ...query.kpi, segments });
  if (!query.derived) return evaluateKpi(query, { ...query.kpi, segments });
  const d = query.derived;
  if (d.expr.startsWith('customer_')) return rollUp(query, segments);
  // A derived KPI: its inputs at its grain, segments, range and --where (time-analytics.md).
  const inputs = [
    evaluateKpi(query, { ...query.kpi, segments }),
    d.expr === 'k * 2'
      ? []
      : d.expr === 'k - previous(k)'
        ? previousValues(query, { ...query.kpi, segments })
        : evaluateKpi(query, { ...d.other, segments, grain: query.kpi.grain }),
  ];
  const withPeriod = query.kpi.grain !== 'none';
  const keyOf = (r: ResultRow) => segmentKey([r['period'] ?? '', ...segments.map((s) => r[s] ?? null)]);
  const values = inputs.map((rows) => new Map(rows.map((r) => [keyOf(r), (r['value'] ?? null) as number | null])));
  // The rows are the (period, segment values) some input the expression names has.
  const keys = new Map<string, ResultRow>();
  for (const r of inputs.flat()) keys.set(keyOf(r), r);
  return [...keys].map(([key, r]) => {
    const value = derive(d.expr, values[0]!.get(key) ?? null, values[1]!.get(key) ?? null);
    const row: ResultRow = {};
    if (withPeriod) row['period'] = r['period']!;
    for (const s of segments) row[s] = r[s] ?? null;
    row['numerator'] = null;
    row['denominator'] = null;
    row['value'] = value;
    Object.assign(row, judge(query, d.thresholds, segments, row, value));
    return row;
  });
}

/**
 * `customer_mean(k)` / `customer_share(k, STATUS)` (time-analytics.md): k per (period, segment
 * values, customer) as `--by customer` computes it, then per (period, segment values) the mean of
 * the customers' values, or the share whose status is STATUS; a customer with a null value (or no
 * customer: a null key) is in neither.
 */
function rollUp(query: Case, segments: readonly Segment[]): ResultRow[] {
  const d = query.derived!;
  const perCustomer = evaluateKpi(query, {
    ...query.kpi,
    segments: segments.includes('customer') ? segments : [...segments, 'customer'],
  });
  const withPeriod = query.kpi.grain !== 'none';
  const keyOf = (r: ResultRow) => segmentKey([r['period'] ?? '', ...segments.map((s) => r[s] ?? null)]);
  const groups = new Map<string, ResultRow[]>();
  for (const r of perCustomer) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
  // Without a grain or segments the derived KPI has its one row, even with no customer.
  if (groups.size === 0 && !withPeriod && segments.length === 0) groups.set('', [{}]);
  return [...groups.values()].map((rs) => {
    const members = rs.filter((r) => (r['customer'] ?? null) !== null && (r['value'] ?? null) !== null);
    const wanted = d.expr.match(/customer_share\(k, (\w+)\)/)?.[1];
    // A share counts the customers with a status: none when no threshold applies (a `for` the query does not pin).
    const rated = members.filter((r) => r['status'] !== null);
    const value =
      members.length === 0
        ? null
        : wanted === undefined
          ? members.reduce((sum, r) => sum + (r['value'] as number), 0) / members.length
          : rated.length === 0
            ? null
            : rated.filter((r) => r['status'] === wanted).length / rated.length;
    const row: ResultRow = {};
    if (withPeriod) row['period'] = rs[0]!['period']!;
    for (const s of segments) row[s] = rs[0]![s] ?? null;
    row['numerator'] = null;
    row['denominator'] = null;
    row['value'] = value;
    Object.assign(row, judge(query, d.thresholds, segments, row, value));
    return row;
  });
}

/** Whole periods from `a` to `b` (both period starts). */
function periodsBetween(a: string, b: string, grain: Grain): number {
  if (grain === 'year') return Number(b.slice(0, 4)) - Number(a.slice(0, 4));
  const months = (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
  if (grain === 'month') return months;
  if (grain === 'quarter') return months / 3;
  const days = Math.round((day(b).getTime() - day(a).getTime()) / 86_400_000);
  return grain === 'week' ? days / 7 : days;
}

/**
 * A cohort grid (time-analytics.md, "Cohorts"): a customer's cohort is the
 * period of its signup date, for cohorts from the period of --from on whose
 * signup is before --to. Customer measures count the cohort's members (any
 * time), repeated over the periods since; event measures count activity by
 * cohort and periods since, from the cohort's period on and before --to.
 * Each (cohort, segments) of the data has a row for every period since, up
 * to the last period before --to.
 */
function evaluateCohort(c: Case, k: KpiSpec): ResultRow[] {
  const grain = k.grain as Grain;
  const measures = kpiMeasures(c, k);
  const to = midnight(c.to);
  const firstCohort = periodOf(c.from, grain);
  const lastPeriod = periodOf(previousDay(c.to), grain);
  // The cohort instant: the signup DATE, or the first event (checks applied, no filter) in local time.
  const first = new Map<Cell, string>();
  for (const r of rowsOf(c, 'events')) {
    const id = r.values['customer_id'] ?? null;
    if (id !== null && (!first.has(id) || r.time < first.get(id)!)) first.set(id, r.time);
  }
  const cohortOf = new Map<Cell, string>();
  for (const customer of c.customers) {
    const instant = k.cohort === 'first_event_at' ? first.get(customer.customer_id) : midnight(customer.signup_date);
    if (instant === undefined) continue;
    const cohort = periodOf(instant, grain);
    if (instant < to && cohort >= firstCohort) cohortOf.set(customer.customer_id, cohort);
  }
  interface CohortRow extends Row {
    readonly cohort: string;
    readonly since: number;
  }
  const rows = new Map<SourceName, CohortRow[]>();
  for (const source of [...new Set(measures.map((m) => m.source))]) {
    const passes = (where: Condition | undefined, r: Row) =>
      !where || !reaches(source, where.column) || holds(where, r.values);
    const kept: CohortRow[] = [];
    for (const r of rowsOf(c, source)) {
      if (!passes(k.where, r) || !passes(c.queryWhere, r)) continue;
      const cohort = cohortOf.get(r.values['customer_id'] ?? null);
      if (cohort === undefined) continue;
      if (source === 'customers') {
        kept.push({ ...r, cohort, since: -1 });
        continue;
      }
      if (r.time >= to) continue;
      kept.push({ ...r, cohort, since: periodsBetween(cohort, periodOf(r.time, grain), grain) });
    }
    rows.set(source, kept);
  }
  const segmentsOf = (r: Row) => k.segments.map((s) => r.values[s] ?? null);
  const keys = new Map<string, { cohort: string; segments: Cell[] }>();
  const add = (r: CohortRow) => {
    const key = { cohort: r.cohort, segments: segmentsOf(r) };
    keys.set(segmentKey([key.cohort, ...key.segments]), key);
  };
  // The keys are those of the aggregates' rows: activity before the cohort's period makes its
  // cohort a key (the customer is in the data), though its cells fall outside the grid.
  for (const m of measures) {
    if (!k.segments.every((s) => reaches(m.source, s))) continue;
    for (const r of rows.get(m.source)!) add(r);
  }
  const out: ResultRow[] = [];
  for (const key of keys.values()) {
    for (let since = 0; since <= periodsBetween(key.cohort, lastPeriod, grain); since++) {
      const value = (m: MeasureSpec): number | null => {
        const matching = rows
          .get(m.source)!
          .filter(
            (r) =>
              r.cohort === key.cohort &&
              (m.source === 'customers' || r.since === since) &&
              k.segments.every((s, i) => !reaches(m.source, s) || (r.values[s] ?? null) === key.segments[i]) &&
              (!m.where || holds(m.where, r.values)),
          );
        return aggregate(m.aggregate, matching, m.argument, m.p);
      };
      const keyRow: ResultRow = {
        cohort: key.cohort,
        periods_since: since,
        ...Object.fromEntries(k.segments.map((s, i) => [s, key.segments[i]!])),
      };
      out.push({ ...keyRow, ...combine(c, k, new Map(measures.map((m) => [m.name, value(m)])), keyRow) });
    }
  }
  return out;
}

function previousDay(date: string): string {
  const d = day(date);
  d.setUTCDate(d.getUTCDate() - 1);
  return iso(d);
}

/**
 * `previous(k)`: k computed from one period further back (whole periods from
 * there), each row moved to the next period; rows are kept for the query's periods.
 */
function previousValues(c: Case, k: KpiSpec): ResultRow[] {
  const grain = k.grain as Grain;
  const periods = new Set(periodsOf(c.from, c.to, grain));
  const back = evaluateKpi({ ...c, from: previousPeriod(periodOf(c.from, grain), grain) }, k);
  // The periods before the query's are whole; a period of the query (the one
  // --from cuts) gives the value the query shows for it (time-analytics.md).
  const own = evaluateKpi(c, k);
  return [...back.filter((r) => !periods.has(r['period'] as string)), ...own]
    .map((r) => ({ ...r, period: nextPeriod(r['period'] as string, grain) }))
    .filter((r) => periods.has(r.period));
}

/** A derived value: a null input makes the arithmetic null; `/` is null on zero; `greatest` skips nulls. */
function derive(expr: DerivedExpr, k: number | null, k2: number | null): number | null {
  switch (expr) {
    case 'k / k2':
      return k === null || k2 === null || k2 === 0 ? null : k / k2;
    case 'k - k2':
      return k === null || k2 === null ? null : k - k2;
    case 'coalesce(k, 0) + k2':
      return k2 === null ? null : (k ?? 0) + k2;
    case 'k * 2':
      return k === null ? null : k * 2;
    case 'greatest(k, k2)':
      return k === null ? k2 : k2 === null ? k : Math.max(k, k2);
    case 'k - previous(k)':
      return k === null || k2 === null ? null : k - k2;
    default:
      throw new Error(`${expr} is rolled up per customer (rollUp), not combined per key`);
  }
}

/** One KPI computed from data; `k.segments` are the query's. */
function evaluateKpi(c: Case, k: KpiSpec): ResultRow[] {
  const measures = kpiMeasures(c, k);
  const sources = [...new Set(measures.map((m) => m.source))];
  // Rows of each source after checks and the filters (where the source reaches them); the time rule comes per measure.
  const rows = new Map<SourceName, Row[]>();
  for (const source of sources) {
    const passes = (where: Condition | undefined, r: Row) =>
      !where || !reaches(source, where.column) || holds(where, r.values);
    rows.set(
      source,
      rowsOf(c, source).filter((r) => passes(k.where, r) && passes(c.queryWhere, r)),
    );
  }
  const grain = k.grain === 'none' ? undefined : k.grain;
  const periods = grain ? periodsOf(c.from, c.to, grain) : [''];
  const segmentsOf = (r: Row) => k.segments.map((s) => r.values[s] ?? null);
  // Keys: (period, segments) of the measures broken down by every segment. A retention
  // measure has the segments of the period before's set (non-null values): one with nobody
  // then has no row.
  const keys = new Map<string, Key>();
  for (const m of measures) {
    if (!k.segments.every((s) => reaches(m.source, s))) continue;
    for (const period of periods) {
      for (const r of rows.get(m.source)!) {
        // State retention: the segments with a customer in the starting state (s > 0).
        if (m.state) {
          const segments = segmentsOf(r);
          const same = rows
            .get(m.source)!
            .filter(
              (x) => segmentKey(segmentsOf(x)) === segmentKey(segments) && (!m.where || holds(m.where, x.values)),
            );
          if (!startingCustomers(c, k, m, same, period).some(([, v]) => v > 0)) continue;
          keys.set(`${period}|${segmentKey(segments)}`, { period, segments });
          continue;
        }
        const inKey = isRetention(m)
          ? periodOf(r.time, grain!) === previousPeriod(period, grain!) &&
            (!m.where || holds(m.where, r.values)) &&
            (r.values[m.argument!] ?? null) !== null
          : counts(c, k, m, r, period);
        if (!inKey) continue;
        const key = { period, segments: segmentsOf(r) };
        keys.set(`${key.period}|${segmentKey(key.segments)}`, key);
      }
    }
  }
  let spine: Key[];
  if (grain) {
    spine = [];
    for (const period of periods) {
      const here = [...keys.values()].filter((key) => key.period === period);
      spine.push(...(here.length > 0 ? here : [{ period, segments: k.segments.map(() => null) }]));
    }
  } else {
    spine = k.segments.length === 0 ? [{ period: '', segments: [] }] : [...keys.values()];
  }
  return spine.map((key) => resultRow(c, k, key, rows, measures));
}

function resultRow(
  c: Case,
  k: KpiSpec,
  key: Key,
  rows: ReadonlyMap<SourceName, Row[]>,
  measures: readonly MeasureSpec[],
): ResultRow {
  const grain = k.grain === 'none' ? undefined : k.grain;
  const ofKey = (m: MeasureSpec, r: Row) =>
    k.segments.every((s, i) => !reaches(m.source, s) || (r.values[s] ?? null) === key.segments[i]) &&
    (!m.where || holds(m.where, r.values));
  const value = (m: MeasureSpec): number | null => {
    const mine = rows.get(m.source)!.filter((r) => ofKey(m, r));
    if (m.state) return stateRetention(c, k, m, mine, key.period);
    if (isRetention(m)) {
      // Sets of whole periods (a --from inside one does not cut it); this period's stops at --to.
      const set = (rs: readonly Row[]) =>
        new Set(rs.map((r) => r.values[m.argument!] ?? null).filter((v) => v !== null));
      const before = set(mine.filter((r) => periodOf(r.time, grain!) === previousPeriod(key.period, grain!)));
      const now = set(mine.filter((r) => periodOf(r.time, grain!) === key.period && r.time < midnight(c.to)));
      const retained = [...before].filter((v) => now.has(v)).length;
      return m.mode === 'retained' ? retained : before.size - retained;
    }
    return aggregate(
      m.aggregate,
      mine.filter((r) => counts(c, k, m, r, key.period)),
      m.argument,
      m.p,
    );
  };
  const row: ResultRow = {};
  if (grain) row['period'] = key.period;
  k.segments.forEach((s, i) => {
    row[s] = key.segments[i]!;
  });
  return { ...row, ...combine(c, k, new Map(measures.map((m) => [m.name, value(m)])), row) };
}

/** numerator, denominator, value, status and target_met from the measures' values. */
function combine(c: Case, k: KpiSpec, byName: ReadonlyMap<string, number | null>, keyRow: ResultRow = {}): ResultRow {
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
  row['numerator'] = numerator;
  row['denominator'] = denominator;
  row['value'] = result;
  const judged = judge(c, k.thresholds, k.segments, { ...keyRow, ...row }, result);
  if (insufficient) judged['status'] = 'insufficient';
  Object.assign(row, judged);
  return row;
}

/** `status` and `target_met` of a value under thresholds, for a row of the given segments. */
function judge(
  c: Case,
  thresholds: readonly Threshold[],
  segments: readonly string[],
  row: ResultRow,
  value: number | null,
): ResultRow {
  // Not segmented by tier, a `--where tier = "x"` pins the tier the `for` thresholds see (language.md).
  const pinned =
    c.queryWhere?.column === 'tier' && c.queryWhere.op === '=' ? (c.queryWhere.value as string) : undefined;
  const tier = segments.includes('tier') ? (row['tier'] ?? null) : pinned;
  const target = thresholds.find((t) => t.level === 'target');
  return {
    status: status(thresholds, value, tier),
    target_met: target && value !== null ? compare(value, target.op, target.value) : null,
  };
}

function compare(a: number, op: '>=' | '<' | '>', b: number): boolean {
  return op === '>=' ? a >= b : op === '<' ? a < b : a > b;
}

/**
 * The status of a value; `tier` is the row's tier when the query is segmented by tier.
 * Per level the threshold that applies: one whose `for` holds before one without.
 */
function status(thresholds: readonly Threshold[], value: number | null, tier: Cell | undefined): Cell {
  // A `for` on tier does not apply to a query not segmented by tier (language.md).
  const levels = thresholds.filter((t) => t.level !== 'target' && (t.for === undefined || tier !== undefined));
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
