// How deep an expression nests. DuckDB refuses expressions nested deeper
// than 1,000 levels, and every stage after the parser walks expressions
// recursively. Parentheses are limited by the parser, but a left-deep
// chain (`a + b + c + ...`, `x = 1 or x = 2 or ...`) is as deep as it is
// long, so the resolver refuses chains that would not run, with a message
// saying how to split them, before anything recurses over them.

import type { Expr, Span } from '../syntax/ast.ts';
import type { RExpr } from './model.ts';
import type { Sink } from './report.ts';
import { reportError } from './report.ts';

/**
 * The most operators nested inside each other that an expression may have
 * (a 901-term sum has 900). DuckDB's limit is 1,000; the rest is left for
 * the SQL kpic wraps around an expression (casts, `FILTER`, `CASE`, ratios).
 */
export const MAX_EXPRESSION_DEPTH = 900;

type Node = Expr | RExpr;

/** The children of an expression node (parsed or bound: both have the same shape). */
function childrenOf(node: Node): readonly (Node | undefined)[] {
  switch (node.kind) {
    case 'unary':
    case 'is-null':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.operand, ...(node.values ?? [])];
    case 'between':
      return [node.operand, node.low, node.high];
    case 'case':
      return [...(node.whens ?? []).flatMap((w) => [w?.when, w?.then]), node.else];
    case 'call':
      return node.args ?? [];
    default:
      return [];
  }
}

/** Every node of an expression, parsed or bound, the root first, without recursion. */
export function expressionNodes<N extends Node>(expr: N): N[] {
  const nodes: N[] = [];
  const stack: Node[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node as N);
    for (const child of childrenOf(node)) if (child && typeof child === 'object') stack.push(child);
  }
  return nodes;
}

/**
 * The number of operators on the longest path from the root to a leaf (a
 * name or literal is 0), without recursion. `inlined` gives the depth a
 * bound `dimension` node stands for once the planner inlines it.
 */
export function expressionDepth(
  expr: Node | undefined,
  inlined?: (node: Extract<RExpr, { kind: 'dimension' }>) => number,
): number {
  if (!expr || typeof expr !== 'object') return 0;
  let deepest = 0;
  const stack: [Node, number][] = [[expr, 0]];
  while (stack.length > 0) {
    const [node, above] = stack.pop()!;
    const children = childrenOf(node);
    const own = node.kind === 'dimension' && inlined ? inlined(node as Extract<RExpr, { kind: 'dimension' }>) : 0;
    if (children.length > 0) {
      for (const child of children) if (child && typeof child === 'object') stack.push([child, above + 1]);
      deepest = Math.max(deepest, above + 1);
    } else deepest = Math.max(deepest, above + own);
  }
  return deepest;
}

/**
 * `expression-too-deep` (and false) when `expr` nests deeper than the
 * limit. `what` names the expression in the message ("this numerator").
 */
export function checkDepth(
  sink: Sink,
  file: string,
  expr: Node | undefined,
  what: string,
  options: { readonly depth?: number; readonly span?: Span; readonly inlined?: boolean } = {},
): boolean {
  if (!expr || typeof expr !== 'object') return true;
  const depth = options.depth ?? expressionDepth(expr);
  if (depth <= MAX_EXPRESSION_DEPTH) return true;
  const chain = longestChain(expr);
  const inlinedText = options.inlined ? ', once the computed dimensions it uses are written out,' : '';
  reportError(
    sink,
    'expression-too-deep',
    file,
    options.span ?? expr.span,
    `${what}${inlinedText} nests ${depth.toLocaleString('en-US')} operators inside each other; kpic accepts at most ${MAX_EXPRESSION_DEPTH} levels, because the SQL engine refuses expressions deeper than 1,000.`,
    { help: helpFor(chain, what) },
  );
  return false;
}

/** The operator of the longest left-deep chain at the top, for the help text. */
function longestChain(expr: Node): string | undefined {
  return expr.kind === 'binary' ? expr.op : undefined;
}

function helpFor(op: string | undefined, what: string): string {
  if (op === 'or')
    return 'a long chain of `or`ed comparisons with one value is `x in (a, b, c, ...)`; otherwise split the conditions into computed dimensions (`dimension part_1 = ...`) and combine those';
  if (/numerator|denominator/.test(what))
    return 'split the terms into a few measures that each add up a part (a measure can `sum` a computed dimension), so that no expression nests more than 900 levels';
  return `split it into parts of at most ${MAX_EXPRESSION_DEPTH} levels, declare each as a computed dimension (\`dimension part_1 = ...\`, \`dimension part_2 = ...\`) and combine them (\`part_1 + part_2\`)`;
}
