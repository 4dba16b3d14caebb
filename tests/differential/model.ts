// Random well-typed models over random small datasets, as plain data, and
// their rendering as a `.kpi` file and CSV files.
//
// The world: a customer entity `customers` (key, signup date, tier, and a
// link to `accounts`, whose `region` is two links away from the facts), a
// fact source `events` (key, a `customer` link that may be null or dangle,
// a timestamp near DST changes and year ends, a kind, an amount, a score),
// with an optional check, and subscription terms `subs` (`valid from
// started_at to ended_at`, DATE columns) measured `at period start|end`.
// A KPI combines one or two measures, maybe divided by another (measures
// include median and percentile, cumulative, retained/churned and snapshot
// measures), with a filter, segments, a grain, a trailing window,
// thresholds (some with `for tier = ...`) and, with a denominator,
// `min_sample`; a derived KPI `d` may combine it with a second KPI `k2`.

import fc from 'fast-check';

export type Aggregate =
  | 'count'
  | 'count_col'
  | 'count_distinct'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'median'
  | 'percentile';
export type SourceName = 'customers' | 'events' | 'subs';
export type Column = 'tier' | 'kind' | 'amount' | 'score' | 'customer_id' | 'region' | 'mrr';
/** A segment: the customer's tier, the event's kind, or the account's region (two links from a fact). */
export type Segment = 'tier' | 'kind' | 'region' | 'customer';

/** A row condition: `column op value`, or `column is null`. */
export interface Condition {
  readonly column: Column;
  readonly op: '=' | '!=' | '>' | '<=' | 'is null' | 'is not null';
  readonly value?: string | number;
}

export interface MeasureSpec {
  readonly name: string;
  readonly source: SourceName;
  readonly aggregate: Aggregate;
  /** The argument column (none for `count`). */
  readonly argument?: 'amount' | 'score' | 'customer_id' | 'kind' | 'mrr';
  readonly where?: Condition;
  /** The fraction of `percentile(x, p)`. */
  readonly p?: number;
  /**
   * How the measure meets periods: a flow (absent), `cumulative` (every row
   * before the period's end), or `retained`/`churned` (count_distinct over
   * the sets of this period and the one before).
   */
  readonly mode?: 'cumulative' | 'retained' | 'churned' | 'at start' | 'at end';
  /** On a snapshot measure: retention from period-start state (time-analytics.md). */
  readonly state?: 'retained' | 'churned';
}

/** A KPI's trailing `window`. */
export type Window = '2 days' | '7 days' | '2 weeks' | '1 month' | '48 hours';

/** The expression of a derived KPI `d` over the KPIs `k` and `k2`. */
export type DerivedExpr =
  | 'k / k2'
  | 'k - k2'
  | 'coalesce(k, 0) + k2'
  | 'k * 2'
  | 'greatest(k, k2)'
  | 'k - previous(k)'
  | 'customer_mean(k)'
  | 'customer_share(k, ok)'
  | 'customer_share(k, warn)'
  | 'customer_share(k, critical)';

/** The derived expressions that read `k` alone. */
export const K_ALONE: readonly DerivedExpr[] = [
  'k * 2',
  'k - previous(k)',
  'customer_mean(k)',
  'customer_share(k, ok)',
  'customer_share(k, warn)',
  'customer_share(k, critical)',
];

export interface DerivedSpec {
  readonly expr: DerivedExpr;
  /** The second input `k2` (same grain as `k`). */
  readonly other: KpiSpec;
  readonly segments: readonly Segment[];
  readonly thresholds: readonly Threshold[];
}

export interface Threshold {
  readonly level: 'target' | 'warn' | 'critical';
  readonly op: '>=' | '<' | '>';
  readonly value: number;
  /** `for tier = "<for>"`: applies only to rows of that tier, in queries segmented by tier. */
  readonly for?: 'gold' | 'silver';
}

export interface KpiSpec {
  readonly numerator: readonly { readonly measure: string; readonly sign: 1 | -1 }[];
  readonly denominator?: string;
  readonly scale?: number;
  readonly where?: Condition;
  readonly segments: readonly Segment[];
  readonly grain: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'none';
  readonly thresholds: readonly Threshold[];
  /** `min_sample N` (generated only with a denominator). */
  readonly minSample?: number;
  /** `window D`: each flow measure counts the rows of the trailing window ending at the period's end. */
  readonly window?: Window;
  /**
   * `cohort by signup_date` (a DATE) or `cohort by first_event_at` (an aggregated dimension,
   * `min(events.ts)`: an instant whose period is local): a grid of cohorts and periods since
   * (flow measures only, no derived KPI).
   */
  readonly cohort?: 'signup_date' | 'first_event_at';
  /** `periods complete`: incomplete periods are left out (with a grain, no cohort, KPI `k` run itself). */
  readonly periodsComplete?: true;
}

