// `kpic diff --values`: run the old and the new definition of each changed
// KPI on the data and show how its latest value moves. Both definitions are
// resolved against the same catalog (today's data), compiled for the KPI's
// total at its grain (`--by none`), and the last period's value compared.

import { hasErrors } from '../../compiler/index.ts';
import { compileQuery } from '../../compiler/index.ts';
import type { Model } from '../../compiler/index.ts';
import { listRelations } from '../../compiler/index.ts';
import { resolveProject } from '../../compiler/index.ts';
import type { KpiFile } from '../../compiler/index.ts';
import { describeRelations } from '../engine/catalog.ts';
import { engineMessage } from '../engine/engine-error.ts';
import type { Value } from '../engine/values.ts';
import { displayText } from '../format/values.ts';
import type { Project } from '../project/open.ts';
import type { KpiChange } from './compare.ts';
import type { ValueChange } from './render.ts';

/** The latest value of each changed KPI under the base definitions and under the project's. */
export async function compareValues(
  project: Project,
  baseFiles: readonly KpiFile[],
  changes: readonly KpiChange[],
  /** Called before each changed KPI is computed: its index (from 0), the number of them, its name. */
  onKpi?: (index: number, total: number, kpi: string) => void,
): Promise<ValueChange[]> {
  const described = await describeRelations(project.engine, listRelations(baseFiles), baseFiles, project.dataRoot);
  const base = resolveProject(baseFiles, described.catalog, { timezone: project.config.timezone }).value;
  const values: ValueChange[] = [];
  const changed = changes.filter((c) => c.change === 'changed');
  for (const [index, change] of changed.entries()) {
    onKpi?.(index, changed.length, change.name);
    const before = await latest(project, base, change.name);
    const after = await latest(project, project.model, change.name);
    if ('note' in before || 'note' in after) {
      values.push({
        kpi: change.name,
        note: `not computed: ${'note' in after ? after.note : (before as { note: string }).note}`,
      });
      continue;
    }
    const period = after.period ?? before.period;
    values.push({
      kpi: change.name,
      ...(period ? { period } : {}),
      before: shown(before.value),
      after: shown(after.value),
    });
  }
  return values;
}

function shown(value: Value | undefined): string {
  return value === undefined ? 'no rows' : value === null ? 'null' : displayText(value);
}

async function latest(
  project: Project,
  model: Model,
  kpi: string,
): Promise<{ period?: string; value?: Value } | { note: string }> {
  const compiled = compileQuery(model, { kpi, by: 'none', dialect: project.dialect }, { dataRoot: project.dataRoot });
  if (!compiled.value || hasErrors(compiled.diagnostics))
    return { note: compiled.diagnostics.find((d) => d.severity === 'error')?.message ?? 'does not compile' };
  try {
    const result = await project.engine.all(compiled.value.sql);
    const last = result.rows[result.rows.length - 1];
    if (!last) return {};
    const at = (role: string) => compiled.value!.columns.findIndex((c) => c.role === role);
    const period = at('period') >= 0 ? last[at('period')] : undefined;
    return {
      ...(period === undefined || period === null ? {} : { period: String(period) }),
      value: last[at('value')] ?? null,
    };
  } catch (error) {
    return { note: engineMessage(error) };
  }
}
