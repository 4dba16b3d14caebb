// A KPI query and what compiling it produces.

import type { Expr } from '../syntax/ast.ts';
import type { DimensionName, Grain } from '../semantic/model.ts';

export type Dialect = 'duckdb' | 'postgres';

export interface Query {
  /** The KPI's name (any case). */
  readonly kpi: string;
  /** `undefined`: the KPI's own `segment by`; `'none'`: the total, no segments (`--by none`). */
  readonly by?: readonly DimensionName[] | 'none';
  /** `undefined`: the KPI's grain (none if it has none); `'none'`: one period over the whole range. */
  readonly grain?: Grain | 'none';
  /** Inclusive lower bound, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, on each measure's own time column. */
  readonly from?: string;
  /** Exclusive upper bound, same forms. */
  readonly to?: string;
  /** `--where`: a predicate parsed with `parseExpression`, bound like a KPI's `where`. */
  readonly where?: Expr;
  /** The file name the `where` expression's spans refer to in diagnostics (default `<query>`). */
  readonly whereFile?: string;
  readonly dialect?: Dialect;
  /**
   * `--compare previous`: add `previous_value` (the value of the period
   * before), `change` (value - previous_value) and `change_pct` (change /
   * |previous_value|, a fraction: -0.3 is a 30% fall) after `value`.
   * Needs a grain.
   */
  readonly compare?: 'previous';
  /** `--status critical,warn`: only the rows whose status is one of these. */
  readonly status?: readonly ResultStatus[];
  /**
   * Add the `incomplete` column (with a grain): true for a period that ends
   * after the data does (after `--to`, or after the last day with data).
   */
  readonly markIncomplete?: boolean;
  /**
   * `--incomplete` as the user gave it: `--status` and `--last` keep periods
   * the data or the range covers only in part. Without it they are left out,
   * so a partial week never raises a false alarm.
   */
  readonly keepIncomplete?: boolean;
  /** `--latest` (1) / `--last N`: only the N latest complete periods (with `keepIncomplete`, the N latest periods). Needs a grain. */
  readonly last?: number;
  /**
   * `--components` (derived KPIs): after `target_met`, the inputs per row.
   * For a `weighted_mean` value, each term's score (`<kpi>_score`) and its
   * weighted contribution to the value (`<kpi>_contribution`, the
   * contributions add up to the value); otherwise each input KPI's value.
   */
  readonly components?: boolean;
}

/** The statuses a result row can have; `--status` filters on them. */
export type ResultStatus = 'ok' | 'warn' | 'critical' | 'insufficient';
export const RESULT_STATUSES: readonly ResultStatus[] = ['ok', 'warn', 'critical', 'insufficient'];

/** The role of a result column; the names are fixed by cli.md. */
export type ResultColumnRole =
  | 'period'
  | 'segment'
  | 'numerator'
  | 'denominator'
  | 'value'
  | 'previous_value'
  | 'change'
  | 'change_pct'
  | 'status'
  | 'target_met'
  | 'incomplete'
  /** `--components`: an input of a derived KPI (its score, its contribution or its value). */
  | 'component';

export interface ResultColumn {
  readonly name: string;
  readonly role: ResultColumnRole;
}

export interface CompiledQuery {
  /** One SQL statement, every identifier and literal quoted by the compiler; deterministic. */
  readonly sql: string;
  /**
   * In the order of the SQL's select list: `period`? segments... numerator
   * denominator value [previous_value change change_pct] status target_met
   * [components...] [incomplete].
   */
  readonly columns: readonly ResultColumn[];
  /**
   * One SQL statement counting, per check of the sources this query reads,
   * the rows excluded over the query's range: columns `source`, `check`,
   * `excluded`. Absent when no source of the query has a check.
   */
  readonly checkReportSql?: string;
  /** Facts for `explain`: measures whose source cannot reach a segment dimension (their value repeats). */
  readonly broadcasts: readonly { readonly measure: string; readonly dimensions: readonly string[] }[];
  /** For a derived KPI: the KPIs it is computed from, and how (for `explain`). */
  readonly components?: readonly DerivedComponent[];
}

/** One input of a derived KPI or health score, as `explain` shows it. */
export interface DerivedComponent {
  /** The KPI's name as declared. */
  readonly kpi: string;
  /** Periods back: `previous(kpi, 4)` is 4; 0 for the current period. */
  readonly lag: number;
  /** `score(kpi, 0, 20)`: fixed bounds (the value at `low` scores 0, at `high` 100); `score(kpi)`: min-max over the segments of each period. */
  readonly normalise?:
    | { readonly kind: 'fixed'; readonly low: string; readonly high: string }
    | { readonly kind: 'min-max' };
  /** Its weight in `weighted_mean(...)`, as written, and its share of the weights (0..1). */
  readonly weight?: string;
  readonly share?: number;
  /** `customer_mean(kpi)` / `customer_share(kpi, status)`: computed per customer, then rolled up over each segment's customers. */
  readonly rollup?: { readonly kind: 'mean' } | { readonly kind: 'share'; readonly status: 'ok' | 'warn' | 'critical' };
}

export interface CompileOptions {
  /**
   * The absolute data root (forward slashes). File sources are emitted as
   * paths under it, so the SQL runs as printed and the engine's sandbox can
   * allow exactly this folder. Tests pass a fixed root for stable SQL.
   */
  readonly dataRoot: string;
}
