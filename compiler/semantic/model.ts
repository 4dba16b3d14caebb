// The resolved model: the project after names are resolved and types checked.
//
// This is the plain data the planner, the linter, `explain`, `list` and the
// docs read. Maps are keyed by the lower-cased name (names in kpic compare
// without regard to case); every entry keeps the name as declared for
// messages. Expressions are resolved: every reference says which source and
// column (or dimension) it means and the many-to-one path that reaches it.

import type { DurationUnit, Expr, KpiFile, Span } from '../syntax/ast.ts';
import type { PhysicalRelation, ScalarType } from './catalog.ts';

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year'];

export type AggFunc = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'median' | 'percentile';
export const AGG_FUNCS: readonly AggFunc[] = [
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'percentile',
];

/** Where a declaration is written. */
export interface Origin {
  readonly file: string;
  /** The whole declaration or item. */
  readonly span: Span;
  /** The name as written. */
  readonly nameSpan: Span;
}

export interface Model {
  /** Every source, the customer entity included, keyed by lower-cased name. */
  readonly sources: ReadonlyMap<string, Source>;
  /** Key of the customer entity in `sources`; absent when the project declares none (an error). */
  readonly customer?: string;
  /** Every measure of every source, keyed by lower-cased name (unique across the project). */
  readonly measures: ReadonlyMap<string, Measure>;
  readonly kpis: ReadonlyMap<string, Kpi>;
  /** The parsed files the model was built from, in path order (lint and fmt read them). */
  readonly files: readonly KpiFile[];
  /** The project's time zone (IANA name), default `UTC`. */
  readonly timezone: string;
}

// ---------------------------------------------------------------- sources

export interface Source extends Origin {
  readonly kind: 'source';
  readonly name: string;
  readonly isCustomer: boolean;
  readonly relation: PhysicalRelation | DerivedRelation;
  /**
   * The columns of the relation, keyed by lower-cased name. For a derived
   * relation: its key column only. Empty with `schemaKnown` false when the
   * catalog had no entry (no data, no snapshot).
   */
  readonly columns: ReadonlyMap<string, Column>;
  readonly schemaKnown: boolean;
  /** The key column as the data spells it. */
  readonly key?: string;
  /** Many-to-one links from this source: its `customer` link and its `join`s. */
  readonly links: readonly Link[];
  /** The default time column of its measures. */
  readonly time?: string;
  readonly valid?: { readonly from: string; readonly to: string };
  readonly dimensions: ReadonlyMap<string, Dimension>;
  /** Keys (lower-cased names) of its measures, in declaration order. */
  readonly measures: readonly string[];
  readonly checks: readonly Check[];
  readonly description?: string;
}

/** `customer customers from orders { key customer_id }`: one row per distinct non-null `column` of `source`. */
export interface DerivedRelation {
  readonly kind: 'derived';
  /** Key of the parent source. */
  readonly source: string;
  /** The parent's column, as the data spells it. */
  readonly column: string;
}

export interface Column {
  readonly name: string;
  readonly type: ScalarType;
  readonly sqlType: string;
}

/** A many-to-one link: each row of `from` has at most one row of `to` with `toColumn = fromColumn`. */
export interface Link {
  readonly kind: 'customer' | 'join';
  readonly from: string;
  readonly fromColumn: string;
  readonly to: string;
  readonly toColumn: string;
  readonly file: string;
  readonly span: Span;
}

/** The links to follow from an expression's root source to the source a reference lives on; empty when it is the root. */
export type JoinPath = readonly Link[];

export type Dimension = ColumnDimension | ComputedDimension | AggregatedDimension;

interface DimensionBase extends Origin {
  readonly name: string;
  readonly source: string;
  readonly type: ScalarType;
  /** A dimension of the company (team, rep), not of the customer. */
  readonly internal: boolean;
}

/** `dimension tier`: a column of the source. */
export interface ColumnDimension extends DimensionBase {
  readonly kind: 'column';
  readonly column: string;
}

/** `dimension band = case when tenure < 12 then "new" else "tenured" end`: row-level, rooted at its source. */
export interface ComputedDimension extends DimensionBase {
  readonly kind: 'computed';
  readonly expr: RExpr;
}

