// bindExpr: dimension expressions bound at one source, for the planner.

import { describe, expect, it } from 'vitest';
import { bindExpr } from '../../compiler/semantic/bind.ts';
import type { RExpr } from '../../compiler/semantic/model.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { catalogOf } from './catalog-fixture.ts';
import { locate, resolveTexts, summary } from './helpers.ts';

const TEXT = `customer customers from "data/customers.csv" { key customer_id  dimension tier, region }
source orders from "data/orders.csv" { key order_id  customer customer_id  time ordered_at  measure revenue = sum(amount) }
source features from "data/features.csv" { key feature_id  dimension feature  measure feature_count = count() }
`;
const CATALOG = catalogOf({
  'file:data/customers.csv': { customer_id: 'integer', tier: 'text', region: 'text' },
  'file:data/orders.csv': {
    order_id: 'integer',
    customer_id: 'integer',
    ordered_at: 'timestamp',
    amount: 'decimal',
    status: 'text',
  },
  'file:data/features.csv': { feature_id: 'integer', feature: 'text' },
});
const { value: model, diagnostics: resolveDiagnostics } = resolveTexts({ 'm.kpi': TEXT }, CATALOG);

function expression(text: string) {
  const result = parseExpression(text, '<query>');
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

describe('bindExpr', () => {
  it('resolves the model without diagnostics', () => {
    expect(resolveDiagnostics.map(summary)).toEqual([]);
  });

  it('binds a dimension of a reachable source with its path', () => {
    const bound = bindExpr(model, 'orders', expression('tier = "gold"'), '<query>', { predicate: true });
    expect(bound.diagnostics).toEqual([]);
    expect(bound.unreachable).toEqual([]);
    const left = (bound.value as Extract<RExpr, { kind: 'binary' }>).left as Extract<RExpr, { kind: 'column' }>;
    expect(left).toMatchObject({ kind: 'column', source: 'customers', column: 'tier' });
    expect(left.path.map((l) => `${l.from}.${l.fromColumn}>${l.to}.${l.toColumn}`)).toEqual([
      'orders.customer_id>customers.customer_id',
    ]);
  });

  it('lists names the root cannot reach and drops their conditions', () => {
    const bound = bindExpr(model, 'orders', expression('tier = "gold" and feature = "export"'), '<query>', {
      predicate: true,
    });
    expect(bound.diagnostics).toEqual([]);
    expect(bound.unreachable.map((n) => n.name)).toEqual(['feature']);
    expect(bound.value).toMatchObject({ kind: 'binary', op: '=', left: { column: 'tier' } });
  });

  it('gives no value when the only condition is unreachable (a broadcast segment)', () => {
    const bound = bindExpr(model, 'customers', expression('feature'), '<query>');
    expect(bound.value).toBeUndefined();
    expect(bound.unreachable.map((n) => n.name)).toEqual(['feature']);
    expect(bound.diagnostics).toEqual([]);
  });

  it('reports unknown names with did-you-mean at their place', () => {
    const text = 'status = "paid" and regoin = "EMEA"';
    const bound = bindExpr(model, 'orders', expression(text), '<query>', { predicate: true });
    expect(bound.value).toBeUndefined();
    expect(bound.diagnostics.map((d) => [d.code, d.file, d.span.start.column, d.help])).toEqual([
      ['unknown-dimension', '<query>', locate(text, 'regoin').column, 'did you mean `region`?'],
    ]);
  });

  it('requires a filter to be a condition', () => {
    const bound = bindExpr(model, 'orders', expression('amount + 1'), '<query>', { predicate: true });
    expect(bound.diagnostics.map((d) => d.code)).toEqual(['type-mismatch']);
  });

  it('accepts a qualified name and a root given in any case', () => {
    const bound = bindExpr(model, 'ORDERS', expression('customers.region'), '<query>');
    expect(bound.value).toMatchObject({ kind: 'column', source: 'customers', column: 'region' });
  });
});
