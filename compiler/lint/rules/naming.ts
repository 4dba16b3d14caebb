// Hygiene: one naming style across sources, measures, KPIs and dimensions,
// so names read the same in `.kpi` files, SQL and result columns.
//
// A dimension that is a column keeps the data's spelling (`dimension
// SeniorCitizen`): its name is not the author's choice, so it is not flagged.

import type { Span } from '../../syntax/ast.ts';
import { defineRule } from '../rule.ts';

export const naming = defineRule({
  meta: {
    id: 'naming',
    defaultSeverity: 'warn',
    step: 'hygiene',
    description: 'Names of sources, measures, KPIs and dimensions that are not snake_case.',
    messages: {
      notSnakeCase: '{kind} name `{name}` is not snake_case (lower-case words joined by `_`).',
      rename: 'rename it `{suggestion}` (and its uses).',
    },
    docs: 'docs/rules/naming.md',
  },
  check(context) {
    const { model } = context;
    const check = (kind: string, name: string, file: string, span: Span): void => {
      if (isSnakeCase(name)) return;
      context.report({
        messageId: 'notSnakeCase',
        help: 'rename',
        data: { kind, name, suggestion: toSnakeCase(name) },
        file,
        span,
      });
    };
    for (const source of model.sources.values()) {
      check(source.isCustomer ? 'customer entity' : 'source', source.name, source.file, source.nameSpan);
      for (const dimension of source.dimensions.values()) {
        if (dimension.kind === 'column') continue;
        check('dimension', dimension.name, dimension.file, dimension.nameSpan);
      }
    }
    for (const measure of model.measures.values()) check('measure', measure.name, measure.file, measure.nameSpan);
    for (const kpi of model.kpis.values()) check('KPI', kpi.name, kpi.file, kpi.nameSpan);
  },
});

/** `net_promoter_score`, `nps_30d`: lower-case letters and digits in words joined by single underscores. */
export function isSnakeCase(name: string): boolean {
  return /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/.test(name);
}

/** `NetPromoterScore` -> `net_promoter_score`, `Total Charges` -> `total_charges`, `ARRPerSeat` -> `arr_per_seat`. */
export function toSnakeCase(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const text = words.join('_');
  return /^[a-z]/.test(text) ? text : `n_${text}`;
}
