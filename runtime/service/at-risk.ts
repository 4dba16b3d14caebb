// "Which enterprise accounts are at risk this week?": the customers or
// segments of a KPI in breach (`critical`, `warn`) in the latest complete
// period, worst first, with the KPI's owner and thresholds, so the answer
// carries the governed definition of "at risk" and not the agent's guess.

import type { Value } from '../engine/values.ts';
import type { Project } from '../project/open.ts';
import { describeThresholds } from './catalog.ts';
import type { KpiThreshold } from './catalog.ts';
import { answerOf, queryRows } from './query.ts';
import type { QueryAnswer, QueryArgs, QueryLimits } from './query.ts';

export interface AtRiskArgs {
  readonly kpi: string;
  /** Segment dimensions; `["customer"]` for the customers themselves; absent: the KPI's own segments. */
  readonly by?: readonly string[];
  readonly where?: string;
  readonly grain?: string;
  /** The statuses that count as in breach; default `critical` and `warn`. */
  readonly status?: readonly string[];
  readonly limit?: number;
}

export interface AtRiskAnswer extends QueryAnswer {
  readonly direction: 'higher' | 'lower' | null;
  readonly thresholds: readonly KpiThreshold[];
  /** The latest complete period (null when there is none). */
  readonly period: string | null;
  /** The columns that name a customer or a segment. */
  readonly segments: readonly string[];
}

const RESULT_COLUMNS = new Set([
  'period',
  'numerator',
  'denominator',
  'value',
  'previous_value',
  'change',
  'change_pct',
  'status',
  'target_met',
  'incomplete',
]);

export async function atRisk(project: Project, args: AtRiskArgs, limits: QueryLimits): Promise<AtRiskAnswer> {
  const query: QueryArgs = {
    ...args,
    latest: true,
    status: args.status && args.status.length > 0 ? args.status : ['critical', 'warn'],
  };
  const result = await queryRows(project, query, limits);
  const { columns, kpi } = result;
  const status = columns.indexOf('status');
  const value = columns.indexOf('value');
  // Worst first: critical before warn, then the value farthest on the wrong side.
  const sign = kpi.direction === 'lower' ? -1 : 1;
  const rows = [...result.rows].sort(
    (a, b) => rank(a[status]) - rank(b[status]) || sign * (toNumber(a[value]) - toNumber(b[value])),
  );
  const answer = answerOf(result, rows, Math.min(limits.maxRows, args.limit ?? limits.maxRows));
  return {
    ...answer,
    direction: kpi.direction ?? null,
    thresholds: describeThresholds(project, kpi),
    period: result.latest ?? null,
    segments: columns.filter((c) => !RESULT_COLUMNS.has(c) && !c.endsWith('_score') && !c.endsWith('_contribution')),
  };
}

function rank(status: Value | undefined): number {
  return status === 'critical' ? 0 : status === 'warn' ? 1 : status === 'insufficient' ? 3 : 2;
}

function toNumber(value: Value | undefined): number {
  if (value === null || value === undefined || typeof value === 'boolean') return Number.POSITIVE_INFINITY;
  return Number(value);
}