export interface CustomerRow {
  readonly customer_id: number;
  readonly signup_date: string;
  readonly tier: string | null;
  /** A link to `accounts` (1..3), maybe null or dangling (9). */
  readonly account_id: number | null;
}

/** The accounts, the same in every case: account 3 has no region. */
export const ACCOUNTS: readonly { readonly account_id: number; readonly region: string | null }[] = [
  { account_id: 1, region: 'emea' },
  { account_id: 2, region: 'apac' },
  { account_id: 3, region: null },
];

/** A subscription term: valid from `started_at` (inclusive) to `ended_at` (exclusive, null: running). */
export interface SubRow {
  readonly subscription_id: number;
  readonly customer_id: number;
  readonly mrr: number;
  readonly started_at: string;
  readonly ended_at: string | null;
}

export interface EventRow {
  readonly event_id: number;
  readonly customer_id: number | null;
  /** UTC instant, `YYYY-MM-DD HH:MM:SS`. */
  readonly ts: string;
  readonly kind: string | null;
  readonly amount: number | null;
  readonly score: number | null;
}

export interface Case {
  readonly timezone: 'UTC' | 'Europe/Berlin' | 'America/New_York';
  readonly customers: readonly CustomerRow[];
  readonly events: readonly EventRow[];
  readonly subs: readonly SubRow[];
  readonly check?: 'score between 0 and 10' | 'amount is not null';
  readonly measures: readonly MeasureSpec[];
  readonly kpi: KpiSpec;
  readonly from: string;
  readonly to: string;
  /** The query's `--where`, and-ed with the KPI's `where`. */
  readonly queryWhere?: Condition;
  /** The query's `--by`: some of the KPI's segments (maybe with `customer`, the customer entity's key), or `none`; absent: the KPI's own. */
  readonly by?: readonly Segment[] | 'none';
  /** When set, the query runs the derived KPI `d` over `k` and `derived.other` (`k2`). */
  readonly derived?: DerivedSpec;
  /** `--compare previous` (with a grain, no cohort): `previous_value`, `change`, `change_pct` after `value`. */
  readonly compare?: true;
  /** `--incomplete` (with a grain, no cohort): the `incomplete` column, last. */
  readonly incomplete?: true;
}

