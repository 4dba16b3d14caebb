// Query ranges and calendar periods, computed at compile time from the
// `--from`/`--to` text. Periods are calendar periods of local wall time, so
// plain calendar arithmetic is exact here (no instants, no offsets).

import type { Grain } from '../semantic/model.ts';

/** A bound as given: `2024-01-31` or `2024-01-31 12:00[:00[.fff]]`. */
export interface Bound {
  readonly text: string;
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** True when the bound has a time of day other than midnight. */
  readonly timed: boolean;
}

const BOUND = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** Parse a range bound; undefined when it is not a real calendar date (and time). */
export function parseBound(text: string): Bound | undefined {
  const m = BOUND.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = Number(m[7] ?? 0);
  const normalized = m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}`;
  return { text: normalized, date: `${m[1]}-${m[2]}-${m[3]}`, timed: hour + minute + second + fraction > 0 };
}

/** Order of two bounds: negative when `a` is earlier. */
export function compareBounds(a: Bound, b: Bound): number {
  const pad = (bound: Bound) => (bound.text.length === 10 ? `${bound.text} 00:00:00` : bound.text).padEnd(26, '0');
  return pad(a) < pad(b) ? -1 : pad(a) > pad(b) ? 1 : 0;
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
