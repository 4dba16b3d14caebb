// Governance: the description is where a reader learns what the number means.

import { defineRule } from '../rule.ts';

export const missingDescription = defineRule({
  meta: {
    id: 'missing-description',
    defaultSeverity: 'info',
    step: 'governance',
    description: 'The KPI has no `description`.',
    messages: {
      noDescription: 'KPI `{kpi}` has no `description`: readers of the catalog cannot tell what it measures or why.',
      addDescription: 'add `description "..."` saying what the KPI measures and for whom.',
    },
    docs: 'docs/rules/missing-description.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      if (kpi.status === 'deprecated' || (kpi.description ?? '').trim() !== '') continue;
      context.report({
        messageId: 'noDescription',
        help: 'addDescription',
        data: { kpi: kpi.name },
        file: kpi.file,
        span: kpi.nameSpan,
      });
    }
  },
});