// Instants near the 2024 DST changes of Europe/Berlin (03-31, 10-27) and
// America/New_York (03-10, 11-03), a week start, and the year end.
const INSTANTS = [
  // Before a range's first period (the period before it, for retained/churned and windows).
  '2024-02-05 12:00:00',
  '2024-02-20 12:00:00',
  '2024-10-20 18:00:00',
  '2024-10-22 12:00:00',
  '2024-03-09 23:30:00',
  '2024-03-10 06:59:59',
  '2024-03-10 07:00:00',
  '2024-03-10 12:00:00',
  '2024-03-30 23:30:00',
  '2024-03-31 00:59:00',
  '2024-03-31 01:00:00',
  '2024-03-31 22:30:00',
  '2024-04-01 00:00:00',
  '2024-10-26 22:00:00',
  '2024-10-27 00:30:00',
  '2024-10-27 01:30:00',
  '2024-10-27 23:00:00',
  '2024-11-03 05:30:00',
  '2024-11-03 06:30:00',
  '2024-11-04 04:59:59',
  '2024-11-04 05:00:00',
  '2024-12-29 23:59:59',
  '2024-12-30 00:00:00',
  '2024-12-31 22:59:59',
  '2024-12-31 23:00:00',
  '2025-01-01 04:59:59',
  '2025-01-01 05:00:00',
  // After a --to inside its period (a week, a month, a year): never counted.
  '2024-03-13 12:00:00',
  '2024-11-06 12:00:00',
  '2025-01-10 12:00:00',
];
const DATES = [
  '2024-03-09',
  '2024-03-10',
  '2024-03-31',
  '2024-04-01',
  '2024-10-27',
  '2024-11-03',
  '2024-12-30',
  '2024-12-31',
  '2025-01-01',
  // After a --to inside its period: a customer who has not joined yet (cohorts, cumulative counts).
  '2024-04-10',
  '2024-11-06',
  '2025-01-20',
];
// Starts of subscription terms: period starts and ends, around the ranges.
const SUB_DATES = [
  '2024-02-15',
  '2024-03-01',
  '2024-03-10',
  '2024-03-31',
  '2024-10-01',
  '2024-10-27',
  '2024-11-04',
  '2024-12-30',
  '2025-01-01',
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const RANGES: readonly [string, string][] = [
  ['2024-03-01', '2024-04-15'],
  ['2024-03-09', '2024-03-12'],
  ['2024-03-30', '2024-04-02'],
  ['2024-10-26', '2024-10-29'],
  ['2024-11-01', '2024-11-05'],
  ['2024-12-23', '2025-01-06'],
  ['2024-01-01', '2025-02-01'],
  ['2024-03-31', '2024-04-01'],
];

const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    column: fc.constant<Column>('kind'),
    op: fc.constantFrom<Condition['op']>('=', '!='),
    value: fc.constantFrom('a', 'b'),
  }),
  fc.record({
    column: fc.constant<Column>('tier'),
    op: fc.constantFrom<Condition['op']>('=', '!='),
    value: fc.constantFrom('gold', 'silver'),
  }),
  fc.record({
    column: fc.constantFrom<Column>('amount', 'score'),
    op: fc.constantFrom<Condition['op']>('>', '<=', '='),
    value: fc.integer({ min: -1, max: 11 }),
  }),
  fc.record({
    column: fc.constantFrom<Column>('kind', 'tier', 'amount', 'customer_id', 'region'),
    op: fc.constantFrom<Condition['op']>('is null', 'is not null'),
  }),
  fc.record({
    column: fc.constant<Column>('region'),
    op: fc.constantFrom<Condition['op']>('=', '!='),
    value: fc.constantFrom('emea', 'apac'),
  }),
);

const eventMeasure = fc.record(
  {
    source: fc.constant<SourceName>('events'),
    aggregate: fc.constantFrom<Aggregate>(
      'count',
      'count_col',
      'count_distinct',
      'sum',
      'avg',
      'min',
      'max',
      'median',
      'percentile',
    ),
    argument: fc.constantFrom<'amount' | 'score' | 'customer_id' | 'kind'>('amount', 'score', 'customer_id', 'kind'),
    where: condition,
    p: fc.constantFrom(0.1, 0.25, 0.9),
    // Mostly flows; a cumulative or retention measure in about one in three.
    mode: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      fc.constant<'cumulative'>('cumulative'),
      fc.constant<'retained'>('retained'),
      fc.constant<'churned'>('churned'),
    ),
  },
  { requiredKeys: ['source', 'aggregate', 'argument', 'p', 'mode'] },
);

const customerMeasure = fc.record(
  {
    source: fc.constant<SourceName>('customers'),
    aggregate: fc.constantFrom<Aggregate>('count', 'count_distinct'),
    argument: fc.constant<'customer_id'>('customer_id'),
    where: fc.record({
      column: fc.constant<Column>('tier'),
      op: fc.constantFrom<Condition['op']>('=', 'is null', 'is not null'),
      value: fc.constantFrom('gold', 'silver'),
    }),
    mode: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constant<'cumulative'>('cumulative')),
  },
  { requiredKeys: ['source', 'aggregate', 'argument', 'mode'] },
);

const subsMeasure = fc
  .record(
    {
      source: fc.constant<SourceName>('subs'),
      aggregate: fc.constantFrom<Aggregate>('count', 'count', 'count_distinct', 'sum', 'sum', 'avg', 'max'),
      where: fc.constantFrom<Condition>(
        { column: 'mrr', op: '>', value: 0 },
        { column: 'mrr', op: '<=', value: 20 },
        { column: 'tier', op: '=', value: 'gold' },
        { column: 'region', op: 'is not null' },
      ),
      mode: fc.constantFrom<'at start' | 'at end'>('at start', 'at end'),
      state: fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant<'retained'>('retained') },
        { weight: 1, arbitrary: fc.constant<'churned'>('churned') },
      ),
    },
    { requiredKeys: ['source', 'aggregate', 'mode', 'state'] },
  )
  .map((m): Omit<MeasureSpec, 'name'> => {
    const argument = m.aggregate === 'count' ? undefined : m.aggregate === 'count_distinct' ? 'customer_id' : 'mrr';
    // State retention adds up per-customer values: sum, count or count_distinct; `churned` only at the start.
    const state = m.state === undefined || m.aggregate === 'avg' || m.aggregate === 'max' ? undefined : m.state;
    const mode = state === 'churned' ? 'at start' : m.mode;
    const { state: _, ...rest } = m;
    return { ...rest, mode, ...(argument ? { argument } : {}), ...(state ? { state } : {}) };
  });

