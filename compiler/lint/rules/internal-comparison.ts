// Reassess: segmenting only by the company's own structure (team, department,
// rep) compares parts of the company with each other, not customers.

import type { Dimension, Kpi, Model } from '../../semantic/model.ts';
import { defineRule } from '../rule.ts';
import { findSegmentDimension, listNames, measureSources, reachableSources } from '../model-query.ts';

export const internalComparison = defineRule({
  meta: {
    id: 'internal-comparison',
    defaultSeverity: 'warn',
    step: 'Reassess',
    description:
      'The KPI is segmented only by internal dimensions (team, department, rep), by nothing of the customer.',
    messages: {
      internalOnly:
        'KPI `{kpi}` is segmented only by internal dimensions ({dimensions}): it compares parts of the company with each other, not groups of customers.',
      segmentByCustomer: 'segment by something of the customer as well, e.g. `{suggestion}`.',
      segmentByAnything:
        'segment by something of the customer as well (a dimension of `{customer}` or of the sources it reaches).',
    },
    docs: 'docs/rules/internal-comparison.md',
  },
  check(context) {
    const { model } = context;
    for (const kpi of model.kpis.values()) {
      const first = kpi.segments[0];
      const last = kpi.segments[kpi.segments.length - 1];
      if (!first || !last) continue;
      const dimensions = kpi.segments.map((segment) => findSegmentDimension(model, kpi, segment));
      if (!dimensions.every((d) => d?.internal === true)) continue;
      const suggestion = suggestCustomerDimension(model, kpi);
      context.report({
        messageId: 'internalOnly',
        help: suggestion ? 'segmentByCustomer' : 'segmentByAnything',
        data: {
          kpi: kpi.name,
          dimensions: listNames(dimensions.map((d) => d!.name)),
          suggestion: suggestion?.name ?? '',
          customer: model.customer ? (model.sources.get(model.customer)?.name ?? model.customer) : 'the customer',
        },
        file: kpi.file,
        span: { start: first.span.start, end: last.span.end },
      });
    }
  },
});

/** A customer dimension the KPI's measures reach, the customer entity's own first. */
function suggestCustomerDimension(model: Model, kpi: Kpi): Dimension | undefined {
  const reached = new Set(measureSources(model, kpi).flatMap((root) => reachableSources(model, root)));
  const order = [...(model.customer ? [model.customer] : []), ...reached];
  for (const key of order) {
    if (!reached.has(key)) continue;
    for (const dimension of model.sources.get(key)?.dimensions.values() ?? []) {
      if (!dimension.internal) return dimension;
    }
  }
  return undefined;
}
