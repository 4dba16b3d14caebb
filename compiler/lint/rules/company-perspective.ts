// Reinvent: a KPI may take the company's view, but then it must say what the
// customer gains from it being good, or it is a company KPI in disguise.

import { defineRule } from '../rule.ts';

export const companyPerspective = defineRule({
  meta: {
    id: 'company-perspective',
    defaultSeverity: 'warn',
    step: 'Reinvent',
    description: '`perspective company` without a `customer_value` saying what the customer gains.',
    messages: {
      noValue:
        "KPI `{kpi}` takes the company's perspective without a `customer_value`: nothing says what the customer gains when it is good.",
      addValue:
        'add `customer_value "..."` with what is in it for the customer, or reinvent the KPI around the value the customer perceives.',
    },
    docs: 'docs/rules/company-perspective.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      if (kpi.perspective !== 'company' || (kpi.customerValue ?? '').trim() !== '') continue;
      const item = context.kpiDecl(kpi)?.items.find((i) => i.kind === 'kpi-word' && i.field === 'perspective');
      context.report({
        messageId: 'noValue',
        help: 'addValue',
        data: { kpi: kpi.name },
        file: kpi.file,
        span: item?.span ?? kpi.nameSpan,
      });
    }
  },
});