/**
 * Aggregates that need a numeric argument get one; `retained`/`churned` are
 * `count_distinct` of a column, and only with a grain.
 */
function fixMeasure(input: Omit<MeasureSpec, 'name'>, i: number, grain: KpiSpec['grain']): MeasureSpec {
  if (input.source === 'subs') return { ...input, name: `m${i}` };
  const retention = input.mode === 'retained' || input.mode === 'churned';
  const m: Omit<MeasureSpec, 'name'> =
    retention && grain === 'none'
      ? (({ mode: _, ...rest }) => rest)(input)
      : retention
        ? {
            ...input,
            aggregate: 'count_distinct',
            argument: input.argument === 'kind' ? 'kind' : 'customer_id',
          }
        : input;
  // sum/avg need numbers, and min/max of text would make a text numerator: those take `amount`.
  const numeric = ['sum', 'avg', 'min', 'max', 'median', 'percentile'].includes(m.aggregate);
  const argument =
    m.aggregate === 'count'
      ? undefined
      : numeric && (m.argument === 'kind' || m.argument === 'customer_id')
        ? 'amount'
        : m.argument;
  const { p, mode, ...rest } = m;
  return {
    ...rest,
    name: `m${i}`,
    ...(argument === undefined ? { argument: undefined } : { argument }),
    ...(m.aggregate === 'percentile' ? { p } : {}),
    ...(mode === undefined ? {} : { mode }),
  };
}

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

