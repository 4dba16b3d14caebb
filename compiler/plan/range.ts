// Query ranges and calendar periods, computed at compile time from the
// `--from`/`--to` text. Periods are calendar periods of local wall time, so
// plain calendar arithmetic is exact here (no instants, no offsets).

import type { Bound } from '../calendar.ts';

export type { Bound } from '../calendar.ts';
export { lastPeriodStart, periodStart, shiftPeriod } from '../calendar.ts';

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
  const normalized =
    m[4] === undefined
      ? `${m[1]}-${m[2]}-${m[3]}`
      : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}`;
  return { text: normalized, date: `${m[1]}-${m[2]}-${m[3]}`, timed: hour + minute + second + fraction > 0 };
}

/** Order of two bounds: negative when `a` is earlier. */
export function compareBounds(a: Bound, b: Bound): number {
  const pad = (bound: Bound) => (bound.text.length === 10 ? `${bound.text} 00:00:00` : bound.text).padEnd(26, '0');
  return pad(a) < pad(b) ? -1 : pad(a) > pad(b) ? 1 : 0;
}
