// Printing expressions and names in the canonical layout.
//
// Parentheses are re-derived from precedence (the AST does not keep them):
// exactly those needed to parse back to the same tree, no others.

import type { DurationLit, Expr, Name, NumberLit, StringLit } from './ast.ts';
import { binaryPrecedence, PRECEDENCE } from './to-ast-expr.ts';

const PRIMARY = 8;

/** A name as written: bare, or in backticks with inner backticks doubled. */
export function printName(name: Name): string {
  return name.quoted ? `\`${name.text.replaceAll('`', '``')}\`` : name.text;
}

/** A string in double quotes with the language's escapes. */
export function printString(value: string | StringLit): string {
  const text = typeof value === 'string' ? value : value.value;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\t', '\\t')}"`;
}

export function printNumber(number: NumberLit): string {
  return number.percent ? `${number.text}%` : number.text;
}

export function printDuration(duration: DurationLit): string {
  return `${duration.amount} ${duration.unit}${duration.amount === '1' ? '' : 's'}`;
}

function precedenceOf(expr: Expr): number {
  switch (expr.kind) {
    case 'binary':
      return binaryPrecedence(expr.op);
    case 'unary':
      return expr.op === 'not' ? PRECEDENCE.not : PRECEDENCE.negation;
    case 'in':
    case 'between':
    case 'is-null':
      return PRECEDENCE.comparison;
    default:
      return PRIMARY;
  }
}

/** An expression on one line, parenthesised where precedence needs it. */
export function printExpr(expr: Expr, minimum = 0): string {
  const text = printBare(expr);
  return precedenceOf(expr) < minimum ? `(${text})` : text;
}

function printBare(expr: Expr): string {
  switch (expr.kind) {
    case 'ref':
      return expr.qualifier === undefined ? printName(expr.name) : `${printName(expr.qualifier)}.${printName(expr.name)}`;
    case 'number':
      return printNumber(expr);
    case 'string':
      return printString(expr);
    case 'boolean':
      return expr.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'date':
      return `date ${printString(expr.value)}`;
    case 'timestamp':
      return `timestamp ${printString(expr.value)}`;
    case 'duration':
      return printDuration(expr);
    case 'unary':
      if (expr.op === 'not') return `not ${printExpr(expr.operand, PRECEDENCE.not)}`;
      // `-(-a)` rather than `--a`, which reads like a comment in other languages.
      return `-${printExpr(expr.operand, expr.operand.kind === 'unary' ? PRIMARY : PRECEDENCE.negation)}`;
    case 'binary': {
      const precedence = binaryPrecedence(expr.op);
      return `${printExpr(expr.left, precedence)} ${expr.op} ${printExpr(expr.right, precedence + 1)}`;
    }
    case 'in':
      return `${printExpr(expr.operand, PRECEDENCE.comparison)} ${expr.negated ? 'not in' : 'in'} (${expr.values.map((v) => printExpr(v)).join(', ')})`;
    case 'between':
      return `${printExpr(expr.operand, PRECEDENCE.comparison)} ${expr.negated ? 'not between' : 'between'} ${printExpr(expr.low, PRECEDENCE.additive)} and ${printExpr(expr.high, PRECEDENCE.additive)}`;
    case 'is-null':
      return `${printExpr(expr.operand, PRECEDENCE.comparison)} ${expr.negated ? 'is not null' : 'is null'}`;
    case 'case': {
      const whens = expr.whens.map((w) => `when ${printExpr(w.when)} then ${printExpr(w.then)}`).join(' ');
      return `case ${whens}${expr.else === undefined ? '' : ` else ${printExpr(expr.else)}`} end`;
    }
    case 'call':
      return `${printName(expr.callee)}(${expr.args.map((a) => printExpr(a)).join(', ')})`;
  }
}
