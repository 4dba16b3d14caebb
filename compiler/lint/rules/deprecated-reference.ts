// Governance: a KPI built on a deprecated KPI keeps the old definition alive
// after its owners decided to retire it.

import type { Expr, KpiDecl } from '../../syntax/ast.ts';
import type { Kpi, Model } from '../../semantic/model.ts';
import { defineRule } from '../rule.ts';

export const deprecatedReference = defineRule({
  meta: {
    id: 'deprecated-reference',
    defaultSeverity: 'warn',
    step: 'governance',
    description: 'A KPI or derived KPI uses a deprecated KPI; the message names its `replaced_by`.',
    messages: {
      usesReplaced: 'KPI `{kpi}` uses `{used}`, which is deprecated and replaced by `{replacement}`.',
      usesUnreplaced: 'KPI `{kpi}` uses `{used}`, which is deprecated and names no replacement.',
      replacementDeprecated:
        'KPI `{kpi}` is replaced by `{used}`, which is itself deprecated and replaced by `{replacement}`.',
      replacementDeprecatedUnreplaced:
        'KPI `{kpi}` is replaced by `{used}`, which is itself deprecated and names no replacement.',
      useReplacement: 'use `{replacement}` instead of `{used}`.',
      findReplacement: 'ask the owners of `{used}` what replaces it, and use that instead.',
    },
    docs: 'docs/rules/deprecated-reference.md',
  },
  check(context) {
    const { model } = context;
    for (const kpi of model.kpis.values()) {
      for (const use of usedKpis(model, kpi, context.kpiDecl(kpi))) {
        const used = model.kpis.get(use.name.toLowerCase());
        if (!used || used.status !== 'deprecated' || used === kpi) continue;
        const replacement =
          used.replacedBy === undefined
            ? undefined
            : (model.kpis.get(used.replacedBy.toLowerCase())?.name ?? used.replacedBy);
        const messageId = use.asReplacement
          ? replacement
            ? 'replacementDeprecated'
            : 'replacementDeprecatedUnreplaced'
          : replacement
            ? 'usesReplaced'
            : 'usesUnreplaced';
        context.report({
          messageId,
          help: replacement ? 'useReplacement' : 'findReplacement',
          data: { kpi: kpi.name, used: used.name, replacement: replacement ?? '' },
          file: kpi.file,
          span: use.span,
        });
      }
    }
  },
});

interface KpiUse {
  readonly name: string;
  readonly span: Expr['span'];
  readonly asReplacement: boolean;
}

/** The KPIs a KPI refers to: names in a derived KPI's `value`, and its `replaced_by`. */
function usedKpis(model: Model, kpi: Kpi, decl: KpiDecl | undefined): KpiUse[] {
  const uses: KpiUse[] = [];
  // A deprecated KPI using another deprecated one is retired with it: no finding.
  if (kpi.status !== 'deprecated' && kpi.value) collectRefs(kpi.value, model, uses);
  if (kpi.replacedBy !== undefined) {
    const item = decl?.items.find((i) => i.kind === 'kpi-replaced-by');
    if (item?.kind === 'kpi-replaced-by') uses.push({ name: kpi.replacedBy, span: item.kpi.span, asReplacement: true });
  }
  return uses;
}

function collectRefs(expr: Expr, model: Model, out: KpiUse[]): void {
  if (expr.kind === 'ref') {
    if (expr.qualifier === undefined && model.kpis.has(expr.name.text.toLowerCase())) {
      out.push({ name: expr.name.text, span: expr.span, asReplacement: false });
    }
    return;
  }
  for (const child of Object.values(expr)) {
    if (Array.isArray(child)) {
      for (const item of child) visitChild(item, model, out);
    } else {
      visitChild(child, model, out);
    }
  }
}

function visitChild(value: unknown, model: Model, out: KpiUse[]): void {
  if (value === null || typeof value !== 'object') return;
  const node = value as { kind?: unknown; when?: Expr; then?: Expr };
  // `case` branches are plain `{ when, then }` pairs, not nodes.
  if (node.when && node.then) {
    collectRefs(node.when, model, out);
    collectRefs(node.then, model, out);
    return;
  }
  if (typeof node.kind === 'string' && node.kind !== 'name') collectRefs(value as Expr, model, out);
}
