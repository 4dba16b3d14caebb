// Reassess: a KPI none of whose measures reaches the customer entity measures
// the company, not its customers.

import type { Expr } from '../../syntax/ast.ts';
import type { Kpi } from '../../semantic/model.ts';
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
      noMeasure:
        'KPI `{kpi}` has no customer reference: it is computed from numbers alone, with no measure and no other KPI.',
      linkOrRetire: 'link {linkable} to the customer (`customer {key}`), or retire the KPI.',
      measureOrRetire:
        'compute it from a measure of customer data (or, with `value`, from other KPIs), or retire the KPI.',
    },
    docs: 'docs/rules/customer-reference.md',
  },
  check(context) {
    const { model } = context;
    const customer = model.customer === undefined ? undefined : model.sources.get(model.customer);
    // With no customer entity the resolver already reports the project; every KPI would repeat it.
    if (!customer) return;
    for (const kpi of model.kpis.values()) {
      if (readsNothing(kpi)) {
        context.report({
          messageId: 'noMeasure',
          help: 'measureOrRetire',
          data: { kpi: kpi.name },
          file: kpi.file,
          span: kpi.nameSpan,
        });
        continue;
      }
      // Derived KPIs have no measures of their own; their parts are checked one by one.
      if (kpi.value !== undefined || kpi.customerPaths.length > 0) continue;
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

/** A KPI of numbers only: no measure in its numerator or denominator, or a `value` naming no KPI. */
function readsNothing(kpi: Kpi): boolean {
  if (kpi.value === undefined) return kpi.numerator !== undefined && kpi.measures.length === 0;
  return !namesSomething(kpi.value);
}

/** Whether an expression holds a name (a KPI, in a derived `value`), walked without recursion. */
function namesSomething(root: Expr): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if ((node as { kind?: unknown }).kind === 'ref') return true;
    for (const [key, child] of Object.entries(node)) if (key !== 'span' && typeof child === 'object') stack.push(child);
  }
  return false;
}
