// Reading a KPI's numerator or denominator (an arithmetic of measures).

import type { MExpr } from './model.ts';

/**
 * The measure keys an expression uses, left to right, repeats kept:
 * `promoters - detractors` gives `['promoters', 'detractors']`.
 * Iterative, so a long chain of terms cannot overflow the stack.
 */
export function measuresOf(expr: MExpr): string[] {
  const found: string[] = [];
  const stack: MExpr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'measure') found.push(node.measure);
    else if (node.kind === 'negate') stack.push(node.operand);
    else if (node.kind === 'arith') stack.push(node.right, node.left);
  }
  return found;
}
