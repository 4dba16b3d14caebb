// Correctness: a component of a composite score that is null for a customer
// with no rows of its source leaves `weighted_mean`'s weights, so that
// customer is scored on the other components alone (no logins, score 80).

import { derivedRefs } from '../../semantic/derived-value.ts';
import type { DerivedExpr } from '../../semantic/model.ts';
import { defineRule } from '../rule.ts';

export const nullableScoreComponent = defineRule({
  meta: {
    id: 'nullable-score-component',
    defaultSeverity: 'info',
    step: 'correctness',
    description: 'A component of a `weighted_mean` score can be null for a customer with no rows.',
    messages: {
      nullable:
        'KPI `{input}` in the score `{kpi}` has no value for a customer (or segment) without rows of its data, and `weighted_mean` then leaves its weight: such a customer is scored on the other components alone.',
      coalesce:
        'write `coalesce({input}, {zero})` inside the score when no rows means {zero}, or keep it if a missing component should not count.',
    },
    docs: 'docs/rules/nullable-score-component.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      if (!kpi.derived) continue;
      for (const term of weightedTerms(kpi.derived)) {
        for (const ref of uncoalescedRefs(term)) {
          const input = context.model.kpis.get(ref.kpi)?.name ?? ref.kpi;
          context.report({
            messageId: 'nullable',
            help: 'coalesce',
            data: { kpi: kpi.name, input, zero: '0' },
            file: kpi.file,
            span: ref.span,
          });
        }
      }
    }
  },
});

/** The terms of every `weighted_mean` in the expression. */
function weightedTerms(expr: DerivedExpr): DerivedExpr[] {
  const out: DerivedExpr[] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'weighted') out.push(...e.terms.map((t) => t.expr));
    else if (e.kind === 'negate' || e.kind === 'score') stack.push(e.operand);
    else if (e.kind === 'arith') stack.push(e.left, e.right);
    else if (e.kind === 'call') stack.push(...e.args);
  }
  return out;
}

/** References not under a `coalesce` (whose fallback gives the term a value). */
function uncoalescedRefs(expr: DerivedExpr): Extract<DerivedExpr, { kind: 'ref' }>[] {
  if (expr.kind === 'call' && expr.func === 'coalesce') return [];
  if (expr.kind === 'ref') return [expr];
  if (expr.kind === 'negate' || expr.kind === 'score') return uncoalescedRefs(expr.operand);
  if (expr.kind === 'arith') return [...uncoalescedRefs(expr.left), ...uncoalescedRefs(expr.right)];
  if (expr.kind === 'call') return expr.args.flatMap(uncoalescedRefs);
  if (expr.kind === 'weighted') return derivedRefs(expr);
  return [];
}
