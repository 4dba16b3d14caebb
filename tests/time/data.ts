// The data of the time-analytics tests, small enough to work out by hand.
//
// customers (signup_date):        c1 enterprise 2024-01-05   c2 enterprise 2024-01-20
//                                 c3 starter    2024-02-10   c4 starter    2024-03-01
// events (at, UTC; duration):
//   e1  c1 2024-01-06 10:00  30     e6  c3 2024-02-12 08:00  15
//   e2  c1 2024-01-20 10:00 150     e7  c1 2024-03-04 12:00 200
//   e3  c2 2024-01-21 09:00  60     e8  c2 2024-03-05 12:00  40
//   e4  c1 2024-02-03 12:00  20     e9  c4 2024-03-06 12:00   5
//   e5  c3 2024-02-11 08:00  10     e10 c4 2024-03-17 12:00  25
// Active customers by month: Jan c1 c2 | Feb c1 c3 | Mar c1 c2 c4.
// c2 is active in months 1 and 3 but not 2; c3's cohort (Feb) has no activity in March.
// The data ends on 2024-03-17: March is incomplete.

import { csv } from '../sql/duckdb.ts';

export const CUSTOMERS = csv('customer_id,plan,signup_date', [
  ['c1', 'enterprise', '2024-01-05'],
  ['c2', 'enterprise', '2024-01-20'],
  ['c3', 'starter', '2024-02-10'],
  ['c4', 'starter', '2024-03-01'],
]);

export const EVENTS = csv('event_id,customer_id,at,duration', [
  ['e1', 'c1', '2024-01-06 10:00:00', 30],
  ['e2', 'c1', '2024-01-20 10:00:00', 150],
  ['e3', 'c2', '2024-01-21 09:00:00', 60],
  ['e4', 'c1', '2024-02-03 12:00:00', 20],
  ['e5', 'c3', '2024-02-11 08:00:00', 10],
  ['e6', 'c3', '2024-02-12 08:00:00', 15],
  ['e7', 'c1', '2024-03-04 12:00:00', 200],
  ['e8', 'c2', '2024-03-05 12:00:00', 40],
  ['e9', 'c4', '2024-03-06 12:00:00', 5],
  ['e10', 'c4', '2024-03-17 12:00:00', 25],
]);

export const DATA = { 'customers.csv': CUSTOMERS, 'events.csv': EVENTS };

export const SOURCES = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension plan
  measure customer_count = count()
}

source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure login_count = count()
  measure active_customers = count_distinct(customer_id)
  measure median_duration = median(duration)
  measure avg_long_session = avg(duration) where duration > 100
}
`;

/** Result rows with numbers made comparable (BIGINT text to numbers, doubles to 9 decimals). */
export function plain(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => {
        if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return [k, Number(v)];
        if (typeof v === 'number') return [k, Math.round(v * 1e9) / 1e9];
        return [k, v];
      }),
    ),
  );
}

/** Only these columns of each row. */
export function pickColumns(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
): Record<string, unknown>[] {
  return plain(rows).map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
}
