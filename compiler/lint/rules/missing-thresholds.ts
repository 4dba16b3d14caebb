// Governance: a lagging KPI reports an outcome; without a target or alert
// level nobody can tell whether the outcome is good.

import { defineRule } from '../rule.ts';

export const missingThresholds = defineRule({
  meta: {
    id: 'missing-thresholds',
    defaultSeverity: 'warn',
    step: 'governance',
    description: 'An active lagging KPI has no `target`, `warn` or `critical`.',
    messages: {
      noThresholds:
        'KPI `{kpi}` is an active lagging indicator with no `target`, `warn` or `critical`: its status is never reported, so nobody learns when it goes bad.',
      addThresholds: 'add a `direction` and thresholds, e.g. `target >= 40` and `warn < 30`.',
    },
    docs: 'docs/rules/missing-thresholds.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      if (kpi.status !== 'active' || kpi.indicator !== 'lagging' || kpi.thresholds.length > 0) continue;
      context.report({
        messageId: 'noThresholds',
        help: 'addThresholds',
        data: { kpi: kpi.name },
        file: kpi.file,
        span: kpi.nameSpan,
      });
    }
  },
});
