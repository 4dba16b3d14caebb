// `kpic alert --state FILE`: what the last run found, so that each breach is
// reported as new, ongoing or resolved and a daily job does not repeat
// itself. The file is JSON, written atomically (a temporary file renamed
// over it): an interrupted run leaves the previous state whole.

import { existsSync, readFileSync } from 'node:fs';
import type { Breach } from './evaluate.ts';

export type BreachState = 'new' | 'ongoing' | 'resolved';

/** What a state file remembers of one breach. */
export interface RememberedBreach {
  readonly id: string;
  readonly alert: string;
  readonly kpi: string;
  readonly segments: Readonly<Record<string, string | null>>;
  readonly level: 'warn' | 'critical';
  readonly period: string;
  readonly escalated: boolean;
}

export interface StateFile {
  readonly version: 1;
  readonly breaches: readonly RememberedBreach[];
}

/** A breach's identity across runs: the alert, its KPI and the watched row. */
export function breachId(b: { alert: string; kpi: string; segments: Readonly<Record<string, string | null>> }): string {
  return JSON.stringify([b.kpi.toLowerCase(), b.alert.toLowerCase(), b.segments]);
}

/** The previous run's state; an absent file is a first run. A file that is not a state file is an error naming it. */
export function readState(path: string): StateFile {
  if (!existsSync(path)) return { version: 1, breaches: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new StateFileError(`${path} is not a kpic alert state file (it is not JSON)`);
  }
  const file = parsed as Partial<StateFile>;
  if (typeof parsed !== 'object' || parsed === null || file.version !== 1 || !Array.isArray(file.breaches)) {
    throw new StateFileError(`${path} is not a kpic alert state file (expected {"version": 1, "breaches": [...]})`);
  }
  return file as StateFile;
}

export class StateFileError extends Error {}

export function stateOf(breaches: readonly Breach[]): StateFile {
  return {
    version: 1,
    breaches: breaches.map((b) => ({
      id: breachId(b),
      alert: b.alert,
      kpi: b.kpi,
      segments: b.segments,
      level: b.level,
      period: b.period,
      escalated: b.escalated,
    })),
  };
}

/** Each current breach as new or ongoing, and the previous ones not found again as resolved. */
export function compareWithState(
  previous: StateFile,
  breaches: readonly Breach[],
  evaluatedKpis: ReadonlySet<string>,
): { states: Map<string, BreachState>; resolved: RememberedBreach[] } {
  const before = new Map(previous.breaches.map((b) => [b.id, b]));
  const states = new Map<string, BreachState>();
  for (const b of breaches) states.set(breachId(b), before.has(breachId(b)) ? 'ongoing' : 'new');
  // A KPI not evaluated this run (not named, or failed) resolves nothing: its breaches are carried over.
  const resolved = previous.breaches.filter((b) => !states.has(b.id) && evaluatedKpis.has(b.kpi.toLowerCase()));
  return { states, resolved };
}

/** The state to write: this run's breaches, plus those of KPIs this run did not evaluate. */
export function nextState(
  previous: StateFile,
  breaches: readonly Breach[],
  evaluatedKpis: ReadonlySet<string>,
): StateFile {
  const carried = previous.breaches.filter((b) => !evaluatedKpis.has(b.kpi.toLowerCase()));
  return { version: 1, breaches: [...stateOf(breaches).breaches, ...carried] };
}
