// Builders of hand-written SQL for the end-to-end tests. They encode the
// meaning of a KPI as language.md states it (group by period and segments,
// divide, scale, grade), independently of the compiler.

export interface RatioSql {
  /** A parenthesised SELECT whose rows carry the segment columns and the time column `t` (rows failing checks already removed). */
  readonly rows: string;
  /** `date_trunc` unit of the period; absent: no period column. */
  readonly grain?: string;
  readonly segments: readonly string[];
  /** Aggregate SQL of the numerator. */
  readonly numerator: string;
  /** Aggregate SQL of the denominator; absent: the KPI has none (the column is null). */
  readonly denominator?: string;
  readonly scale?: number;
  /** With a denominator: a denominator below it makes the row `insufficient`. */
  readonly minSample?: number;
  /** SQL over `value` and the segment columns giving the status of a row that has a value. */
  readonly status?: string;
}

/** Hand SQL of a one-source KPI: group, divide, scale, grade. */
export function ratioSql(o: RatioSql): string {
  const period = o.grain ? [`date_trunc('${o.grain}', t) AS period`] : [];
  const segments = o.segments.map((s) => `CAST(${s} AS VARCHAR) AS ${s}`);
  const denominator = o.denominator ?? 'CAST(NULL AS DOUBLE)';
  const small = o.minSample === undefined ? 'false' : `coalesce(denominator, 0) < ${o.minSample}`;
  const value =
    o.denominator === undefined
      ? `numerator * ${o.scale ?? 1}`
      : `CASE WHEN ${small} OR denominator = 0 THEN NULL ELSE numerator / denominator * ${o.scale ?? 1} END`;
  return `
    WITH grouped AS (
      SELECT ${[...period, ...segments, `${o.numerator} AS numerator`, `${denominator} AS denominator`].join(', ')}
      FROM ${o.rows} AS r GROUP BY ALL
    ), valued AS (SELECT *, ${value} AS value FROM grouped)
    SELECT ${[...(o.grain ? [`strftime(period, '%Y-%m-%d') AS period`] : []), ...o.segments, 'numerator, denominator, value'].join(', ')},
      CASE WHEN ${small} THEN 'insufficient' WHEN value IS NULL THEN NULL ELSE ${o.status ?? 'NULL'} END AS status
    FROM valued`;
}
