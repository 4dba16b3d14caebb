// Expression CST -> AST.
//
// The parser reads an expression as a flat chain of operands and tails;
// here an operator-precedence pass with explicit stacks builds the tree,
// so a chain of 5,000 terms costs no recursion. Precedence, loosest first:
// or < and < not < comparison, like, in, between, is null < + - < * / < unary minus.

import type { CstNode } from 'chevrotain';
import type { BinaryOp, DurationLit, Expr, NumberLit } from './ast.ts';
import {
  endOf,
  hasChild,
  Malformed,
  nameOf,
  nodeOf,
  nodesOf,
  optionalToken,
  reportAt,
  spanFrom,
  startOf,
  stringOf,
  tokenOf,
  tokenSpan,
  unescapeString,
  type ConvertContext,
} from './cst-access.ts';
import type { KpiToken } from './lexer.ts';
import * as t from './tokens.ts';

/** Binding strength of each operator; prefix `not` and `-` take part as well. */
export const PRECEDENCE = {
  or: 1,
  and: 2,
  not: 3,
  comparison: 4,
  additive: 5,
  multiplicative: 6,
  negation: 7,
} as const;

type Pending =
  | { readonly kind: 'prefix'; readonly op: '-' | 'not'; readonly token: KpiToken; readonly precedence: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly precedence: number };

export function binaryPrecedence(op: BinaryOp): number {
  switch (op) {
    case 'or':
      return PRECEDENCE.or;
    case 'and':
      return PRECEDENCE.and;
    case '+':
    case '-':
      return PRECEDENCE.additive;
    case '*':
    case '/':
      return PRECEDENCE.multiplicative;
    default:
      return PRECEDENCE.comparison;
  }
}

/** An `expression` node as an Expr. */
export function convertExpression(context: ConvertContext, node: CstNode): Expr {
  const values: Expr[] = [];
  const pending: Pending[] = [];
  const reduceWhile = (minimum: number): void => {
    while (pending.length > 0 && pending[pending.length - 1]!.precedence >= minimum) reduce(values, pending.pop()!);
  };
  pushOperand(context, nodeOf(node, 'operand'), values, pending);
  for (const tail of nodesOf(node, 'tail')) {
    if (hasChild(tail, 'binaryOperator')) {
      const op = binaryOperatorOf(context, tokenOf(nodeOf(tail, 'binaryOperator'), 'op'));
      const precedence = binaryPrecedence(op);
      reduceWhile(precedence);
      pending.push({ kind: 'binary', op, precedence });
      pushOperand(context, nodeOf(tail, 'operand'), values, pending);
    } else {
      reduceWhile(PRECEDENCE.comparison);
      values.push(applyPostfix(context, tail, values.pop()!));
    }
  }
  reduceWhile(0);
  if (values.length !== 1) throw new Error('expression stacks out of balance');
  return values[0]!;
}

function pushOperand(context: ConvertContext, operand: CstNode, values: Expr[], pending: Pending[]): void {
  for (const token of optionalTokens(operand, 'prefix')) {
    const isNot = token.tokenType === t.keyword('not');
    pending.push({
      kind: 'prefix',
      op: isNot ? 'not' : '-',
      token,
      precedence: isNot ? PRECEDENCE.not : PRECEDENCE.negation,
    });
  }
  values.push(convertPrimary(context, nodeOf(operand, 'primary')));
}

function optionalTokens(node: CstNode, key: string): KpiToken[] {
  const list: KpiToken[] = [];
  for (let i = 0; i < (node.children[key]?.length ?? 0); i++) list.push(optionalToken(node, key, i)!);
  // Prefix tokens of two types share one label; order them by position.
  return list.sort((a, b) => a.startOffset - b.startOffset);
}

function reduce(values: Expr[], op: Pending): void {
  if (op.kind === 'prefix') {
    const operand = values.pop()!;
    values.push({ kind: 'unary', op: op.op, operand, span: spanFrom(startOf(op.token), operand.span) });
    return;
  }
  const right = values.pop()!;
  const left = values.pop()!;
  values.push({ kind: 'binary', op: op.op, left, right, span: spanFrom(left.span, right.span) });
}

function binaryOperatorOf(context: ConvertContext, token: KpiToken): BinaryOp {
  if (token.tokenType === t.SqlNotEquals) {
    reportAt(
      context,
      'syntax-error',
      tokenSpan(token),
      '`<>` is not an operator of the language',
      'inequality is written `!=`',
    );
    return '!=';
  }
  const image = token.image.toLowerCase();
  return image as BinaryOp;
}

function applyPostfix(context: ConvertContext, tail: CstNode, operand: Expr): Expr {
  const negated = hasChild(tail, t.keyword('not').name);
  if (hasChild(tail, t.keyword('between').name)) {
    const low = convertArith(context, nodeOf(tail, 'low'));
    const high = convertArith(context, nodeOf(tail, 'high'));
    return { kind: 'between', operand, low, high, negated, span: spanFrom(operand.span, high.span) };
  }
  if (hasChild(tail, t.keyword('in').name)) {
    const values = nodesOf(tail, 'values').map((value) => convertExpression(context, value));
    if (values.length === 0) throw new Malformed();
    const close = tokenOf(tail, 'RParen');
    return { kind: 'in', operand, values, negated, span: spanFrom(operand.span, endOf(close)) };
  }
  const nullToken = tokenOf(tail, t.keyword('null').name);
  return { kind: 'is-null', operand, negated, span: spanFrom(operand.span, endOf(nullToken)) };
}

