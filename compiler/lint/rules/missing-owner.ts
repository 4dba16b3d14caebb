// Governance: a KPI nobody owns is a KPI nobody acts on.

import { defineRule } from '../rule.ts';

export const missingOwner = defineRule({
  meta: {
    id: 'missing-owner',
    defaultSeverity: 'warn',
    step: 'governance',
    description: 'The KPI has no `owner`.',
    messages: {
      noOwner: 'KPI `{kpi}` has no `owner`: nobody is accountable for acting when it goes red.',
      addOwner: 'add `owner "team-or-person"` to the KPI.',
    },
    docs: 'docs/rules/missing-owner.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      // A deprecated KPI is on its way out: asking for an owner is noise.
      if (kpi.status === 'deprecated' || (kpi.owner ?? '').trim() !== '') continue;
      context.report({
        messageId: 'noOwner',
        help: 'addOwner',
        data: { kpi: kpi.name },
        file: kpi.file,
        span: kpi.nameSpan,
      });
    }
  },
});