/**
 * `dimension first_order_at = min(orders.ordered_at) [where PRED]` on a source
 * that `orders` reaches by many-to-one links: one value per key of this
 * source. `arg` and `where` are rooted at `from`, so they may use its
 * columns, those of every source on `path`, and the key row's own.
 */
export interface AggregatedDimension extends DimensionBase {
  readonly kind: 'aggregated';
  readonly aggregate: AggFunc;
  readonly arg?: RExpr;
  /** For `percentile(x, p)`: p as exact decimal text in 0..1. */
  readonly percentile?: string;
  readonly where?: RExpr;
  /** Key of the linked source whose rows are aggregated. */
  readonly from: string;
  /** The last link of `path`: the one that points to this source. */
  readonly link: Link;
  /** The many-to-one links from `from` to this source (one or more: `usage -> subscriptions -> accounts`). */
  readonly path: JoinPath;
}

/** `check PRED [as NAME]`: rows where PRED is not true are excluded and counted. */
export interface Check {
  readonly name: string;
  readonly predicate: RExpr;
  readonly file: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- measures

export interface Measure extends Origin {
  readonly kind: 'measure';
  readonly name: string;
  /** Key of its source. */
  readonly source: string;
  readonly aggregate: AggFunc;
  /** Absent for `count()`. Rooted at `source`. */
  readonly arg?: RExpr;
  readonly percentile?: string;
  readonly where?: RExpr;
  /** The time column (of `source`) used for periods and ranges; absent when the source has none: a timeless measure. */
  readonly time?: string;
  readonly cumulative: boolean;
  /** Snapshot measures of sources with `valid from ... to ...`. */
  readonly at?: 'start' | 'end';
  readonly side: 'customer' | 'company';
  /** `side` was written, not defaulted. */
  readonly sideExplicit: boolean;
  /**
   * `retained` / `churned` (`count_distinct` with a time): per period, of the
   * values counted in the period before, those counted / not counted in it.
   */
  readonly retention?: 'retained' | 'churned';
  /** The type of the aggregated value: `integer` for counts. */
  readonly type: ScalarType;
}

/** An arithmetic expression of measures and numbers: a KPI's numerator or denominator. */
export type MExpr =
  | { readonly kind: 'measure'; readonly measure: string; readonly span: Span }
  /** Exact decimal text with percentages applied: `2%` becomes `"0.02"`. */
  | { readonly kind: 'number'; readonly text: string; readonly span: Span }
  | { readonly kind: 'negate'; readonly operand: MExpr; readonly span: Span }
  | {
      readonly kind: 'arith';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: MExpr;
      readonly right: MExpr;
      readonly span: Span;
    };

// ---------------------------------------------------------------- KPIs

/** `segment by tier` or `segment by customers.tier`, resolved per measure source by the planner. */
export interface DimensionName {
  readonly qualifier?: string;
  readonly name: string;
  readonly span: Span;
}

export interface Threshold {
  readonly level: 'target' | 'warn' | 'critical';
  readonly op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  /** Exact decimal text, sign and percentage applied: `2%` is `"0.02"`, `-5` is `"-5"`. */
  readonly value: string;
  /** The segment predicate of `for PRED`, over the query's segment dimensions. */
  readonly for?: Expr;
  /** `from 2025-01-01`: in force for the periods starting on or after this date (`YYYY-MM-DD`). */
  readonly from?: string;
  /**
   * `target >= nps_targets.target`: the value of each period (and segment)
   * comes from a target table; `value` is then the text `nps_targets.target`.
   */
  readonly table?: TargetTable;
  readonly file: string;
  readonly span: Span;
}

/** A source read as a table of targets: one row per period (and segment values), docs/language.md. */
export interface TargetTable {
  /** The table's source key. */
  readonly source: string;
  /** The column holding the value, as the data spells it. */
  readonly column: string;
  /** The table's `time` column: a row is the target of the period (of the query's grain) holding this time. */
  readonly time: string;
  /** Its column dimensions: a row applies to the segments with these values; a null applies to every value. */
  readonly dimensions: readonly { readonly name: string; readonly column: string }[];
}

export interface Kpi extends Origin {
  readonly kind: 'kpi';
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly owner?: string;
  readonly customerValue?: string;
  readonly perspective: 'customer' | 'company';
  readonly perspectiveExplicit: boolean;
  readonly indicator?: 'leading' | 'lagging';
  /** Absent only for a derived KPI (`value`). */
  readonly numerator?: MExpr;
  readonly denominator?: MExpr;
  /** A derived KPI's expression over other KPIs, as written. */
  readonly value?: Expr;
  /** The `value`, resolved: every KPI it names exists, no cycle. Present whenever `value` is. */
  readonly derived?: DerivedExpr;
  /** Exact decimal text. */
  readonly scale?: string;
  /** A filter on dimensions, as written; bound to each measure's source by the planner. */
  readonly where?: Expr;
  readonly segments: readonly DimensionName[];
  readonly grain?: Grain;
  readonly minSample?: number;
  readonly window?: { readonly amount: number; readonly unit: DurationUnit };
  /** `periods complete`: periods the data does not cover to their end are left out of results (default `all`). */
  readonly periods?: 'complete' | 'all';
  /** `cohort by DIM`: a dimension of the customer entity; its period (of the grain) is each customer's cohort. */
  readonly cohort?: DimensionName;
  readonly direction?: 'higher' | 'lower';
  readonly thresholds: readonly Threshold[];
  /** Default `active`. */
  readonly status: 'draft' | 'active' | 'deprecated';
  readonly replacedBy?: string;
  readonly version?: number;
  readonly tags: readonly string[];
  /** Keys of the measures of numerator and denominator, sorted, without repeats. */
  readonly measures: readonly string[];
  /**
   * For each measure that reaches the customer entity, the path from its
   * source to it (empty when the measure is on the customer entity). Empty
   * list: the KPI has no customer reference.
   */
  readonly customerPaths: readonly { readonly measure: string; readonly path: JoinPath }[];
  /** `alert NAME { ... }` items, in declaration order (docs/alerts.md). */
  readonly alerts?: readonly Alert[];
  /** `format ...`: how people read the value. */
  readonly format?: ValueFormat;
}

// ---------------------------------------------------------------- derived KPIs

/** The numeric functions a derived `value` may call, as in the language. */
export const DERIVED_NUMERIC_FUNCTIONS = [
  'coalesce',
  'nullif',
  'abs',
  'round',
  'floor',
  'ceil',
  'least',
  'greatest',
] as const;
export type DerivedNumericFunction = (typeof DERIVED_NUMERIC_FUNCTIONS)[number];

/** A derived KPI's `value` over other KPIs (keys), resolved. */
export type DerivedExpr =
  /** The KPI's value `lag` periods earlier (`previous(kpi, lag)`; 0 for the current period). */
  | { readonly kind: 'ref'; readonly kpi: string; readonly lag: number; readonly span: Span }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'negate'; readonly operand: DerivedExpr }
  | {
      readonly kind: 'arith';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: DerivedExpr;
      readonly right: DerivedExpr;
    }
  | { readonly kind: 'call'; readonly func: DerivedNumericFunction; readonly args: readonly DerivedExpr[] }
  /** Fixed bounds when `low`/`high` are given, else min-max over the segments of each period. */
  | { readonly kind: 'score'; readonly operand: DerivedExpr; readonly low?: string; readonly high?: string }
  | { readonly kind: 'weighted'; readonly terms: readonly { readonly expr: DerivedExpr; readonly weight: string }[] }
  /**
   * A KPI computed per customer, then rolled up over each segment's customers:
   * `customer_mean(kpi)` the mean of their values, `customer_share(kpi, critical)`
   * the share of them whose status is `status` (docs/time-analytics.md).
   */
  | {
      readonly kind: 'rollup';
      readonly rollup: 'mean' | 'share';
      readonly status?: RollupStatus;
      readonly operand: Extract<DerivedExpr, { kind: 'ref' }>;
      readonly span: Span;
    };

