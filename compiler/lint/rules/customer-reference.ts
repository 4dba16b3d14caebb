// Reassess: a KPI none of whose measures reaches the customer entity measures
// the company, not its customers.

import { defineRule } from '../rule.ts';
import { listAlternatives, listNames, measureSources } from '../model-query.ts';

export const customerReference = defineRule({
  meta: {
    id: 'customer-reference',
    defaultSeverity: 'error',
    step: 'Reassess',
    description: 'No measure of the KPI reaches the customer entity.',
    messages: {
      oneSource:
        'KPI `{kpi}` has no customer reference: its measures come from source `{sources}`, which has no `customer` or `join` path to `{customer}`.',
      manySources:
        'KPI `{kpi}` has no customer reference: its measures come from sources {sources}, none of which has a `customer` or `join` path to `{customer}`.',
      linkOrRetire: 'link {linkable} to the customer (`customer {key}`), or retire the KPI.',
    },
    docs: 'docs/rules/customer-reference.md',
  },
  check(context) {
    const { model } = context;
    const customer = model.customer === undefined ? undefined : model.sources.get(model.customer);
    // With no customer entity the resolver already reports the project; every KPI would repeat it.
    if (!customer) return;
    for (const kpi of model.kpis.values()) {
      // Derived KPIs have no measures of their own; their parts are checked one by one.
      if (kpi.measures.length === 0 || kpi.customerPaths.length > 0) continue;
      const sources = measureSources(model, kpi).map((key) => model.sources.get(key)?.name ?? key);
      context.report({
        messageId: sources.length === 1 ? 'oneSource' : 'manySources',
        help: 'linkOrRetire',
        data: {
          kpi: kpi.name,
          sources: sources.length === 1 ? sources[0]! : listNames(sources),
          customer: customer.name,
          linkable: listAlternatives(sources),
          key: customer.key ?? 'customer_id',
        },
        file: kpi.file,
        span: kpi.nameSpan,
      });
    }
  },
});
