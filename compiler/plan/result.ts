// The result of a KPI query: its values (from measures or from other KPIs)
// and what the query adds on top: the previous period and the change
// (`--compare previous`), the `incomplete` mark, the filters on complete
// periods (`periods complete`) and on status (`--status`).

import { type ErrorCode, formatMessage } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { FILE_START } from '../diagnostics.ts';
import type { Model } from '../semantic/model.ts';
import { planValues, type ValuesPlan } from './derived.ts';
import type { Query, ResultStatus } from './query.ts';
import { RESULT_STATUSES } from './query.ts';
import { parseBound, periodStart } from './range.ts';
import { nameKey } from '../semantic/names.ts';
import { pinnedByWhere, planAllThresholds, type PlannedThresholds } from './thresholds.ts';

export interface ResultPlan {
  readonly values: ValuesPlan;
  /** `--compare previous`: previous_value, change, change_pct. */
  readonly compare: boolean;
  readonly status?: readonly ResultStatus[];
  /** Show the `incomplete` column. */
  readonly markIncomplete: boolean;
  /** The KPI's `periods complete`, or `--status`/`--last` without `--incomplete`: leave incomplete periods out. */
  readonly completeOnly: boolean;
  /** `--latest`/`--last N`: only the N latest periods (after `completeOnly`, before `--status`). */
  readonly last?: number;
  /** `--components`: the inputs of a derived KPI as columns. */
  readonly components: boolean;
  /** The first period shown, when periods before it are computed only to be compared with. */
  readonly firstPeriod?: string;
  /** The KPI's thresholds that apply to this query's rows (status and target_met). */
  readonly thresholds: PlannedThresholds;
}

/** Plan a whole query; undefined (with errors) when it cannot be compiled. */
export function planResult(model: Model, query: Query): { value: ResultPlan | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (code: ErrorCode, message: string, help: string) =>
    diagnostics.push({ code, severity: 'error', file: '<query>', span: FILE_START, message, help });
  const kpi = model.kpis.get(nameKey(query.kpi));
  if (!kpi) {
    const names = [...model.kpis.values()].map((k) => k.name);
    error(
      'unknown-kpi',
      formatMessage('unknown-kpi', { kpi: query.kpi }),
      names.length ? `the KPIs are: ${names.sort().join(', ')}` : 'declare one with `kpi NAME { ... }`',
    );
    return { value: undefined, diagnostics };
  }
  const grain = query.grain === 'none' ? undefined : (query.grain ?? kpi.grain);
  const compare = query.compare === 'previous';
  if (compare && !grain) {
    error(
      'compare-without-grain',
      formatMessage('compare-without-grain', { kpi: kpi.name }),
      'give `--grain`, or drop `--compare`',
    );
  }
  if (compare && kpi.cohort) {
    error(
      'compare-without-grain',
      `\`--compare previous\` compares calendar periods, and \`${kpi.name}\` is by cohort: its rows are periods since each cohort.`,
      'drop `--compare`',
    );
  }
  for (const status of query.status ?? []) {
    if (!RESULT_STATUSES.includes(status))
      error(
        'invalid-status',
        formatMessage('invalid-status', { status, statuses: RESULT_STATUSES.join(', ') }),
        'e.g. `--status critical,warn`',
      );
  }
  if (query.components && !kpi.value) {
    error(
      'components-not-derived',
      formatMessage('components-not-derived', { kpi: kpi.name }),
      'drop `--components`, or run a KPI with `value ...`',
    );
  }
  if (query.last !== undefined && (!grain || kpi.cohort)) {
    error(
      'last-without-grain',
      `\`--latest\` and \`--last\` choose the latest calendar periods, and this query of \`${kpi.name}\` has ${kpi.cohort ? 'cohorts, not periods' : 'no grain'}.`,
      kpi.cohort ? 'drop `--latest`/`--last`' : 'give `--grain`, or drop `--latest`/`--last`',
    );
  }
  if (query.last !== undefined && !(Number.isSafeInteger(query.last) && query.last >= 1)) {
    error(
      'invalid-last',
      formatMessage('invalid-last', { value: String(query.last) }),
      'e.g. `--last 4`; `--latest` is `--last 1`',
    );
  }
  // A filter on status or on the latest periods is for watching the present: a
  // period the data or the range covers only in part would be a false alarm.
  const watching = (query.status?.length ?? 0) > 0 || query.last !== undefined;
  const completeOnly =
    grain !== undefined && !kpi.cohort && (kpi.periods === 'complete' || (watching && query.keepIncomplete !== true));
  const markIncomplete = grain !== undefined && query.markIncomplete === true;
  const lookback = compare && grain ? 1 : 0;
  const planned = planValues(model, query, { lookback, incomplete: markIncomplete || completeOnly });
  diagnostics.push(...planned.diagnostics);
  if (!planned.value || diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics };
  const from = query.from === undefined ? undefined : parseBound(query.from);
  const firstPeriod = lookback > 0 && grain && from ? periodStart(from.date, grain) : undefined;
  return {
    value: {
      values: planned.value,
      thresholds: planAllThresholds(
        planned.value.kpi.thresholds,
        planned.value.segments,
        grain !== undefined && !kpi.cohort,
        pinnedByWhere(query.where),
      ),
      compare,
      markIncomplete,
      completeOnly,
      components: query.components === true && planned.value.kind === 'derived',
      ...(query.status?.length ? { status: query.status } : {}),
      ...(query.last !== undefined ? { last: query.last } : {}),
      ...(firstPeriod ? { firstPeriod } : {}),
    },
    diagnostics,
  };
}