/** The bounds of `between`: arithmetic with the same precedence rules. */
function convertArith(context: ConvertContext, node: CstNode): Expr {
  const values: Expr[] = [];
  const pending: Pending[] = [];
  const operands = nodesOf(node, 'arithOperand');
  const ops = optionalTokens(node, 'op');
  if (operands.length !== ops.length + 1) throw new Malformed();
  // An `arithOperand` has the shape of an `operand`: prefix `-` tokens and a primary.
  pushOperand(context, operands[0]!, values, pending);
  ops.forEach((token, index) => {
    const op = token.image as BinaryOp;
    const precedence = binaryPrecedence(op);
    while (pending.length > 0 && pending[pending.length - 1]!.precedence >= precedence) reduce(values, pending.pop()!);
    pending.push({ kind: 'binary', op, precedence });
    pushOperand(context, operands[index + 1]!, values, pending);
  });
  while (pending.length > 0) reduce(values, pending.pop()!);
  return values[0]!;
}

/** A `primary` node as an Expr. */
export function convertPrimary(context: ConvertContext, node: CstNode): Expr {
  const children = node.children;
  if (children['typed'] !== undefined) {
    const keyword = tokenOf(node, 'typed');
    const value = tokenOf(node, 'typedValue');
    const kind = keyword.tokenType === t.keyword('date') ? 'date' : 'timestamp';
    return { kind, value: unescapeString(value.image), span: spanFrom(startOf(keyword), endOf(value)) };
  }
  if (children['reference'] !== undefined) return convertReference(context, nodeOf(node, 'reference'));
  if (children['NumberLiteral'] !== undefined) return convertNumber(context, node);
  if (children['StringLiteral'] !== undefined) return stringOf(tokenOf(node, 'StringLiteral'));
  if (children['constant'] !== undefined) {
    const token = tokenOf(node, 'constant');
    const word = token.image.toLowerCase();
    if (word === 'null') return { kind: 'null', span: tokenSpan(token) };
    return { kind: 'boolean', value: word === 'true', span: tokenSpan(token) };
  }
  if (children['caseExpr'] !== undefined) return convertCase(context, nodeOf(node, 'caseExpr'));
  if (children['expression'] !== undefined) {
    const inner = convertExpression(context, nodeOf(node, 'expression'));
    // The span covers the parentheses, which the AST does not keep.
    return { ...inner, span: spanFrom(startOf(tokenOf(node, 'LParen')), endOf(tokenOf(node, 'RParen'))) };
  }
  throw new Malformed();
}

function convertNumber(context: ConvertContext, node: CstNode): NumberLit | DurationLit {
  const token = tokenOf(node, 'NumberLiteral');
  const unit = optionalToken(node, 'UnitWord');
  if (unit === undefined) return numberOf(token);
  return durationOf(context, token, unit);
}

export function numberOf(token: KpiToken): NumberLit {
  const percent = token.image.endsWith('%');
  return { kind: 'number', text: percent ? token.image.slice(0, -1) : token.image, percent, span: tokenSpan(token) };
}

/** `7 days`: a whole number and a unit. */
export function durationOf(context: ConvertContext, amount: KpiToken, unit: KpiToken): DurationLit {
  if (!/^[0-9]+$/.test(amount.image)) {
    reportAt(
      context,
      'invalid-duration',
      spanFrom(startOf(amount), endOf(unit)),
      `a duration is a whole number of units; \`${amount.image} ${unit.image}\` is not`,
      'use a smaller unit: `36 hours` instead of `1.5 days`',
    );
    throw new Malformed();
  }
  const normalized = t.UNIT_WORDS[unit.image.toLowerCase()];
  if (normalized === undefined) throw new Malformed();
  return { kind: 'duration', amount: amount.image, unit: normalized, span: spanFrom(startOf(amount), endOf(unit)) };
}

function convertReference(context: ConvertContext, node: CstNode): Expr {
  const head = tokenOf(node, 'head');
  if (hasChild(node, 'LParen')) {
    const close = tokenOf(node, 'RParen');
    const star = optionalToken(node, 'star');
    if (star !== undefined) {
      reportAt(
        context,
        'syntax-error',
        tokenSpan(star),
        `\`${head.image}(*)\` is SQL; kpic writes \`${head.image}()\``,
        `write \`${head.image}()\` to count rows`,
      );
    }
    const args = nodesOf(node, 'args').map((arg) => convertExpression(context, arg));
    return { kind: 'call', callee: nameOf(head), args, span: spanFrom(startOf(head), endOf(close)) };
  }
  const member = optionalToken(node, 'member');
  if (member !== undefined) {
    return { kind: 'ref', qualifier: nameOf(head), name: nameOf(member), span: spanFrom(startOf(head), endOf(member)) };
  }
  return { kind: 'ref', name: nameOf(head), span: tokenSpan(head) };
}

function convertCase(context: ConvertContext, node: CstNode): Expr {
  const whens = nodesOf(node, 'whenClause').map((clause) => ({
    when: convertExpression(context, nodeOf(clause, 'when')),
    then: convertExpression(context, nodeOf(clause, 'then')),
  }));
  if (whens.length === 0) throw new Malformed();
  const end = tokenOf(node, t.keyword('end').name);
  const span = spanFrom(startOf(tokenOf(node, t.keyword('case').name)), endOf(end));
  if (!hasChild(node, 'else')) return { kind: 'case', whens, span };
  return { kind: 'case', whens, else: convertExpression(context, nodeOf(node, 'else')), span };
}
