// Who reads whom: the KPIs a derived KPI reads, the KPIs that read a KPI, the
// KPIs that use a measure, and the KPIs whose thresholds read a target table. The catalog links them both ways and draws
// the lineage page from them.

import type { Expr, Kpi, Model } from '../../compiler/index.ts';
import { nameKey } from '../../compiler/index.ts';

export interface Lineage {
  /** KPI key -> keys of the KPIs its `value` reads, in the order written. */
  readonly reads: ReadonlyMap<string, readonly string[]>;
  /** KPI key -> keys of the KPIs whose `value` reads it, sorted. */
  readonly readBy: ReadonlyMap<string, readonly string[]>;
  /** Measure key -> keys of the KPIs whose numerator or denominator uses it, sorted. */
  readonly measureUsers: ReadonlyMap<string, readonly string[]>;
  /** Source key of a target table -> keys of the KPIs whose thresholds read it, sorted. */
  readonly targetUsers: ReadonlyMap<string, readonly string[]>;
}

/** The target tables a KPI's thresholds read (`target >= nps_targets.target`): source key and column, once each. */
export function targetTablesOf(kpi: Kpi): { source: string; column: string }[] {
  const seen = new Set<string>();
  const tables: { source: string; column: string }[] = [];
  for (const t of kpi.thresholds) {
    if (!t.table) continue;
    const id = `${t.table.source}\u0000${t.table.column}`;
    if (seen.has(id)) continue;
    seen.add(id);
    tables.push({ source: t.table.source, column: t.table.column });
  }
  return tables;
}

/** Every unqualified name an expression mentions, in order, once each (iterative: expressions may be deep). */
function namesIn(expr: Expr): string[] {
  const seen = new Set<string>();
  const stack: unknown[] = [expr];
  const order: string[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push(node[i]);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'ref' && record['qualifier'] === undefined) {
      const key = nameKey(String((record['name'] as { text?: string } | undefined)?.text ?? ''));
      if (key !== '' && !seen.has(key)) {
        seen.add(key);
        order.push(key);
      }
    }
    for (const [field, value] of Object.entries(record).reverse()) {
      if (field !== 'span' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return order;
}

/** The KPIs a KPI's `value` reads (names that are KPIs of the model). */
export function kpiInputs(model: Model, kpi: Kpi): string[] {
  if (!kpi.value) return [];
  return namesIn(kpi.value).filter((key) => model.kpis.has(key) && key !== nameKey(kpi.name));
}

export function lineageOf(model: Model): Lineage {
  const reads = new Map<string, string[]>();
  const readBy = new Map<string, string[]>();
  const measureUsers = new Map<string, string[]>();
  const targetUsers = new Map<string, string[]>();
  const kpis = [...model.kpis.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, kpi] of kpis) {
    const inputs = kpiInputs(model, kpi);
    reads.set(key, inputs);
    for (const input of inputs) readBy.set(input, [...(readBy.get(input) ?? []), key]);
    for (const measure of kpi.measures) measureUsers.set(measure, [...(measureUsers.get(measure) ?? []), key]);
    for (const source of new Set(targetTablesOf(kpi).map((t) => t.source)))
      targetUsers.set(source, [...(targetUsers.get(source) ?? []), key]);
  }
  return { reads, readBy, measureUsers, targetUsers };
}
