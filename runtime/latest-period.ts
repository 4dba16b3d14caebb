// The latest complete period of a result: what "this week" means to a
// reader who does not want the week still running.
//
// A query asked with `markIncomplete` has the column `incomplete`; the
// latest complete period is the latest `period` among the rows where it is
// false. Shared by every caller that answers "the latest period" (the MCP
// tools and the HTTP API; `kpic run --latest` may use it as well).

import type { Value } from './engine/values.ts';

export interface PeriodRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
}

/**
 * The latest period whose rows are all complete; `undefined` when the
 * result has no `period` or `incomplete` column, or no complete period.
 *
 *   period      incomplete
 *   2024-12-16  false
 *   2024-12-23  false       <- the latest complete period
 *   2024-12-30  true
 */
export function latestCompletePeriod(result: PeriodRows): string | undefined {
  const period = result.columns.indexOf('period');
  const flag = result.columns.indexOf('incomplete');
  if (period < 0 || flag < 0) return undefined;
  let latest: string | undefined;
  for (const row of result.rows) {
    if (row[flag] !== false || row[period] === null) continue;
    const text = String(row[period]);
    // Periods are `YYYY-MM-DD[ HH:MM:SS]` text: they order as text.
    if (latest === undefined || text > latest) latest = text;
  }
  return latest;
}

/** The rows of one period only. */
export function rowsOfPeriod<T extends PeriodRows>(result: T, period: string): T {
  const at = result.columns.indexOf('period');
  return { ...result, rows: result.rows.filter((row) => row[at] !== null && String(row[at]) === period) };
}