/** A random case; every column that needs a type has at least one non-null value (CSV sniffing). */
export const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    timezone: fc.constantFrom<Case['timezone']>('UTC', 'Europe/Berlin', 'America/New_York'),
    customers: fc.array(
      fc.record({
        signup_date: fc.constantFrom(...DATES),
        tier: nullable(fc.constantFrom('gold', 'silver')),
        account_id: nullable(fc.constantFrom(1, 2, 3, 9)),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    subs: fc.array(
      fc.record({
        customer: fc.nat(),
        mrr: fc.constantFrom(0, 5, 10, 20, 35),
        started_at: fc.constantFrom(...SUB_DATES),
        days: nullable(fc.constantFrom(0, 1, 14, 31, 90, 400)),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    events: fc.array(
      fc.record({
        customer: nullable(fc.integer({ min: 1, max: 8 })),
        ts: fc.constantFrom(...INSTANTS),
        kind: nullable(fc.constantFrom('a', 'b')),
        amount: nullable(fc.integer({ min: -3, max: 40 })),
        score: nullable(fc.integer({ min: -1, max: 12 })),
      }),
      // At least one row: a header-only CSV has no column types to sniff.
      { minLength: 1, maxLength: 14 },
    ),
    check: fc.option(fc.constantFrom<NonNullable<Case['check']>>('score between 0 and 10', 'amount is not null'), {
      nil: undefined,
    }),
    measures: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: eventMeasure },
        { weight: 1, arbitrary: customerMeasure },
        { weight: 3, arbitrary: subsMeasure },
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    numeratorTerms: fc.array(fc.tuple(fc.nat(), fc.constantFrom<1 | -1>(1, 1, -1)), { minLength: 1, maxLength: 2 }),
    denominator: fc.option(fc.nat(), { nil: undefined }),
    scale: fc.option(fc.constantFrom(100, 2), { nil: undefined }),
    where: fc.option(condition, { nil: undefined, freq: 3 }),
    queryWhere: fc.option(condition, { nil: undefined, freq: 3 }),
    by: fc.option(fc.subarray<Segment>(['tier', 'kind', 'region']), { nil: undefined, freq: 2 }),
    byCustomer: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    segments: fc.subarray<Segment>(['tier', 'kind', 'region']),
    grain: fc.constantFrom<KpiSpec['grain']>('day', 'week', 'month', 'quarter', 'year', 'none'),
    thresholds: fc.subarray<Threshold>([
      { level: 'target', op: '>=', value: 1 },
      { level: 'warn', op: '<', value: 2 },
      { level: 'critical', op: '<', value: 0 },
      { level: 'critical', op: '<', value: 1, for: 'gold' },
      { level: 'warn', op: '>', value: 3, for: 'silver' },
    ]),
    minSample: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 2 }),
    window: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      fc.constantFrom<Window>('2 days', '7 days', '2 weeks', '1 month', '48 hours'),
    ),
    range: fc.constantFrom(...RANGES),
    compare: fc.boolean(),
    incomplete: fc.boolean(),
    periodsComplete: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
    cohort: fc.constantFrom<'signup_date' | 'first_event_at' | false>('signup_date', 'first_event_at', false),
    derived: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      fc.record({
        expr: fc.oneof(
          fc.constantFrom<DerivedExpr>('k / k2', 'k - k2', 'coalesce(k, 0) + k2', 'k * 2', 'greatest(k, k2)'),
          fc.constant<DerivedExpr>('k - previous(k)'),
          // Roll-ups twice as often: a 150-case run reaches customer_mean and customer_share.
          fc.constantFrom<DerivedExpr>(
            'customer_mean(k)',
            'customer_mean(k)',
            'customer_share(k, ok)',
            'customer_share(k, warn)',
            'customer_share(k, critical)',
            'customer_mean(k)',
            'customer_share(k, ok)',
            'customer_share(k, warn)',
            'customer_share(k, critical)',
          ),
        ),
        numeratorTerms: fc.array(fc.tuple(fc.nat(), fc.constantFrom<1 | -1>(1, -1)), { minLength: 1, maxLength: 2 }),
        denominator: fc.option(fc.nat(), { nil: undefined }),
        segments: fc.subarray<Segment>(['tier', 'kind', 'region']),
        thresholds: fc.subarray<Threshold>([
          { level: 'target', op: '>=', value: 1 },
          { level: 'warn', op: '<', value: 2 },
          { level: 'critical', op: '<', value: 1, for: 'gold' },
        ]),
      }),
    ),
  })
  .map((r): Case => {
    // A cohort grid needs members: customers who sign up inside the range (cohorts are chosen by --from/--to).
    const inRange = [r.range[0], ...DATES.filter((d) => d > r.range[0] && d < r.range[1])];
    const customers = r.customers.map((c, i) => ({
      customer_id: i + 1,
      ...c,
      ...(r.cohort && i % 4 !== 3 ? { signup_date: inRange[i % inRange.length]! } : {}),
      // The first row links an account so the link column's type is sniffed.
      account_id: i === 0 ? (c.account_id ?? 1) : c.account_id,
    }));
    const subs = r.subs.map(
      (s, i): SubRow => ({
        subscription_id: i + 1,
        customer_id: (s.customer % customers.length) + 1,
        mrr: s.mrr,
        started_at: s.started_at,
        // The first row ends, so `ended_at` is sniffed as a DATE.
        ended_at: s.days === null && i > 0 ? null : addDays(s.started_at, s.days ?? 30),
      }),
    );
    const events = r.events.map(
      (e, i): EventRow => ({
        event_id: i + 1,
        customer_id: i === 0 ? (e.customer ?? 1) : e.customer,
        ts: e.ts,
        kind: e.kind,
        // The first row carries a value in every column so each column's type is sniffed.
        amount: i === 0 ? (e.amount ?? 1) : e.amount,
        score: i === 0 ? (e.score ?? 5) : e.score,
      }),
    );
    const measures = r.measures.map((m, i) => fixMeasure(m, i, r.grain));
    const pick = (n: number) => measures[n % measures.length]!.name;
    // A window needs a grain here (without one it ends at --to: not generated), and no retention measure.
    const windowed = (names: readonly string[]) =>
      r.window !== undefined &&
      r.grain !== 'none' &&
      !measures.some((m) => names.includes(m.name) && (m.mode === 'retained' || m.mode === 'churned' || m.state));
    const names = [
      ...r.numeratorTerms.map(([n]) => pick(n)),
      ...(r.denominator === undefined ? [] : [pick(r.denominator)]),
    ];
    // A cohort grid reads flows only (no window, cumulative, snapshot or retention measure), needs a grain, and no derived KPI reads it.
    const cohort =
      r.cohort &&
      r.derived === undefined &&
      r.grain !== 'none' &&
      !measures.some((m) => names.includes(m.name) && m.mode !== undefined);
    const kpi: KpiSpec = {
      numerator: r.numeratorTerms.map(([n, sign], i) => ({ measure: pick(n), sign: i === 0 ? 1 : sign })),
      ...(r.denominator === undefined ? {} : { denominator: pick(r.denominator) }),
      ...(r.scale === undefined ? {} : { scale: r.scale }),
      ...(r.where === undefined ? {} : { where: r.where }),
      segments: r.segments,
      grain: r.grain,
      thresholds: r.thresholds,
      ...(r.minSample === undefined || r.denominator === undefined ? {} : { minSample: r.minSample }),
      ...(windowed(names) && !cohort ? { window: r.window! } : {}),
      ...(cohort ? { cohort: r.cohort as 'signup_date' | 'first_event_at' } : {}),
      ...(r.periodsComplete && r.grain !== 'none' && !cohort && !r.derived ? { periodsComplete: true as const } : {}),
    };
    let derived: DerivedSpec | undefined;
    if (r.derived && !cohort) {
      const d = r.derived;
      // `customer_share` needs a `warn` or `critical` threshold on `k`.
      const share = d.expr.startsWith('customer_share') && !r.thresholds.some((t) => t.level !== 'target');
      derived = {
        // `previous` needs a grain.
        expr: d.expr === 'k - previous(k)' && r.grain === 'none' ? 'k - k2' : share ? 'customer_mean(k)' : d.expr,
        other: {
          numerator: d.numeratorTerms.map(([n, sign], i) => ({ measure: pick(n), sign: i === 0 ? 1 : sign })),
          ...(d.denominator === undefined ? {} : { denominator: pick(d.denominator) }),
          segments: [],
          grain: r.grain,
          thresholds: [],
        },
        segments: d.segments,
        thresholds: d.thresholds,
      };
    }
    const queryWhere = r.queryWhere === undefined ? {} : { queryWhere: r.queryWhere };
    const own = derived ? derived.segments : r.segments;
    const kept = r.by?.filter((s) => own.includes(s));
    // `--by customer`: the KPI per customer, with the query's other segments.
    // Not with `previous`: kpic and the reference disagree there, still open (docs/reliability.md).
    const perCustomer =
      r.byCustomer && derived?.expr !== 'k - previous(k)' ? [...(kept ?? own), 'customer' as const] : kept;
    const by = perCustomer === undefined ? {} : { by: perCustomer.length === 0 ? ('none' as const) : perCustomer };
    return {
      timezone: r.timezone,
      customers,
      events,
      subs,
      ...(r.check ? { check: r.check } : {}),
      measures,
      kpi,
      from: r.range[0],
      to: r.range[1],
      ...queryWhere,
      ...by,
      ...(derived ? { derived } : {}),
      ...(r.compare && r.grain !== 'none' && !cohort ? { compare: true as const } : {}),
      ...(r.incomplete && r.grain !== 'none' && !cohort ? { incomplete: true as const } : {}),
    };
  })
  // A KPI must have a measure on events for `kind` to be reachable by a segment or the filter.
  // Every segment and filter of a KPI is reachable by one of its measures (else an error, or a warning).
  .filter((c) =>
    inputsOf(c).every((k) => {
      const sources = kpiMeasures(c, k).map((m) => m.source);
      const reached = (column: string) => sources.some((s) => reaches(s, column));
      return (
        [...k.segments, ...querySegments(c), ...(c.derived?.segments ?? [])].every(reached) &&
        (k.where === undefined || reached(k.where.column)) &&
        (c.queryWhere === undefined || reached(c.queryWhere.column))
      );
    }),
  );

