// Whatever depends on something the resolver leaves out is left out too, so
// the model never holds a dangling reference (the planner would throw).

import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import type { Model, RExpr } from '../../compiler/semantic/model.ts';
import { catalogOf } from './catalog-fixture.ts';
import { resolveTexts } from './helpers.ts';

const CATALOG = catalogOf({
  'file:c.csv': { customer_id: 'integer', tier: 'text' },
  'file:o.csv': { order_id: 'integer', customer_id: 'integer', ordered_at: 'timestamp', product_id: 'integer' },
  'file:p.csv': { product_id: 'integer', category: 'text' },
});

/** Every source, dimension and link an expression of the model names, as `problem` texts when missing. */
function danglingReferences(model: Model): string[] {
  const problems: string[] = [];
  const visit = (expr: RExpr | undefined, where: string) => {
    const stack = expr ? [expr] : [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === 'column' || node.kind === 'dimension') {
        if (!model.sources.has(node.source)) problems.push(`${where}: no source ${node.source}`);
        for (const link of node.path)
          if (!model.sources.has(link.to) || !model.sources.has(link.from))
            problems.push(`${where}: link to ${link.to}`);
        if (node.kind === 'dimension' && !model.sources.get(node.source)?.dimensions.has(node.name.toLowerCase()))
          problems.push(`${where}: no dimension ${node.name}`);
      }
      for (const value of Object.values(node)) {
        if (value && typeof value === 'object' && 'kind' in value) stack.push(value as RExpr);
        if (Array.isArray(value))
          for (const v of value)
            if (v && typeof v === 'object') stack.push(...(('when' in v ? [v.when, v.then] : [v]) as RExpr[]));
      }
    }
  };
  for (const source of model.sources.values()) {
    if (source.relation.kind === 'derived' && !model.sources.has(source.relation.source))
      problems.push(`${source.name}: derived from a missing source`);
    for (const dimension of source.dimensions.values()) {
      if (dimension.kind === 'computed') visit(dimension.expr, dimension.name);
      if (dimension.kind === 'aggregated') {
        if (!model.sources.has(dimension.from)) problems.push(`${dimension.name}: aggregates a missing source`);
        visit(dimension.arg, dimension.name);
        visit(dimension.where, dimension.name);
      }
    }
    for (const check of source.checks) visit(check.predicate, check.name);
  }
  for (const measure of model.measures.values()) {
    visit(measure.arg, measure.name);
    visit(measure.where, measure.name);
  }
  for (const kpi of model.kpis.values())
    for (const m of kpi.measures) if (!model.measures.has(m)) problems.push(`${kpi.name}: no measure ${m}`);
  return problems;
}

describe('left out with what it depends on', () => {
  it('a keyless derived source shadowing the real one: dimensions, measures and KPIs using it are left out, silently', () => {
    const text = `source orders from customers {\n  customer customer_id\n}\n\ncustomer customers from "c.csv" {\n  key customer_id\n  dimension first_order_at = min(orders.ordered_at)\n  measure n = count() where first_order_at is not null\n  measure all_customers = count()\n}\n\nsource orders from "o.csv" {\n  key order_id\n  customer customer_id\n  time ordered_at\n}\n\nkpi k {\n  numerator n\n}\n\nkpi everyone {\n  numerator all_customers\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    // The two real problems, and no cascade at the uses.
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['missing-key', 1],
      ['duplicate-name', 12],
    ]);
    expect(model.sources.has('orders')).toBe(false);
    expect(model.sources.get('customers')!.dimensions.has('first_order_at')).toBe(false);
    expect([...model.measures.keys()]).toEqual(['all_customers']);
    expect([...model.kpis.keys()]).toEqual(['everyone']);
    expect(danglingReferences(model)).toEqual([]);
    expect(() => compileQuery(model, { kpi: 'everyone' }, { dataRoot: '/d' })).not.toThrow();
  });

  it('a path through a left-out source does not bind; a source derived from one is left out', () => {
    const text = `customer customers from "c.csv" { key customer_id }\nsource orders from "o.csv" {\n  key order_id\n  customer customer_id\n  join products on product_id\n  measure books = count() where category = "books"\n  measure orders = count()\n}\nsource products from "p.csv" {\n  key product_id\n  dimension category\n}\nsource product_keys from products { key product_id }\n`;
    const ok = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(ok.diagnostics.map((d) => d.code)).toEqual([]);
    expect([...ok.value.measures.keys()]).toEqual(['books', 'orders']);
    // An unsafe path leaves `products` out of the model, and with it what needs it.
    const broken = text.replace('"p.csv"', '"../p.csv"');
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': broken }, CATALOG);
    expect(diagnostics.map((d) => d.code)).toEqual(['unsafe-path']);
    expect([...model.sources.keys()]).toEqual(['customers', 'orders']);
    expect(model.sources.get('orders')!.links.map((l) => l.to)).toEqual(['customers']);
    expect([...model.measures.keys()]).toEqual(['orders']);
    expect(danglingReferences(model)).toEqual([]);
  });

  it('dimensions defined in a ring are all left out, with one error', () => {
    const text = `customer customers from "c.csv" {\n  key customer_id\n  dimension a = b + 1\n  dimension b = c + 1\n  dimension c = a + 1\n  dimension d = tier\n  measure m = count() where a > 1\n}\nkpi k { numerator m }\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['dimension-cycle', 3]]);
    expect([...model.sources.get('customers')!.dimensions.keys()]).toEqual(['d']);
    expect(model.measures.has('m')).toBe(false);
    expect(model.kpis.has('k')).toBe(false);
    expect(danglingReferences(model)).toEqual([]);
  });

  it('a dimension that fails is not replaced by the column it hides', () => {
    const text = `customer customers from "c.csv" {\n  key customer_id\n  dimension tier = nosuch + 1\n  measure m = count() where tier = "gold"\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['unknown-column', 3]]);
    expect(model.measures.has('m')).toBe(false);
  });
});
