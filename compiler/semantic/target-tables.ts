// Targets per period from a table: `target >= nps_targets.target` names a
// source holding one row per period (its `time`), the value, and optionally
// segment values (its column dimensions). Each period of the KPI uses the
// row of that period (docs/language.md, "Targets from a table").
//
//   source nps_targets from "nps-targets.csv" {   ->  { source: 'nps_targets', column: 'target',
//     time month                                        time: 'month',
//     dimension region                                  dimensions: [{ name: 'region', column: 'region' }] }
//   }

import type { ColumnRef } from '../syntax/ast.ts';
import type { KpiFields } from './kpi-items.ts';
import type { TargetTable, Threshold } from './model.ts';
import { nameKey } from './names.ts';
import { didYouMean, reportError } from './report.ts';
import type { ResolveState } from './state.ts';
import { isNumeric } from './types.ts';

/** The KPI's thresholds with their target tables resolved; a threshold whose table is wrong is left out (reported). */
export function resolveTargetTables(state: ResolveState, fields: KpiFields, file: string): Threshold[] {
  if (fields.tableRefs.length === 0) return fields.thresholds;
  const resolved = new Map<Threshold, Threshold | undefined>();
  for (const { threshold, ref } of fields.tableRefs) {
    const table = resolveTable(state, fields, ref, file);
    resolved.set(threshold, table ? { ...threshold, table } : undefined);
  }
  return fields.thresholds
    .map((t) => (resolved.has(t) ? resolved.get(t) : t))
    .filter((t): t is Threshold => t !== undefined);
}

function resolveTable(state: ResolveState, fields: KpiFields, ref: ColumnRef, file: string): TargetTable | undefined {
  const error = (span: ColumnRef['span'], message: string, help: string) =>
    reportError(state.sink, 'invalid-target-table', file, span, message, { help });
  const qualifier = ref.qualifier!;
  const source = state.sources.get(nameKey(qualifier.text));
  if (!source) {
    const names = [...state.sources.values()].map((s) => s.decl.name.text);
    error(
      qualifier.span,
      `\`${qualifier.text}\` is not a source: a target table is a source declared with its \`time\` (the period of each row).`,
      didYouMean(qualifier.text, names, 'declare e.g. `source targets from "targets.csv" { time month }`')!,
    );
    return undefined;
  }
  if (!fields.words.grain) {
    error(
      ref.span,
      'a target from a table is a target per period, and this KPI has no `grain`.',
      'add e.g. `grain month`',
    );
    return undefined;
  }
  if (!source.time) {
    error(
      qualifier.span,
      `\`${source.decl.name.text}\` has no \`time\`: a target table says which period each row is for.`,
      `add \`time COLUMN\` to \`${source.decl.name.text}\` (any date in the period; its first day is usual)`,
    );
    return undefined;
  }
  const column = source.columns.get(nameKey(ref.name.text));
  if (source.schemaKnown && !column) {
    error(
      ref.name.span,
      `\`${ref.name.text}\` is not a column of \`${source.decl.name.text}\`.`,
      didYouMean(
        ref.name.text,
        [...source.columns.values()].map((c) => c.name),
        'name the column holding the value',
      )!,
    );
    return undefined;
  }
  if (column && !isNumeric(column.type)) {
    error(
      ref.name.span,
      `\`${ref.name.text}\` holds ${column.type} values; a target is a number.`,
      'name a numeric column, or cast it in the data',
    );
    return undefined;
  }
  const dimensions: { name: string; column: string }[] = [];
  for (const dimension of source.dimensions.values()) {
    if (dimension.kind !== 'column') {
      error(
        dimension.span,
        `a target table's dimension is one of its columns; \`${dimension.name}\` is computed.`,
        'add the column to the table, or leave the dimension out',
      );
      return undefined;
    }
    dimensions.push({ name: dimension.name, column: dimension.column });
  }
  return { source: source.key, column: column?.name ?? ref.name.text, time: source.time, dimensions };
}
