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
      renameAscii: 'rename it in lower-case ASCII words joined by `_` (and its uses).',
    },
    docs: 'docs/rules/naming.md',
  },
  check(context) {
    const { model } = context;
    const check = (kind: string, name: string, file: string, span: Span): void => {
      if (isSnakeCase(name)) return;
      const suggestion = toSnakeCase(name);
      context.report({
        messageId: 'notSnakeCase',
        help: suggestion === '' ? 'renameAscii' : 'rename',
        data: { kind, name, suggestion },
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

/**
 * `NetPromoterScore` -> `net_promoter_score`, `Total Charges` ->
 * `total_charges`, `ARRPerSeat` -> `arr_per_seat`. Fullwidth letters become
 * their ASCII twins and accents are dropped (`ｎｐｓ` -> `nps`, `café` ->
 * `cafe`); other non-ASCII letters are left out. Empty when nothing ASCII
 * remains (`売上`): there is no sensible spelling to suggest.
 */
export function toSnakeCase(name: string): string {
  // NFKD splits `é` into `e` and a combining accent, and maps fullwidth and other compatibility forms to ASCII.
  const ascii = name.normalize('NFKD').replace(/\p{M}/gu, '');
  const words = ascii
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const text = words.join('_');
  if (text === '') return '';
  return /^[a-z]/.test(text) ? text : `n_${text}`;
}
