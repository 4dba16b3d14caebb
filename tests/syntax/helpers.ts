// Shared helpers of the syntax tests.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import type { Declaration, Expr, KpiFile } from '../../compiler/syntax/ast.ts';
import { parseExpression, parseFile } from '../../compiler/syntax/parse.ts';

/** A copy of the AST without spans, for comparing shapes. */
export function withoutSpans<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSpans) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'span')
        .map(([key, inner]) => [key, withoutSpans(inner)]),
    ) as T;
  }
  return value;
}

/** Parses a file that must have no diagnostics. */
export function parseClean(text: string): KpiFile {
  const result = parseFile(text, 'test.kpi');
  expect(result.diagnostics).toEqual([]);
  return result.value;
}

/** The only declaration of a file that must have no diagnostics. */
export function onlyDeclaration(text: string): Declaration {
  const file = parseClean(text);
  expect(file.declarations).toHaveLength(1);
  return file.declarations[0]!;
}

/** Parses an expression that must have no diagnostics. */
export function expr(text: string): Expr {
  const result = parseExpression(text, '<query>');
  expect(result.diagnostics).toEqual([]);
  expect(result.value).toBeDefined();
  return result.value!;
}

/** `code line:column` for each diagnostic: what the tests assert. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`);
}

/** The spec's complete example, as a fixture. */
export function languageExample(): string {
  return readFileSync(new URL('./fixtures/language-example.kpi', import.meta.url), 'utf8');
}

/** Compact S-expression of an expression, for precedence tests. */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return e.qualifier ? `${e.qualifier.text}.${e.name.text}` : e.name.text;
    case 'number':
      return e.text + (e.percent ? '%' : '');
    case 'string':
      return JSON.stringify(e.value);
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'date':
      return `date(${e.value})`;
    case 'timestamp':
      return `timestamp(${e.value})`;
    case 'duration':
      return `${e.amount}${e.unit}`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'in':
      return `(${show(e.operand)} ${e.negated ? 'not in' : 'in'} [${e.values.map(show).join(', ')}])`;
    case 'between':
      return `(${show(e.operand)} ${e.negated ? 'not between' : 'between'} ${show(e.low)} ${show(e.high)})`;
    case 'is-null':
      return `(${show(e.operand)} ${e.negated ? 'is not null' : 'is null'})`;
    case 'case':
      return `(case ${e.whens.map((w) => `${show(w.when)}→${show(w.then)}`).join(' ')}${e.else ? ` else ${show(e.else)}` : ''})`;
    case 'call':
      return `${e.callee.text}(${e.args.map(show).join(', ')})`;
  }
}
