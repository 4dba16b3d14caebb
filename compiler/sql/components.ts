// `--components`: the inputs of a derived KPI as columns of its rows, so a
// health score can be read off: which component pulled it down.
//
//   value weighted_mean(score(logins, 0, 10), 3, score(long_sessions, 0, 100), 1)
//   -> "logins_score"        case when ... end                       (0..100, null when missing)
//      "logins_contribution" 3 * "logins_score" / <weights present>  (the contributions add up to the value)
//      "long_sessions_score", "long_sessions_contribution"
//
// Any other derived value shows each input KPI's value (`<kpi>`, or
// `<kpi>_previous_N` for `previous(kpi, N)`).

import { sql } from 'kysely';
import type { DExpr, DerivedPlan } from '../plan/derived.ts';
import { Namer, plainName } from './context.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import { divide, type Sql } from './expr.ts';
import { numberSql } from './literal.ts';

export interface ComponentColumn {
  readonly name: string;
  readonly sql: Sql;
}

/** The component columns of a derived KPI; `emit` gives the SQL of a part of its expression. */
export function componentColumns(
  plan: DerivedPlan,
  reserved: readonly string[],
  emit: (expr: DExpr) => Sql,
  dialect: SqlDialect,
): ComponentColumn[] {
  const names = new Namer([
    ...reserved,
    'period',
    'numerator',
    'denominator',
    'value',
    'previous_value',
    'change',
    'change_pct',
    'status',
    'target_met',
    'incomplete',
    'insufficient',
  ]);
  const label = (ref: { component: number; lag: number } | undefined, fallback: string) => {
    if (!ref) return fallback;
    const name = plainName(plan.components[ref.component]!.kpi.name);
    return ref.lag === 0 ? name : `${name}_previous_${ref.lag}`;
  };
  const expr = plan.expr;
  if (expr.kind === 'weighted') {
    const present = sql.join(
      expr.terms.map((t) => sql`case when ${emit(t.expr)} is null then 0 else ${numberSql(t.weight)} end`),
      sql` + `,
    );
    return expr.terms.flatMap((term, i) => {
      const base = label(firstRef(term.expr), `term_${i + 1}`);
      const score = emit(term.expr);
      return [
        { name: names.take(`${base}_score`), sql: score },
        {
          name: names.take(`${base}_contribution`),
          sql: divide(sql`${numberSql(term.weight)} * ${score}`, sql`(${present})`, dialect),
        },
      ];
    });
  }
  const seen = new Set<string>();
  const out: ComponentColumn[] = [];
  const visit = (e: DExpr): void => {
    if (e.kind === 'ref') {
      const key = `${e.component}|${e.lag}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ name: names.take(label(e, 'input')), sql: emit(e) });
      return;
    }
    for (const child of childrenOf(e)) visit(child);
  };
  visit(expr);
  return out;
}

function firstRef(expr: DExpr): { component: number; lag: number } | undefined {
  if (expr.kind === 'ref') return expr;
  for (const child of childrenOf(expr)) {
    const found = firstRef(child);
    if (found) return found;
  }
  return undefined;
}

function childrenOf(expr: DExpr): readonly DExpr[] {
  switch (expr.kind) {
    case 'ref':
    case 'number':
      return [];
    case 'negate':
    case 'score':
      return [expr.operand];
    case 'arith':
      return [expr.left, expr.right];
    case 'call':
      return expr.args;
    case 'weighted':
      return expr.terms.map((t) => t.expr);
  }
}
