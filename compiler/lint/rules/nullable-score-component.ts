// Correctness: a component of a composite score that is null for a customer
// with no rows of its source leaves `weighted_mean`'s weights, so that
// customer is scored on the other components alone (no logins, score 80).
//
// A term is flagged only when it can really be null for a customer that the
// score's other terms give a row: a KPI over measures has no value for a
// customer with no rows of its data, nor has a KPI `previous` periods back;
// `coalesce` with a fallback that is never null, numbers, and arithmetic
// over those always have one (a division, only by a number other than 0).
// A `weighted_mean` of one term is not flagged: without a value the customer
// has no score at all, and nothing is re-weighted.

import type { DerivedExpr, Kpi } from '../../semantic/model.ts';
import { defineRule } from '../rule.ts';

type Ref = Extract<DerivedExpr, { kind: 'ref' }>;

export const nullableScoreComponent = defineRule({
  meta: {
    id: 'nullable-score-component',
    defaultSeverity: 'warn',
    step: 'correctness',
    description: 'A component of a `weighted_mean` score can be null for a customer with no rows.',
    messages: {
      nullable:
        'KPI `{input}` in the score `{kpi}` has no value for a customer (or segment) without rows of its data, and `weighted_mean` then leaves its weight: such a customer is scored on the other components alone.',
      coalesce:
        'write `coalesce({input}, {zero})` inside the score when no rows means {zero}, or suppress this finding with the reason a missing component should not count.',
    },
    docs: 'docs/rules/nullable-score-component.md',
  },
  check(context) {
    const nullable = nullability(context.model.kpis);
    for (const kpi of context.model.kpis.values()) {
      if (!kpi.derived) continue;
      for (const terms of weightedMeans(kpi.derived)) {
        if (terms.length < 2) continue;
        for (const term of terms) {
          const ref = nullableRef(term, nullable);
          if (!ref) continue;
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

/** The terms of every `weighted_mean` in the expression, one list per `weighted_mean`. */
function weightedMeans(expr: DerivedExpr): DerivedExpr[][] {
  const out: DerivedExpr[][] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'weighted') {
      out.push(e.terms.map((t) => t.expr));
      stack.push(...e.terms.map((t) => t.expr));
    } else if (e.kind === 'negate' || e.kind === 'score') stack.push(e.operand);
    else if (e.kind === 'arith') stack.push(e.left, e.right);
    else if (e.kind === 'call') stack.push(...e.args);
  }
  return out;
}

/** KPI key -> whether its value can be null for a customer with no rows of its data. */
function nullability(kpis: ReadonlyMap<string, Kpi>): (key: string) => boolean {
  const known = new Map<string, boolean>();
  const of = (key: string): boolean => {
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    // A KPI being decided (a cycle, reported elsewhere) counts as nullable meanwhile.
    known.set(key, true);
    const kpi = kpis.get(key);
    const result = kpi?.derived ? nullableRef(kpi.derived, of) !== undefined : true;
    known.set(key, result);
    return result;
  };
  return of;
}

/**
 * The first reference that makes `expr` null for a customer with no rows,
 * or undefined when it always has a value.
 */
function nullableRef(expr: DerivedExpr, nullable: (key: string) => boolean): Ref | undefined {
  const first = (list: readonly DerivedExpr[]) => {
    for (const e of list) {
      const found = nullableRef(e, nullable);
      if (found) return found;
    }
    return undefined;
  };
  switch (expr.kind) {
    case 'number':
      return undefined;
    case 'ref':
      return expr.lag > 0 || nullable(expr.kpi) ? expr : undefined;
    case 'negate':
    case 'score':
      return nullableRef(expr.operand, nullable);
    case 'rollup':
      // A segment with no scored customer has no mean and no share.
      return expr.operand;
    case 'arith': {
      const found = first([expr.left, expr.right]);
      if (found || expr.op !== '/') return found;
      // `x / coalesce(y, 0)` is null where y is missing: the divisor's first reference says why.
      if (expr.right.kind === 'number') return Number(expr.right.text) === 0 ? firstRef(expr.left) : undefined;
      return firstRef(expr.right);
    }
    case 'call':
      // `coalesce`, `least` and `greatest` have a value when any argument has one.
      if (expr.func === 'coalesce' || expr.func === 'least' || expr.func === 'greatest') {
        const refs = expr.args.map((a) => nullableRef(a, nullable));
        return refs.every((r) => r !== undefined) ? refs[0] : undefined;
      }
      if (expr.func === 'nullif') return firstRef(expr) ?? undefined;
      return first(expr.args);
    case 'weighted': {
      const refs = expr.terms.map((t) => nullableRef(t.expr, nullable));
      return refs.every((r) => r !== undefined) ? refs[0] : undefined;
    }
  }
}

/** The first KPI reference under `expr`, in reading order. */
function firstRef(expr: DerivedExpr): Ref | undefined {
  switch (expr.kind) {
    case 'ref':
      return expr;
    case 'number':
      return undefined;
    case 'negate':
    case 'score':
    case 'rollup':
      return firstRef(expr.operand);
    case 'arith':
      return firstRef(expr.left) ?? firstRef(expr.right);
    case 'call':
      for (const a of expr.args) {
        const found = firstRef(a);
        if (found) return found;
      }
      return undefined;
    case 'weighted':
      for (const t of expr.terms) {
        const found = firstRef(t.expr);
        if (found) return found;
      }
      return undefined;
  }
}
