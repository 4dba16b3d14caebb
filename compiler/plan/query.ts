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
}

/** The role of a result column; the names are fixed by cli.md. */
export type ResultColumnRole = 'period' | 'segment' | 'numerator' | 'denominator' | 'value' | 'status' | 'target_met';

export interface ResultColumn {
  readonly name: string;
  readonly role: ResultColumnRole;
}

export interface CompiledQuery {
  /** One SQL statement, every identifier and literal quoted by the compiler; deterministic. */
  readonly sql: string;
  /** In the order of the SQL's select list: `period`? segments... numerator denominator value status target_met. */
  readonly columns: readonly ResultColumn[];
  /**
   * One SQL statement counting, per check of the sources this query reads,
   * the rows excluded over the query's range: columns `source`, `check`,
   * `excluded`. Absent when no source of the query has a check.
   */
  readonly checkReportSql?: string;
  /** Facts for `explain`: measures whose source cannot reach a segment dimension (their value repeats). */
  readonly broadcasts: readonly { readonly measure: string; readonly dimensions: readonly string[] }[];
}

export interface CompileOptions {
  /**
   * The absolute data root (forward slashes). File sources are emitted as
   * paths under it, so the SQL runs as printed and the engine's sandbox can
   * allow exactly this folder. Tests pass a fixed root for stable SQL.
   */
  readonly dataRoot: string;
}