/** Which columns a source can see: its own, `tier` through the customer link, `region` through the customer's account. */
export function reaches(source: SourceName, column: string): boolean {
  if (source === 'customers') return ['tier', 'customer_id', 'region', 'customer'].includes(column);
  if (source === 'subs') return ['tier', 'customer_id', 'region', 'mrr', 'customer'].includes(column);
  return column !== 'mrr';
}

/** The KPIs the query computes from data: `k`, and `k2` for a derived KPI. */
export function inputsOf(c: Case): KpiSpec[] {
  return c.derived ? [c.kpi, c.derived.other] : [c.kpi];
}

/** The segments of the query's result: its `--by`, else the KPI's own. */
export function querySegments(c: Case): readonly Segment[] {
  const own = c.derived ? c.derived.segments : c.kpi.segments;
  return c.by === undefined ? own : c.by === 'none' ? [] : c.by;
}

/** The measures a KPI uses, by name. */
export function kpiMeasures(c: Case, k: KpiSpec = c.kpi): MeasureSpec[] {
  const names = new Set([...k.numerator.map((t) => t.measure), ...(k.denominator ? [k.denominator] : [])]);
  return c.measures.filter((m) => names.has(m.name));
}

export function renderCondition(c: Condition): string {
  if (c.op === 'is null' || c.op === 'is not null') return `${c.column} ${c.op}`;
  return `${c.column} ${c.op} ${typeof c.value === 'string' ? `"${c.value}"` : c.value}`;
}