/** The statuses `customer_share` counts: the bands of a score (healthy, watch, at risk). */
export const ROLLUP_STATUSES = ['ok', 'warn', 'critical'] as const;
export type RollupStatus = (typeof ROLLUP_STATUSES)[number];

// ---------------------------------------------------------------- resolved expressions

/**
 * A resolved expression. Every node has its type. References are rooted at
 * the source the expression belongs to: `path` leads from that root along
 * many-to-one links to the reference's own source.
 */
export type RExpr =
  | {
      readonly kind: 'column';
      readonly source: string;
      readonly column: string;
      readonly path: JoinPath;
      readonly type: ScalarType;
      readonly span: Span;
    }
  /** A computed or aggregated dimension: the planner inlines or joins its definition. */
  | {
      readonly kind: 'dimension';
      readonly source: string;
      readonly name: string;
      readonly path: JoinPath;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly type: ScalarType; readonly span: Span }
  | {
      readonly kind: 'unary';
      readonly op: '-' | 'not';
      readonly operand: RExpr;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'like';
      readonly left: RExpr;
      readonly right: RExpr;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: 'in';
      readonly operand: RExpr;
      readonly values: readonly RExpr[];
      readonly negated: boolean;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: 'between';
      readonly operand: RExpr;
      readonly low: RExpr;
      readonly high: RExpr;
      readonly negated: boolean;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: 'is-null';
      readonly operand: RExpr;
      readonly negated: boolean;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: 'case';
      readonly whens: readonly { readonly when: RExpr; readonly then: RExpr }[];
      readonly else?: RExpr;
      readonly type: ScalarType;
      readonly span: Span;
    }
  /** A scalar function of the language, by its kpic name (`coalesce`, `date_trunc`, `try_number`, `if`, ...). */
  | {
      readonly kind: 'call';
      readonly func: string;
      readonly args: readonly RExpr[];
      readonly type: ScalarType;
      readonly span: Span;
    };

