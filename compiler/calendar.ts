// Calendar periods of local wall time, as plain date text (`YYYY-MM-DD`):
// the planner and the SQL emitter both compute period starts at compile
// time. Plain calendar arithmetic is exact here (no instants, no offsets).

import type { Grain } from './semantic/model.ts';

/** A bound as given: `2024-01-31` or `2024-01-31 12:00[:00[.fff]]`. */
export interface Bound {
  readonly text: string;
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** True when the bound has a time of day other than midnight. */
  readonly timed: boolean;
}

/** The first day of the period containing `date`. Weeks start on Monday. */
export function periodStart(date: string, grain: Grain): string {
  const d = toDate(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  switch (grain) {
    case 'day':
      return date;
    case 'week': {
      const back = (d.getUTCDay() + 6) % 7;
      return fromDate(new Date(Date.UTC(year, month, d.getUTCDate() - back)));
    }
    case 'month':
      return fromDate(new Date(Date.UTC(year, month, 1)));
    case 'quarter':
      return fromDate(new Date(Date.UTC(year, month - (month % 3), 1)));
    case 'year':
      return fromDate(new Date(Date.UTC(year, 0, 1)));
  }
}

/** The start of the last period that begins before the exclusive bound `to`. */
export function lastPeriodStart(to: Bound, grain: Grain): string {
  const lastDay = to.timed ? to.date : fromDate(new Date(toDate(to.date).getTime() - 86_400_000));
  return periodStart(lastDay, grain);
}

function toDate(text: string): Date {
  return new Date(`${text}T00:00:00Z`);
}

function fromDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The period start `n` periods after the period start `date` (`n` may be negative): calendar arithmetic. */
export function shiftPeriod(date: string, grain: Grain, n: number): string {
  const d = toDate(date);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  switch (grain) {
    case 'day':
      return fromDate(new Date(Date.UTC(year, month, day + n)));
    case 'week':
      return fromDate(new Date(Date.UTC(year, month, day + 7 * n)));
    case 'month':
      return fromDate(new Date(Date.UTC(year, month + n, 1)));
    case 'quarter':
      return fromDate(new Date(Date.UTC(year, month + 3 * n, 1)));
    case 'year':
      return fromDate(new Date(Date.UTC(year + n, 0, 1)));
  }
}
