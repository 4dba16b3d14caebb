// The abstract syntax tree of a `.kpi` file.
//
// Plain, readonly data: every node is a discriminated union member keyed on
// `kind` and carries the span of the text it came from. The parser produces
// it; nothing after the parser mutates it. Names keep their spelling as
// written (case included): comparison without regard to case is the
// resolver's business.

/** A place in a file. `line` and `column` are 1-based; `column` counts UTF-16 code units. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** From `start` (inclusive) to `end` (exclusive). */
export interface Span {
  readonly start: Position;
  readonly end: Position;
}

/** An identifier or a backticked name (`` `Total Charges` `` has `text` "Total Charges", `quoted` true). */
export interface Name {
  readonly kind: 'name';
  readonly text: string;
  readonly quoted: boolean;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: 'string';
  /** The value after escapes are applied. */
  readonly value: string;
  readonly span: Span;
}

export interface Comment {
  /** The comment text after `#`, without the line break. */
  readonly text: string;
  readonly span: Span;
}

export interface KpiFile {
  readonly kind: 'file';
  /** Project-relative path with forward slashes, as diagnostics print it. */
  readonly path: string;
  readonly declarations: readonly Declaration[];
  /** Every comment of the file, in order. The formatter places them back. */
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export type Declaration = SourceDecl | KpiDecl;

// ---------------------------------------------------------------- sources

/** `source NAME from REF { ... }` or `customer NAME from REF { ... }`. */
export interface SourceDecl {
  readonly kind: 'source';
  readonly isCustomer: boolean;
  readonly name: Name;
  readonly from: SourceRef;
  readonly items: readonly SourceItem[];
  readonly span: Span;
}

export type SourceRef =
  /** `"data/customers.csv"`: a file under the data root. */
  | { readonly kind: 'file-ref'; readonly path: string; readonly span: Span }
  /** `table NAME` or `table SCHEMA.NAME`. */
  | { readonly kind: 'table-ref'; readonly schema?: Name; readonly table: Name; readonly span: Span }
  /** `orders`: one row per distinct non-null key of another source. */
  | { readonly kind: 'source-ref'; readonly source: Name; readonly span: Span };

export type SourceItem =
  | KeyItem
  | CustomerLinkItem
  | JoinItem
  | TimeItem
  | ValidItem
  | DimensionsItem
  | ComputedDimensionItem
  | MeasureItem
  | CheckItem
  | DescriptionItem;

/** `key COL` */
export interface KeyItem {
  readonly kind: 'key';
  readonly column: Name;
  readonly span: Span;
}

/** `customer COL`: many-to-one link to the customer entity's key. */
export interface CustomerLinkItem {
  readonly kind: 'customer-link';
  readonly column: Name;
  readonly span: Span;
}

/** `join SOURCE on COL` or `join SOURCE on COL = COL2`. */
export interface JoinItem {
  readonly kind: 'join';
  readonly target: Name;
  readonly column: Name;
  /** The target's column when it is written (`on COL = COL2`); otherwise the target's key. */
  readonly targetColumn?: Name;
  readonly span: Span;
}

/** `time COL` */
export interface TimeItem {
  readonly kind: 'time';
  readonly column: Name;
  readonly span: Span;
}

/** `valid from COL to COL` */
export interface ValidItem {
  readonly kind: 'valid';
  readonly from: Name;
  readonly to: Name;
  readonly span: Span;
}

/** `dimension a, b [internal]`: columns usable for segments and filters. */
export interface DimensionsItem {
  readonly kind: 'dimensions';
  readonly names: readonly Name[];
  readonly internal: boolean;
  readonly span: Span;
}

/**
 * `dimension NAME = EXPR [where PRED] [internal]`.
 * When `expr` is a call of an aggregate (`min(orders.ordered_at)`), the
 * dimension is aggregated from a linked source, one value per key; the
 * resolver decides that, the parser only records the expression.
 */
export interface ComputedDimensionItem {
  readonly kind: 'computed-dimension';
  readonly name: Name;
  readonly expr: Expr;
  readonly where?: Expr;
  readonly internal: boolean;
  readonly span: Span;
}

/**
 * `measure NAME = AGG [where PRED] [time COL] [cumulative] [at period start|end] [side customer|company] [retained|churned]`.
 * `aggregate` is the call as written (`count()`, `sum(amount)`, `percentile(x, 0.9)`); the
 * resolver checks that it is an aggregate.
 */
export interface MeasureItem {
  readonly kind: 'measure';
  readonly name: Name;
  readonly aggregate: Expr;
  readonly where?: Expr;
  readonly time?: Name;
  readonly cumulative: boolean;
  readonly at?: { readonly value: 'start' | 'end'; readonly span: Span };
  readonly side?: { readonly value: 'customer' | 'company'; readonly span: Span };
  /** `retained` / `churned`: of the values active in the period before, those active / not active in this one. */
  readonly retention?: { readonly value: 'retained' | 'churned'; readonly span: Span };
  readonly span: Span;
}

/** `check PRED [as NAME]` */
export interface CheckItem {
  readonly kind: 'check';
  readonly predicate: Expr;
  readonly name?: Name;
  readonly span: Span;
}

/** `description "..."` (in a source). */
export interface DescriptionItem {
  readonly kind: 'description';
  readonly text: StringLit;
  readonly span: Span;
}

// ---------------------------------------------------------------- KPIs

/** `kpi NAME { ... }` */
export interface KpiDecl {
  readonly kind: 'kpi';
  readonly name: Name;
  readonly items: readonly KpiItem[];
  readonly span: Span;
}

export type KpiItem =
  | KpiTextItem
  | KpiWordItem
  | KpiExprItem
  | KpiNumberItem
  | KpiSegmentItem
  | KpiWindowItem
  | KpiThresholdItem
  | KpiReplacedByItem
  | KpiTagsItem
  | KpiCohortItem
  | KpiAlertItem
  | KpiFormatItem;

/** `title "..."`, `description "..."`, `owner "..."`, `customer_value "..."` */
export interface KpiTextItem {
  readonly kind: 'kpi-text';
  readonly field: 'title' | 'description' | 'owner' | 'customer_value';
  readonly value: StringLit;
  readonly span: Span;
}

/**
 * A keyword-valued item. The parser accepts any identifier as the value and
 * records it as written; the resolver checks it against the allowed words:
 * perspective customer|company, indicator leading|lagging,
 * grain day|week|month|quarter|year, direction higher|lower,
 * status draft|active|deprecated, periods complete|all.
 */
export interface KpiWordItem {
  readonly kind: 'kpi-word';
  readonly field: 'perspective' | 'indicator' | 'grain' | 'direction' | 'status' | 'periods';
  readonly value: Name;
  readonly span: Span;
}

/** `numerator MEXPR`, `denominator MEXPR`, `value EXPR`, `where PRED` */
export interface KpiExprItem {
  readonly kind: 'kpi-expr';
  readonly field: 'numerator' | 'denominator' | 'value' | 'where';
  readonly expr: Expr;
  readonly span: Span;
}

/** `scale N`, `min_sample N`, `version N` */
export interface KpiNumberItem {
  readonly kind: 'kpi-number';
  readonly field: 'scale' | 'min_sample' | 'version';
  readonly value: NumberLit;
  readonly span: Span;
}

/** `segment by DIM[, DIM...]`; each dimension is `name` or `source.name`. */
export interface KpiSegmentItem {
  readonly kind: 'kpi-segment';
  readonly dimensions: readonly ColumnRef[];
  readonly span: Span;
}

/** `window DURATION` */
export interface KpiWindowItem {
  readonly kind: 'kpi-window';
  readonly duration: DurationLit;
  readonly span: Span;
}

/** `target CMP N [for PRED]`, `warn CMP N [for PRED]`, `critical CMP N [for PRED]` */
export interface KpiThresholdItem {
  readonly kind: 'kpi-threshold';
  readonly level: 'target' | 'warn' | 'critical';
  readonly op: ComparisonOp;
  /**
   * A number literal, possibly negative (`unary -` over a number) or a
   * percentage; or a `ref` `TABLE.COLUMN`: the value per period from a
   * target table (docs/language.md).
   */
  readonly value: Expr;
  /** `from 2025-01-01`: the threshold is in force for periods starting on or after this date. */
  readonly from?: { readonly date: string; readonly span: Span };
  readonly for?: Expr;
  readonly span: Span;
}

/** `replaced_by KPI` */
export interface KpiReplacedByItem {
  readonly kind: 'kpi-replaced-by';
  readonly kpi: Name;
  readonly span: Span;
}

/** `cohort by DIM`: the customer dimension (a date or timestamp) whose period is each customer's cohort. */
export interface KpiCohortItem {
  readonly kind: 'kpi-cohort';
  readonly dimension: ColumnRef;
  readonly span: Span;
}

/** `tags "a", "b"` */
export interface KpiTagsItem {
  readonly kind: 'kpi-tags';
  readonly tags: readonly StringLit[];
  readonly span: Span;
}

/** `format percent|number|currency ["EUR"] [decimals N]`: how people read the value (table, markdown). */
export interface KpiFormatItem {
  readonly kind: 'kpi-format';
  /** `percent`, `number` or `currency`, as written; the resolver checks it. */
  readonly style: Name;
  /** The currency code or symbol of `currency "EUR"`. */
  readonly unit?: StringLit;
  /** `decimals N`: the word as written (checked by the resolver) and N. */
  readonly decimals?: { readonly word: Name; readonly value: NumberLit };
  readonly span: Span;
}

/** `alert NAME { ... }`: when the KPI's value should tell someone (docs/alerts.md). */
export interface KpiAlertItem {
  readonly kind: 'kpi-alert';
  readonly name: Name;
  readonly items: readonly AlertItem[];
  readonly span: Span;
}

export type AlertItem = AlertByItem | AlertWhereItem | AlertWhenItem | AlertCountItem | AlertLevelItem | AlertRoleItem;

/** `by customer`, `by region, tier`: the breakdown watched. */
export interface AlertByItem {
  readonly kind: 'alert-by';
  readonly dimensions: readonly ColumnRef[];
  readonly span: Span;
}

/** `where PRED`: which customers or segments are watched. */
export interface AlertWhereItem {
  readonly kind: 'alert-where';
  readonly expr: Expr;
  readonly span: Span;
}

/**
 * `when status critical` (`status` set), `when value < 20`,
 * `when change < -30% [against previous | against average N]` (`op` and `value` set).
 * Words are kept as written; the resolver checks them.
 */
export interface AlertWhenItem {
  readonly kind: 'alert-when';
  readonly subject: Name;
  readonly status?: Name;
  readonly op?: ComparisonOp;
  /** A number literal, possibly negative (`unary -`) or a percentage. */
  readonly value?: Expr;
  readonly against?: { readonly word: Name; readonly baseline: Name; readonly periods?: NumberLit };
  readonly span: Span;
}

/** `for N periods` (in a row), `escalate after N periods` or `min_baseline N`. */
export interface AlertCountItem {
  readonly kind: 'alert-count';
  readonly field: 'for' | 'escalate' | 'min_baseline';
  /** `after` of `escalate after`, as written. */
  readonly after?: Name;
  readonly count: NumberLit;
  readonly unit?: Name;
  readonly span: Span;
}

/** `level warn|critical` */
export interface AlertLevelItem {
  readonly kind: 'alert-level';
  readonly value: Name;
  readonly span: Span;
}

/** `responsible "a", "b"` and the other RACI roles. */
export interface AlertRoleItem {
  readonly kind: 'alert-role';
  readonly role: 'responsible' | 'accountable' | 'consulted' | 'informed';
  readonly people: readonly StringLit[];
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/';
export type BinaryOp = ComparisonOp | ArithmeticOp | 'and' | 'or' | 'like';
export type DurationUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export type Expr =
  | ColumnRef
  | NumberLit
  | StringLit
  | BooleanLit
  | NullLit
  | DateLit
  | TimestampLit
  | DurationLit
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | BetweenExpr
  | IsNullExpr
  | CaseExpr
  | CallExpr;

/** `name` or `qualifier.name` (a column, dimension or measure; the resolver decides which). */
export interface ColumnRef {
  readonly kind: 'ref';
  readonly qualifier?: Name;
  readonly name: Name;
  readonly span: Span;
}

export interface NumberLit {
  readonly kind: 'number';
  /** The digits as written, without the `%` sign: `"2"` for `2%`, `"3.5"` for `3.5`. Exact: no float rounding. */
  readonly text: string;
  /** Written with `%`: the value is text / 100. */
  readonly percent: boolean;
  readonly span: Span;
}

export interface BooleanLit {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly span: Span;
}

export interface NullLit {
  readonly kind: 'null';
  readonly span: Span;
}

/** `date "2024-01-31"`; `value` is the string as written (validated by the resolver). */
export interface DateLit {
  readonly kind: 'date';
  readonly value: string;
  readonly span: Span;
}

/** `timestamp "2024-01-31 12:00:00"` */
export interface TimestampLit {
  readonly kind: 'timestamp';
  readonly value: string;
  readonly span: Span;
}

/** `7 days`, `1 week`, `3 months`: singular and plural units normalised. */
export interface DurationLit {
  readonly kind: 'duration';
  /** The amount as written (digits). */
  readonly amount: string;
  readonly unit: DurationUnit;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | 'not';
  readonly operand: Expr;
  readonly span: Span;
}

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `x [not] in (a, b)` */
export interface InExpr {
  readonly kind: 'in';
  readonly operand: Expr;
  readonly values: readonly Expr[];
  readonly negated: boolean;
  readonly span: Span;
}

/** `x [not] between a and b` */
export interface BetweenExpr {
  readonly kind: 'between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  readonly span: Span;
}

/** `x is [not] null` */
export interface IsNullExpr {
  readonly kind: 'is-null';
  readonly operand: Expr;
  readonly negated: boolean;
  readonly span: Span;
}

/** `case when C then V ... [else E] end` */
export interface CaseExpr {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
  readonly span: Span;
}

/** `f(a, b)`, including `count()`, `if(c, a, b)` and aggregates. */
export interface CallExpr {
  readonly kind: 'call';
  readonly callee: Name;
  readonly args: readonly Expr[];
  readonly span: Span;
}
