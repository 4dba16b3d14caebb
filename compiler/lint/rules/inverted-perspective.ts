// Renew: company-side over customer-side ("image over perception") is a KPI
// about the company; inverted, perception over image, it is about the customer.

import { defineRule } from '../rule.ts';
import { printMExpr, sideOf } from '../model-query.ts';

export const invertedPerspective = defineRule({
  meta: {
    id: 'inverted-perspective',
    defaultSeverity: 'warn',
    step: 'Renew',
    description: 'The numerator is company-side and the denominator customer-side (image over perception).',
    messages: {
      inverted:
        'KPI `{kpi}` divides a company-side quantity (`{numerator}`) by a customer-side one (`{denominator}`): image over perception says how the company sees itself, not what the customer perceives.',
      invert:
        "invert the ratio: `numerator {denominator}` and `denominator {numerator}` (perception over image), or mark a measure `side customer` if it really is the customer's quantity.",
    },
    docs: 'docs/rules/inverted-perspective.md',
  },
  check(context) {
    const { model } = context;
    for (const kpi of model.kpis.values()) {
      if (!kpi.numerator || !kpi.denominator) continue;
      if (sideOf(model, kpi.numerator) !== 'company' || sideOf(model, kpi.denominator) !== 'customer') continue;
      context.report({
        messageId: 'inverted',
        help: 'invert',
        data: {
          kpi: kpi.name,
          numerator: printMExpr(model, kpi.numerator),
          denominator: printMExpr(model, kpi.denominator),
        },
        file: kpi.file,
        span: kpi.numerator.span,
      });
    }
  },
});
