// Printing expressions and names in the canonical layout.
//
// Parentheses are re-derived from precedence (the AST does not keep them):
// those needed to parse back to the same tree, plus one kind for the reader:
// an `and` chain that is an operand of `or` is always parenthesised, so
// `a or b and c` prints `a or (b and c)`.
//
// An expression becomes a layout document (format-doc.ts): it stays on one
// line when it fits. Otherwise an `and`/`or` (or `+ -`, `* /`) chain puts
// each further operand on its own line, led by its operator; `case` puts
// each arm on its own line with `end` under the `case` line's indentation;
// call arguments go one per line and `in` lists wrap where they must.
// Operands nested inside another construct are indented two more spaces,
// so a continuation line is always further right than what it continues.

import type { BinaryOp, DurationLit, Expr, Name, NumberLit, StringLit } from './ast.ts';
import { fill, group, indent, join, line, renderDoc, softline, type Doc } from './format-doc.ts';
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
  return renderDoc(exprDoc(expr, minimum), Number.POSITIVE_INFINITY, 0);
}

/** An expression as a layout document, parenthesised where precedence needs it. */
export function exprDoc(expr: Expr, minimum = 0): Doc {
  const doc = bareDoc(expr);
  return precedenceOf(expr) < minimum ? ['(', doc, ')'] : doc;
}

/** Operators whose chains break one operand per line. */
function isChainOp(op: BinaryOp): boolean {
  return op === 'and' || op === 'or' || op === '+' || op === '-' || op === '*' || op === '/';
}

function bareDoc(expr: Expr): Doc {
  switch (expr.kind) {
    case 'ref':
      return expr.qualifier === undefined
        ? printName(expr.name)
        : `${printName(expr.qualifier)}.${printName(expr.name)}`;
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
      if (expr.op === 'not') return ['not ', indent(exprDoc(expr.operand, PRECEDENCE.not))];
      // `-(-a)` rather than `--a`, which reads like a comment in other languages.
      return ['-', exprDoc(expr.operand, expr.operand.kind === 'unary' ? PRIMARY : PRECEDENCE.negation)];
    case 'binary':
      return isChainOp(expr.op) ? chainDoc(expr.op, expr) : binaryDoc(expr.op, expr.left, expr.right);
    case 'in': {
      const values = fill(
        expr.values.map((v) => exprDoc(v)),
        ',',
      );
      return group([
        exprDoc(expr.operand, PRECEDENCE.comparison),
        expr.negated ? ' not in (' : ' in (',
        indent([softline, values]),
        softline,
        ')',
      ]);
    }
    case 'between':
      return [
        exprDoc(expr.operand, PRECEDENCE.comparison),
        expr.negated ? ' not between ' : ' between ',
        exprDoc(expr.low, PRECEDENCE.additive),
        ' and ',
        exprDoc(expr.high, PRECEDENCE.additive),
      ];
    case 'is-null':
      return [exprDoc(expr.operand, PRECEDENCE.comparison), expr.negated ? ' is not null' : ' is null'];
    case 'case': {
      const arms: Doc[] = expr.whens.map((w) => [
        line,
        'when ',
        indent(exprDoc(w.when)),
        ' then ',
        indent(exprDoc(w.then)),
      ]);
      if (expr.else !== undefined) arms.push([line, 'else ', indent(exprDoc(expr.else))]);
      return group(['case', indent(arms), line, 'end']);
    }
    case 'call':
      if (expr.args.length === 0) return `${printName(expr.callee)}()`;
      return group([
        printName(expr.callee),
        '(',
        indent([
          softline,
          join(
            expr.args.map((a) => exprDoc(a)),
            [',', line],
          ),
        ]),
        softline,
        ')',
      ]);
  }
}

function binaryDoc(op: BinaryOp, left: Expr, right: Expr): Doc {
  const precedence = binaryPrecedence(op);
  return [exprDoc(left, precedence), ` ${op} `, exprDoc(right, precedence + 1)];
}

/**
 * `a or b or c`: the operators of one precedence level along the left
 * spine (`a - b + c` is one chain), each further operand led by its
 * operator on its own line when the chain does not fit.
 */
function chainDoc(op: BinaryOp, expr: Expr & { kind: 'binary' }): Doc {
  const precedence = binaryPrecedence(op);
  const links: { op: BinaryOp; operand: Expr }[] = [];
  let left: Expr = expr;
  while (left.kind === 'binary' && binaryPrecedence(left.op) === precedence) {
    links.push({ op: left.op, operand: left.right });
    left = left.left;
  }
  links.reverse();
  const operand = (e: Expr, minimum: number): Doc =>
    indent(op === 'or' && e.kind === 'binary' && e.op === 'and' ? ['(', exprDoc(e), ')'] : exprDoc(e, minimum));
  return group([
    operand(left, precedence),
    ...links.map((link) => [line, `${link.op} `, operand(link.operand, precedence + 1)]),
  ]);
}
