// Expressions too deep to run: `expression-too-deep` at the expression,
// never a stack overflow, and the limit sits where DuckDB still accepts the SQL.

import { describe, expect, it } from 'vitest';
import { bindExpr } from '../../compiler/semantic/bind.ts';
import { bindRow } from '../../compiler/semantic/bind-expr.ts';
import type { BindContext } from '../../compiler/semantic/bind-ref.ts';
import { expressionDepth, MAX_EXPRESSION_DEPTH } from '../../compiler/semantic/depth.ts';
import type { RExpr } from '../../compiler/semantic/model.ts';
import { scopeOfModel } from '../../compiler/semantic/scope.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { catalogOf } from './catalog-fixture.ts';
import { expectOne, resolveTexts, summary } from './helpers.ts';

const CATALOG = catalogOf({ 'file:c.csv': { customer_id: 'integer', tier: 'text', score: 'integer' } });
const CUSTOMERS = (items = '') =>
  `customer customers from "c.csv" {\n  key customer_id\n  dimension tier\n  measure n = count()\n${items}}\n`;
const chain = (count: number, term: (i: number) => string, op: string) =>
  Array.from({ length: count }, (_, i) => term(i)).join(` ${op} `);

function expression(text: string) {
  const result = parseExpression(text, '<query>');
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

describe('expressionDepth', () => {
  it('counts the operators on the longest path, a name or literal being 0', () => {
    expect(expressionDepth(expression('a'))).toBe(0);
    expect(expressionDepth(expression('a + b * c'))).toBe(2);
    expect(expressionDepth(expression('not (a = 1) and abs(b) > 2'))).toBe(3);
    expect(expressionDepth(expression(chain(5000, () => 'a', '+')))).toBe(4999);
  });
});

describe('expression-too-deep', () => {
  it('refuses a 5,000-term numerator at the numerator, naming the limit, and leaves the KPI out', () => {
    const text = `${CUSTOMERS()}kpi wide {\n  numerator ${chain(5000, () => 'n', '+')}\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    const found = expectOne(diagnostics, 'expression-too-deep', 'a.kpi', text, 'n + n');
    expect(found.message).toContain('4,999');
    expect(found.message).toContain(String(MAX_EXPRESSION_DEPTH));
    expect(found.help).toMatch(/measures/);
    expect(diagnostics.map(summary)).toHaveLength(1);
    expect(model.kpis.has('wide')).toBe(false);
  });

  it('accepts a numerator exactly at the limit (901 terms: 900 levels)', () => {
    const text = `${CUSTOMERS()}kpi wide {\n  numerator ${chain(MAX_EXPRESSION_DEPTH + 1, () => 'n', '+')}\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(model.kpis.get('wide')?.measures).toEqual(['n']);
  });

  it('refuses a 5,000-term measure filter, suggesting `in`, and leaves the measure out', () => {
    const where = chain(5000, (i) => `tier = "t${i}"`, 'or');
    const text = CUSTOMERS(`  measure wide = count() where ${where}\n`);
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    const found = expectOne(diagnostics, 'expression-too-deep', 'a.kpi', text, 'tier = "t0"');
    expect(found.help).toContain('in (');
    expect(model.measures.has('wide')).toBe(false);
  });

  it('refuses a deep check and a deep KPI filter', () => {
    const deep = chain(1000, (i) => `score != ${i}`, 'and');
    const text = `${CUSTOMERS(`  check ${deep}\n`)}kpi k {\n  numerator n\n  where ${deep}\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['expression-too-deep', 5],
      ['expression-too-deep', 9],
    ]);
    expect(model.sources.get('customers')?.checks).toEqual([]);
    expect(model.kpis.has('k')).toBe(false);
  });

  it('counts computed dimensions as the planner inlines them', () => {
    // d1 nests 500 levels, d2 adds 450 on top of it: 950 once d1 is written out.
    const text = CUSTOMERS(
      `  dimension d1 = ${chain(501, () => 'score', '+')}\n  dimension d2 = d1 + ${chain(450, () => 'score', '+')}\n  measure m = sum(d2)\n`,
    );
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    const found = expectOne(diagnostics, 'expression-too-deep', 'a.kpi', text, 'd1 + score');
    expect(found.message).toMatch(/950 operators/);
    expect(found.message).toMatch(/computed dimensions it uses/);
    // d2 is left out, and the measure using it fails without a second message.
    const dimensions = model.sources.get('customers')!.dimensions;
    expect([...dimensions.keys()]).toEqual(['tier', 'd1']);
    expect(model.measures.has('m')).toBe(false);
  });

  it('bindExpr refuses a deep `--where` without overflowing the stack', () => {
    const { value: model } = resolveTexts({ 'a.kpi': CUSTOMERS() }, CATALOG);
    const bound = bindExpr(model, 'customers', expression(chain(5000, (i) => `score != ${i}`, 'and')), '<query>', {
      predicate: true,
    });
    expect(bound.value).toBeUndefined();
    expect(bound.diagnostics.map((d) => [d.code, d.span.start.column])).toEqual([['expression-too-deep', 1]]);
  });

  it('binds a 20,000-term chain without one stack frame per term (the planner calls bindRow directly)', () => {
    const { value: model } = resolveTexts({ 'a.kpi': CUSTOMERS() }, CATALOG);
    const ctx: BindContext = {
      scope: scopeOfModel(model),
      root: 'customers',
      file: '<q>',
      sink: [],
      unreachable: 'collect',
      unknownCode: 'unknown-dimension',
      collected: [],
    };
    const bound = bindRow(ctx, expression(chain(20_000, (i) => String(i), '+')));
    expect(ctx.sink).toEqual([]);
    expect(bound).toMatchObject({
      kind: 'binary',
      op: '+',
      type: 'integer',
      right: { kind: 'literal', value: { text: '19999' } },
    });
    expect(expressionDepth(bound as RExpr)).toBe(19_999);
  });
});