function renderMeasure(m: MeasureSpec): string {
  const where = m.where ? ` where ${renderCondition(m.where)}` : '';
  if (m.mode === 'at start' || m.mode === 'at end')
    return `  measure ${m.name} = ${renderAggregate(m)} ${m.mode.replace('at ', 'at period ')}${m.state ? ` ${m.state}` : ''}${where}\n`;
  return `  measure ${m.name} = ${renderAggregate(m)}${where}${m.mode ? ` ${m.mode}` : ''}\n`;
}

function renderAggregate(m: MeasureSpec): string {
  switch (m.aggregate) {
    case 'count':
      return 'count()';
    case 'count_col':
      return `count(${m.argument})`;
    case 'percentile':
      return `percentile(${m.argument}, ${m.p})`;
    default:
      return `${m.aggregate}(${m.argument})`;
  }
}

/** The `.kpi` text of a case. */
export function renderKpi(c: Case): string {
  const measures = (source: SourceName) =>
    c.measures
      .filter((m) => m.source === source)
      .map(renderMeasure)
      .join('');
  const kpis = [renderInput('k', c.kpi)];
  if (c.derived) {
    const d = c.derived;
    kpis.push(renderInput('k2', d.other));
    const lines = [
      `  value ${d.expr}`,
      d.segments.length ? `  segment by ${d.segments.join(', ')}` : '',
      c.kpi.grain === 'none' ? '' : `  grain ${c.kpi.grain}`,
      ...d.thresholds.map(renderThreshold),
    ].filter((l) => l !== '');
    kpis.push(`kpi d {\n${lines.join('\n')}\n}\n`);
  }
  return (
    `customer customers from "customers.csv" {\n  key customer_id\n  time signup_date\n  dimension tier\n${c.kpi.cohort === 'first_event_at' ? '  dimension first_event_at = min(events.ts)\n' : ''}  join accounts on account_id\n${measures('customers')}}\n\n` +
    'source accounts from "accounts.csv" {\n  key account_id\n  dimension region\n}\n\n' +
    `source subs from "subs.csv" {\n  key subscription_id\n  customer customer_id\n  valid from started_at to ended_at\n  dimension mrr\n${measures('subs')}}\n\n` +
    `source events from "events.csv" {\n  key event_id\n  customer customer_id\n  time ts\n  dimension kind, amount, score\n${c.check ? `  check ${c.check}\n` : ''}${measures('events')}}\n\n` +
    kpis.join('\n')
  );
}

const renderThreshold = (t: Threshold) => `  ${t.level} ${t.op} ${t.value}${t.for ? ` for tier = "${t.for}"` : ''}`;

function renderInput(name: string, k: KpiSpec): string {
  const numerator = k.numerator.map((t, i) => `${i === 0 ? '' : t.sign === 1 ? ' + ' : ' - '}${t.measure}`).join('');
  const lines = [
    `  numerator ${numerator}`,
    k.denominator ? `  denominator ${k.denominator}` : '',
    k.scale ? `  scale ${k.scale}` : '',
    k.where ? `  where ${renderCondition(k.where)}` : '',
    k.segments.length ? `  segment by ${k.segments.join(', ')}` : '',
    k.grain === 'none' ? '' : `  grain ${k.grain}`,
    k.minSample === undefined ? '' : `  min_sample ${k.minSample}`,
    k.window === undefined ? '' : `  window ${k.window}`,
    k.cohort ? `  cohort by ${k.cohort}` : '',
    k.periodsComplete ? '  periods complete' : '',
    ...k.thresholds.map(renderThreshold),
  ].filter((l) => l !== '');
  return `kpi ${name} {\n${lines.join('\n')}\n}\n`;
}

const field = (v: string | number | null) => (v === null ? '' : String(v));

