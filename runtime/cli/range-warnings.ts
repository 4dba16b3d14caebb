// Warnings for a `--from`/`--to` that cuts a calendar period (docs/cli.md).
//
// A period the range covers only in part holds part of its data, so its
// value is not comparable with its neighbours'. kpic does not move the
// bounds the user typed; it says which period is cut and how to ask for
// whole periods, on stderr, whatever the output format (stdout stays data).

import type { Grain, Query } from '../../compiler/index.ts';
import { parseBound, periodStart, shiftPeriod } from '../../compiler/index.ts';

/** One `warning: ...` line per bound that falls inside a period of `grain`. */
export function rangeWarnings(query: Query, grain: Grain | undefined): string[] {
  if (grain === undefined) return [];
  const warnings: string[] = [];
  for (const flag of ['from', 'to'] as const) {
    const text = query[flag];
    const bound = text === undefined ? undefined : parseBound(text);
    if (bound === undefined) continue;
    const start = periodStart(bound.date, grain);
    if (!bound.timed && start === bound.date) continue;
    const next = shiftPeriod(start, grain, 1);
    const whole = flag === 'from' ? `--from ${start} or --from ${next}` : `--to ${start} or --to ${next}`;
    const cut = flag === 'from' ? `counted from ${bound.text} only` : `counted up to ${bound.text} only`;
    warnings.push(
      `warning: --${flag} ${bound.text} is inside the ${grain} starting ${start}: that period is ${cut} (incomplete; --status and --latest leave it out). For whole ${grain}s give ${whole}.\n`,
    );
  }
  return warnings;
}