export type LiteralValue =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'duration'; readonly amount: string; readonly unit: DurationUnit };

/** The scalar functions of the language (language.md, Expressions). */
export const SCALAR_FUNCTIONS: readonly string[] = [
  'coalesce',
  'nullif',
  'abs',
  'round',
  'floor',
  'ceil',
  'least',
  'greatest',
  'lower',
  'upper',
  'trim',
  'length',
  'contains',
  'starts_with',
  'date_trunc',
  'date_diff',
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'hour',
  'number',
  'text',
  'date',
  'timestamp',
  'try_number',
  'try_date',
  'try_timestamp',
  'if',
];

// ---------------------------------------------------------------- alerts and display

/** How people read a KPI's value (table, markdown): `format percent decimals 1`. */
export interface ValueFormat {
  readonly style: 'percent' | 'number' | 'currency';
  /** The currency of `currency "EUR"`, as written. */
  readonly currency?: string;
  /** Digits after the decimal point; absent: the style's default. */
  readonly decimals?: number;
}

/** What an alert watches for, per row of its breakdown (docs/alerts.md). */
export type AlertCondition =
  /** `when status critical`: the row's status is this level (`warn`: warn or critical). */
  | { readonly kind: 'status'; readonly level: 'warn' | 'critical' }
  /** `when value < 20`: the value itself. */
  | { readonly kind: 'value'; readonly op: Threshold['op']; readonly value: string }
  /**
   * `when change < -30% against average 4`: (value - baseline) / |baseline|,
   * a fraction; the baseline is the previous period's value (`periods` 1,
   * `against previous`) or the mean of the `periods` before (`against average N`).
   */
  | {
      readonly kind: 'change';
      readonly op: Threshold['op'];
      readonly value: string;
      readonly baseline: 'previous' | 'average';
      readonly periods: number;
    };

export interface Alert {
  readonly name: string;
  /** The breakdown watched: dimensions (`customer` is the customer entity's key); undefined: the KPI's own segments. */
  readonly by?: readonly DimensionName[];
  /** Which rows are watched, a predicate over dimensions (bound like `--where`). */
  readonly where?: Expr;
  readonly condition: AlertCondition;
  /** The condition must hold this many periods in a row (default 1). */
  readonly forPeriods: number;
  /** The level of a breach, for `--fail-on`: a status condition's own level, else `level` (default critical). */
  readonly level: 'warn' | 'critical';
  /** RACI: who is told. `responsible` defaults to the KPI's owner. */
  readonly responsible: readonly string[];
  readonly accountable: readonly string[];
  readonly consulted: readonly string[];
  readonly informed: readonly string[];
  /** After this many periods in breach the accountable role is told too. */
  readonly escalateAfter?: number;
  /** `min_baseline 5`: a change is decided only against a baseline at least this (exact decimal text). */
  readonly minBaseline?: string;
  readonly file: string;
  readonly span: Span;
}
