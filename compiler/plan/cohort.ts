// Cohort KPIs: `cohort by DIM` (docs/time-analytics.md).
//
// A customer's cohort is the period (of the query's grain) of one of its
// dimensions: its signup date, its first event. The result has one row per
// cohort and number of periods since it, up to the end of the data, zero
// cells included: a cohort without activity in a later period shows 0 there.
//
// Measures of the customer entity count the cohort's members: per cohort,
// whatever their time, repeated over the periods since. Measures of other
// sources count activity: per cohort and period since, by their time.

import type { ErrorCode } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { DimensionName, Grain, Kpi, Model, RExpr } from '../semantic/model.ts';
import { bindAt, segmentExpr } from './bind-at.ts';
import type { MeasureGroup, PlannedSegment } from './plan.ts';
import { nameKey } from '../semantic/names.ts';

export interface CohortPlan {
  /** The grain of cohorts and of the periods since. */
  readonly grain: Grain;
  readonly dimension: DimensionName;
}

/** A source's part in a cohort query: its cohort value, and whether its measures count members. */
export interface SourceCohort {
  readonly expr: RExpr;
  readonly members: boolean;
}

/** The two keys a cohort query adds before the segments. */
export const COHORT_SEGMENTS: readonly PlannedSegment[] = [
  {
    name: 'cohort',
    dimension: {
      name: 'cohort',
      span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } },
    },
    cohort: 'cohort',
  },
  {
    name: 'periods_since',
    dimension: {
      name: 'periods_since',
      span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } },
    },
    cohort: 'since',
  },
];

/**
 * Check a cohort KPI's measures and bind its cohort dimension at each of
 * their sources. Errors go to `diagnostics`; the map is per source key.
 */
export function planCohortSources(
  model: Model,
  kpi: Kpi,
  groups: readonly MeasureGroup[],
  diagnostics: Diagnostic[],
): Map<string, SourceCohort> {
  const dimension = kpi.cohort!;
  const error = (code: ErrorCode, message: string, help: string, span = dimension.span) =>
    diagnostics.push({ code, severity: 'error', file: kpi.file, span, message, help });
  const out = new Map<string, SourceCohort>();
  const entity = model.customer === undefined ? undefined : model.sources.get(model.customer);
  if (!entity) {
    error(
      'cohort-dimension',
      'a cohort is a period of a dimension of the customer entity, and the project has none.',
      'declare `customer NAME from ... { key ... }`',
    );
    return out;
  }
  if (dimension.qualifier && nameKey(dimension.qualifier) !== nameKey(entity.name)) {
    error(
      'cohort-dimension',
      `\`cohort by\` names a dimension of the customer entity \`${entity.name}\`, not of \`${dimension.qualifier}\`.`,
      `add the dimension to \`${entity.name}\` (e.g. \`dimension first_event_at = min(events.occurred_at)\`) and write \`cohort by ${dimension.name}\``,
    );
    return out;
  }
  if (kpi.window)
    error(
      'cohort-unsupported',
      'a cohort KPI counts each period since the cohort; a trailing `window` does not apply to it.',
      'drop the `window`',
      kpi.nameSpan,
    );
  const qualified: DimensionName = { qualifier: entity.name, name: dimension.name, span: dimension.span };
  const times = new Map<string, string>();
  for (const group of groups) {
    const members = group.source === model.customer;
    const bad =
      group.mode === 'window' ||
      group.mode === 'start' ||
      group.mode === 'end' ||
      group.mode === 'retention' ||
      group.mode === 'state' ||
      (!members && (group.mode === 'cumulative' || group.mode === 'timeless'));
    if (bad) {
      const m = group.measures[0]!;
      error(
        'cohort-unsupported',
        `measure \`${m.name}\` cannot be counted per period since the cohort: ${members ? 'a snapshot or retention measure' : 'a cumulative, timeless, snapshot or retention measure of a source other than the customer entity'} has no single period per row.`,
        "use a plain measure with a time column (activity), or a measure of the customer entity (the cohort's members)",
        m.span,
      );
      continue;
    }
    if (!members && group.time) {
      const known = times.get(group.source);
      if (known && nameKey(known) !== nameKey(group.time)) {
        error(
          'cohort-unsupported',
          `the measures of \`${model.sources.get(group.source)?.name}\` use two time columns, \`${known}\` and \`${group.time}\`; a cohort KPI counts each source's rows by one.`,
          'give the measures one time column, or split the KPI',
          group.measures[0]!.span,
        );
      }
      times.set(group.source, group.time);
    }
    if (out.has(group.source)) continue;
    const binding = bindAt(model, group.source, segmentExpr(qualified), kpi.file, false);
    if (binding.kind === 'error') {
      diagnostics.push(
        ...binding.diagnostics.filter(
          (d) =>
            !diagnostics.some(
              (e) => e.code === d.code && e.span.start.offset === d.span.start.offset && e.file === d.file,
            ),
        ),
      );
      continue;
    }
    if (binding.kind === 'unreachable') {
      error(
        'cohort-unreachable',
        `the measures of \`${model.sources.get(group.source)?.name}\` cannot reach the customer entity, so they have no cohort.`,
        'link the source to the customer (`customer COL`)',
      );
      continue;
    }
    const type = binding.expr.type;
    if (type !== 'date' && type !== 'timestamp' && type !== 'unknown') {
      error(
        'cohort-dimension',
        `\`${dimension.name}\` is ${type === 'text' ? 'text' : `a ${type}`}; a cohort is the period of a date or a timestamp.`,
        'name a date or timestamp dimension of the customer entity, e.g. its signup date or `min(events.occurred_at)`',
      );
      return out;
    }
    out.set(group.source, { expr: binding.expr, members });
  }
  return out;
}
