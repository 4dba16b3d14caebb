// Hygiene: a measure no KPI uses is dead weight a reader still has to understand.

import { defineRule } from '../rule.ts';

export const unusedMeasure = defineRule({
  meta: {
    id: 'unused-measure',
    defaultSeverity: 'info',
    step: 'hygiene',
    description: 'A measure no KPI uses.',
    messages: {
      unused: 'measure `{measure}` of `{source}` is not used by any KPI.',
      useOrRemove: "use it in a KPI's `numerator` or `denominator`, or remove it.",
    },
    docs: 'docs/rules/unused-measure.md',
  },
  check(context) {
    const { model } = context;
    const used = new Set<string>();
    for (const kpi of model.kpis.values()) for (const key of kpi.measures) used.add(key.toLowerCase());
    for (const [key, measure] of model.measures) {
      if (used.has(key.toLowerCase())) continue;
      context.report({
        messageId: 'unused',
        help: 'useOrRemove',
        data: {
          measure: measure.name,
          source: model.sources.get(measure.source.toLowerCase())?.name ?? measure.source,
        },
        file: measure.file,
        span: measure.nameSpan,
      });
    }
  },
});