/** The CSV files of a case. */
export function renderData(c: Case): Record<string, string> {
  return {
    'customers.csv': `customer_id,signup_date,tier,account_id\n${c.customers.map((r) => [r.customer_id, r.signup_date, r.tier, r.account_id].map(field).join(',')).join('\n')}\n`,
    'accounts.csv': `account_id,region\n${ACCOUNTS.map((r) => [r.account_id, r.region].map(field).join(',')).join('\n')}\n`,
    'subs.csv': `subscription_id,customer_id,mrr,started_at,ended_at\n${c.subs.map((r) => [r.subscription_id, r.customer_id, r.mrr, r.started_at, r.ended_at].map(field).join(',')).join('\n')}\n`,
    'events.csv': `event_id,customer_id,ts,kind,amount,score\n${c.events.map((r) => [r.event_id, r.customer_id, r.ts, r.kind, r.amount, r.score].map(field).join(',')).join('\n')}\n`,
  };
}

/** The constructs the generator covers, as counted by `constructsOf`. */
export const CONSTRUCTS = [
  'aggregate:count',
  'aggregate:count_col',
  'aggregate:count_distinct',
  'aggregate:sum',
  'aggregate:avg',
  'aggregate:min',
  'aggregate:max',
  'aggregate:median',
  'aggregate:percentile',
  'measure where',
  'denominator',
  'scale',
  'kpi where',
  'check',
  'segment by',
  'grain:none',
  'grain:day',
  'grain:week',
  'grain:month',
  'grain:quarter',
  'grain:year',
  '--from inside a period',
  '--where',
  '--by',
  'for threshold',
  'min_sample',
  'time zone with DST',
  'window',
  'cumulative',
  'retained',
  'churned',
  'derived',
  'at period start',
  'at period end',
  'state retained',
  'state churned',
  'two-link segment (region)',
  'cohort',
  'cohort of a local instant',
  'previous',
  '--compare previous',
  '--incomplete',
  '--by customer',
  'customer_mean',
  'customer_share',
  'periods complete',
] as const;

/** The constructs one case exercises (for the tally the differential test prints). */
export function constructsOf(c: Case): string[] {
  const kpis = inputsOf(c);
  const measures = kpis.flatMap((k) => kpiMeasures(c, k));
  const out = new Set<string>();
  for (const m of measures) {
    out.add(`aggregate:${m.aggregate}`);
    if (m.where) out.add('measure where');
    if (m.mode) out.add(m.mode.replace('at ', 'at period '));
    if (m.state) out.add(`state ${m.state}`);
  }
  for (const k of kpis) {
    if (k.denominator) out.add('denominator');
    if (k.scale) out.add('scale');
    if (k.where) out.add('kpi where');
    if (k.minSample !== undefined) out.add('min_sample');
    if (k.window) out.add('window');
    if (k.thresholds.some((t) => t.for)) out.add('for threshold');
  }
  if (c.derived?.thresholds.some((t) => t.for)) out.add('for threshold');
  if (c.check) out.add('check');
  if (querySegments(c).length > 0) out.add('segment by');
  if (querySegments(c).includes('region')) out.add('two-link segment (region)');
  out.add(`grain:${c.kpi.grain}`);
  const grain = c.kpi.grain;
  if (grain !== 'none' && (periodStart(c.from, grain) !== c.from || periodStart(c.to, grain) !== c.to))
    out.add('--from inside a period');
  if (c.queryWhere) out.add('--where');
  if (c.by) out.add('--by');
  if (c.timezone !== 'UTC') out.add('time zone with DST');
  if (c.derived) out.add('derived');
  if (c.derived?.expr === 'k - previous(k)') out.add('previous');
  if (c.compare) out.add('--compare previous');
  if (c.incomplete) out.add('--incomplete');
  if (querySegments(c).includes('customer')) out.add('--by customer');
  if (c.derived?.expr.startsWith('customer_')) out.add(c.derived.expr.replace(/\(.*/, ''));
  if (c.kpi.periodsComplete) out.add('periods complete');
  if (c.kpi.cohort) out.add(c.kpi.cohort === 'signup_date' ? 'cohort' : 'cohort of a local instant');
  return [...out];
}

/** The first day of the period holding a date (weeks start on Monday). */
function periodStart(date: string, grain: 'day' | 'week' | 'month' | 'quarter' | 'year'): string {
  if (grain === 'day') return date;
  if (grain === 'month') return `${date.slice(0, 7)}-01`;
  if (grain === 'quarter')
    return `${date.slice(0, 4)}-${String(Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  if (grain === 'year') return `${date.slice(0, 4)}-01-01`;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
