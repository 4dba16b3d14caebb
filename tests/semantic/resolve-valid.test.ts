// Valid projects resolve to the expected model, with no diagnostics.

import { describe, expect, it } from 'vitest';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import type { AggregatedDimension, ComputedDimension, RExpr } from '../../compiler/semantic/model.ts';
import { EXAMPLE_CATALOG, catalogOf } from './catalog-fixture.ts';
import { COHORTS, EXAMPLE } from './fixtures.ts';
import { resolveTexts, summary } from './helpers.ts';

describe('the complete example of language.md', () => {
  const { value: model, diagnostics } = resolveTexts({ 'metrics/example.kpi': EXAMPLE }, EXAMPLE_CATALOG);

  it('has no diagnostics', () => {
    expect(diagnostics.map(summary)).toEqual([]);
  });

  it('resolves sources, keys, links and time columns', () => {
    expect(model.customer).toBe('customers');
    expect([...model.sources.keys()]).toEqual(['customers', 'surveys', 'subscriptions']);
    const surveys = model.sources.get('surveys')!;
    expect(surveys).toMatchObject({ key: 'response_id', time: 'responded_at', isCustomer: false, schemaKnown: true });
    expect(surveys.relation).toEqual({ kind: 'file', path: 'data/surveys.csv', format: 'csv' });
    expect(surveys.links.map((l) => [l.kind, l.from, l.fromColumn, l.to, l.toColumn])).toEqual([
      ['customer', 'surveys', 'customer_id', 'customers', 'customer_id'],
    ]);
    expect(model.sources.get('subscriptions')!.valid).toEqual({ from: 'started_at', to: 'ended_at' });
    expect(model.sources.get('subscriptions')!.relation).toMatchObject({ format: 'parquet' });
  });

  it('resolves measures with their defaults', () => {
    expect(model.measures.get('responses')).toMatchObject({
      aggregate: 'count',
      source: 'surveys',
      time: 'responded_at',
      side: 'customer',
      sideExplicit: false,
      type: 'integer',
      cumulative: false,
    });
    expect(model.measures.get('responses')!.arg).toBeUndefined();
    expect(model.measures.get('customer_count')).toMatchObject({
      source: 'customers',
      time: 'signup_date',
      side: 'customer',
    });
    const promoters = model.measures.get('promoters')!;
    expect(promoters.where).toMatchObject({
      kind: 'binary',
      op: '>=',
      type: 'boolean',
      left: { kind: 'column', column: 'nps', path: [] },
      right: { kind: 'literal', value: { kind: 'number', text: '9' } },
    });
    expect(model.measures.get('churned')).toMatchObject({
      time: 'ended_at',
      aggregate: 'count_distinct',
      arg: { kind: 'column', column: 'customer_id' },
    });
    expect(model.measures.get('active_at_start')).toMatchObject({ at: 'start' });
  });

  it('names checks by position', () => {
    const checks = model.sources.get('surveys')!.checks;
    expect(checks.map((c) => c.name)).toEqual(['check_1']);
    expect(checks[0]!.predicate).toMatchObject({ kind: 'between', type: 'boolean' });
  });

  it('resolves the KPIs', () => {
    const nps = model.kpis.get('nps')!;
    expect(nps).toMatchObject({
      title: 'Net Promoter Score',
      owner: 'customer-success',
      perspective: 'customer',
      perspectiveExplicit: true,
      indicator: 'lagging',
      scale: '100',
      grain: 'month',
      direction: 'higher',
      status: 'active',
      measures: ['detractors', 'promoters', 'responses'],
    });
    expect(nps.numerator).toMatchObject({
      kind: 'arith',
      op: '-',
      left: { kind: 'measure', measure: 'promoters' },
      right: { kind: 'measure', measure: 'detractors' },
    });
    expect(nps.denominator).toMatchObject({ kind: 'measure', measure: 'responses' });
    expect(nps.segments.map((s) => s.name)).toEqual(['tier', 'region']);
    expect(nps.thresholds.map((t) => `${t.level}${t.op}${t.value}${t.for ? ' for' : ''}`)).toEqual([
      'target>=40',
      'warn<30',
      'critical<10',
      'critical<20 for',
    ]);
    expect(nps.customerPaths.map((p) => `${p.measure}:${p.path.map((l) => l.to).join('>')}`)).toEqual([
      'detractors:customers',
      'promoters:customers',
      'responses:customers',
    ]);
    const churn = model.kpis.get('logo_churn')!;
    expect(churn.thresholds.map((t) => t.value)).toEqual(['0.02', '0.05']);
    expect(churn.measures).toEqual(['active_at_start', 'churned']);
  });

  it('keeps the default time zone', () => {
    expect(model.timezone).toBe('UTC');
  });
});

describe('aggregated dimensions', () => {
  const { value: model, diagnostics } = resolveTexts({ 'metrics/cohorts.kpi': COHORTS }, EXAMPLE_CATALOG);

  it('has no diagnostics', () => {
    expect(diagnostics.map(summary)).toEqual([]);
  });

  it('aggregates a linked source, one value per key', () => {
    const customers = model.sources.get('customers')!;
    const first = customers.dimensions.get('first_order_at') as AggregatedDimension;
    expect(first).toMatchObject({
      kind: 'aggregated',
      aggregate: 'min',
      from: 'orders',
      type: 'timestamp',
      arg: { kind: 'column', source: 'orders', column: 'ordered_at', path: [] },
    });
    expect(first.link).toMatchObject({
      from: 'orders',
      to: 'customers',
      fromColumn: 'customer_id',
      toColumn: 'customer_id',
    });
    expect(customers.dimensions.get('order_count')).toMatchObject({
      kind: 'aggregated',
      aggregate: 'count',
      type: 'integer',
    });
  });

  it("lets the predicate use the key row's own columns through the link", () => {
    const early = model.sources.get('customers')!.dimensions.get('early_orders') as AggregatedDimension;
    const where = early.where as Extract<RExpr, { kind: 'binary' }>;
    expect(where.left).toMatchObject({ kind: 'column', source: 'orders', column: 'ordered_at', path: [] });
    expect(where.right).toMatchObject({ kind: 'column', source: 'customers', column: 'signup_date' });
    expect((where.right as Extract<RExpr, { kind: 'column' }>).path.map((l) => `${l.from}>${l.to}`)).toEqual([
      'orders>customers',
    ]);
  });

  it('types computed dimensions over other dimensions', () => {
    const cohort = model.sources.get('customers')!.dimensions.get('cohort') as ComputedDimension;
    // first_order_at is the min of a timestamp column; a truncated timestamp stays a timestamp.
    expect(cohort).toMatchObject({
      kind: 'computed',
      type: 'timestamp',
      expr: {
        kind: 'call',
        func: 'date_trunc',
        args: [{ value: { kind: 'string', value: 'month' } }, { kind: 'dimension', name: 'first_order_at', path: [] }],
      },
    });
    const months = model.sources.get('orders')!.dimensions.get('months_since_first') as ComputedDimension;
    expect(months.type).toBe('integer');
    const call = months.expr as Extract<RExpr, { kind: 'call' }>;
    expect(call.func).toBe('date_diff');
    expect(call.args[1]).toMatchObject({ kind: 'dimension', source: 'customers', name: 'cohort' });
    expect((call.args[1] as Extract<RExpr, { kind: 'dimension' }>).path.map((l) => l.to)).toEqual(['customers']);
  });

  it("accepts segments reachable from the measures' sources", () => {
    expect(model.kpis.get('revenue_per_order')!.segments.map((s) => s.name)).toEqual(['months_since_first', 'tier']);
    expect(model.measures.get('repeat_customers')!.where).toMatchObject({
      left: { kind: 'dimension', name: 'order_count' },
    });
  });
});

describe('customer paths through join chains', () => {
  const text = `customer accounts from "data/accounts.csv" { key account_id  dimension plan }
source users from "data/users.csv" { key user_id  customer account_id }
source sessions from "data/sessions.csv" { key session_id  join users on user_id  time started_at  measure sessions_count = count() }
source events from "data/events.csv" { key event_id  join sessions on session = session_id  time occurred_at  measure event_count = count() }
source deploys from "data/deploys.csv" { key deploy_id  time occurred_at  measure deploy_count = count() }
kpi events_per_session { numerator event_count  denominator sessions_count  segment by plan }
kpi deploys { numerator deploy_count }
`;
  const catalog = catalogOf({
    'file:data/accounts.csv': { account_id: 'integer', plan: 'text' },
    'file:data/users.csv': { user_id: 'integer', account_id: 'integer' },
    'file:data/sessions.csv': { session_id: 'text', user_id: 'integer', started_at: 'timestamp' },
    'file:data/events.csv': { event_id: 'integer', session: 'text', occurred_at: 'timestamp' },
    'file:data/deploys.csv': { deploy_id: 'integer', occurred_at: 'timestamp' },
  });
  const { value: model, diagnostics } = resolveTexts({ 'm.kpi': text }, catalog);

  it('has no diagnostics', () => {
    expect(diagnostics.map(summary)).toEqual([]);
  });

  it('follows join then customer links', () => {
    const kpi = model.kpis.get('events_per_session')!;
    expect(
      kpi.customerPaths.map((p) => [
        p.measure,
        p.path.map((l) => `${l.kind}:${l.from}.${l.fromColumn}>${l.to}.${l.toColumn}`),
      ]),
    ).toEqual([
      [
        'event_count',
        [
          'join:events.session>sessions.session_id',
          'join:sessions.user_id>users.user_id',
          'customer:users.account_id>accounts.account_id',
        ],
      ],
      ['sessions_count', ['join:sessions.user_id>users.user_id', 'customer:users.account_id>accounts.account_id']],
    ]);
  });

  it('leaves customerPaths empty without a customer reference and defaults side to company', () => {
    expect(model.kpis.get('deploys')!.customerPaths).toEqual([]);
    expect(model.measures.get('deploy_count')!.side).toBe('company');
    expect(model.measures.get('event_count')!.side).toBe('customer');
  });

  it('allows a KPI to share a name with a measure', () => {
    expect(model.kpis.has('deploys')).toBe(true);
  });
});

describe('unknown schema', () => {
  it('checks no column names and types them unknown', () => {
    const { value: model, diagnostics } = resolveTexts({ 'metrics/example.kpi': EXAMPLE }, EMPTY_CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    const surveys = model.sources.get('surveys')!;
    expect(surveys.schemaKnown).toBe(false);
    expect(surveys.columns.size).toBe(0);
    expect(model.measures.get('promoters')!.where).toMatchObject({
      left: { kind: 'column', column: 'nps', type: 'unknown' },
    });
    expect(model.kpis.get('nps')!.measures).toEqual(['detractors', 'promoters', 'responses']);
  });

  it('still resolves names to declared dimensions of reachable sources', () => {
    const text = `customer customers from "c.csv" { key id  dimension tier }
source orders from "o.csv" { key id  customer customer_id  measure big = count() where tier = "gold" }`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, EMPTY_CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(model.measures.get('big')!.where).toMatchObject({
      left: { kind: 'column', source: 'customers', column: 'tier' },
    });
  });
});

describe('names and data spelling', () => {
  it("matches mixed-case columns without regard to case and keeps the data's spelling", () => {
    const text = `customer Customers from "data/c.csv" { key customerid  dimension TIER }
source Orders from "data/o.csv" { key ORDERID  customer CustomerID  time orderedat  measure Revenue = sum(AMOUNT) }
kpi revenue { numerator REVENUE  segment by tier }`;
    const catalog = catalogOf({
      'file:data/c.csv': { customerID: 'integer', Tier: 'text' },
      'file:data/o.csv': { OrderId: 'integer', CustomerId: 'integer', OrderedAt: 'timestamp', Amount: 'decimal' },
    });
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, catalog);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(model.sources.get('customers')).toMatchObject({ name: 'Customers', key: 'customerID' });
    expect(model.sources.get('customers')!.dimensions.get('tier')).toMatchObject({
      kind: 'column',
      name: 'TIER',
      column: 'Tier',
    });
    expect(model.sources.get('orders')!.links[0]).toMatchObject({ fromColumn: 'CustomerId', toColumn: 'customerID' });
    expect(model.measures.get('revenue')).toMatchObject({
      name: 'Revenue',
      time: 'OrderedAt',
      type: 'decimal',
      arg: { column: 'Amount' },
    });
  });

  it('derives the customer entity from a fact source', () => {
    const text = `customer customers from orders { key customer_id  dimension first_order = min(orders.ordered_at) }
source orders from "data/orders.csv" { key order_id  customer customer_id  time ordered_at  measure buyers = count_distinct(customer_id) }
kpi buyers { numerator buyers  segment by first_order }`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, EXAMPLE_CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    const customers = model.sources.get('customers')!;
    expect(customers.relation).toEqual({ kind: 'derived', source: 'orders', column: 'customer_id' });
    expect([...customers.columns.values()]).toEqual([{ name: 'customer_id', type: 'integer', sqlType: 'BIGINT' }]);
    expect(model.kpis.get('buyers')!.customerPaths[0]!.path.map((l) => l.to)).toEqual(['customers']);
  });

  it('resolves the same whatever the order of the files', () => {
    const files = {
      'b/kpis.kpi': EXAMPLE.slice(EXAMPLE.indexOf('kpi nps')),
      'a/sources.kpi': EXAMPLE.slice(0, EXAMPLE.indexOf('kpi nps')),
    };
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const one = resolveTexts(files, EXAMPLE_CATALOG);
    const two = resolveTexts(reversed, EXAMPLE_CATALOG);
    expect(one.diagnostics).toEqual([]);
    expect(two.value).toEqual(one.value);
    expect(one.value.files.map((f) => f.path)).toEqual(['a/sources.kpi', 'b/kpis.kpi']);
  });

  it('stores a canonical time zone', () => {
    const { value, diagnostics } = resolveTexts({ 'a.kpi': EXAMPLE }, EXAMPLE_CATALOG, 'europe/paris');
    expect(diagnostics).toEqual([]);
    expect(value.timezone).toBe('Europe/Paris');
  });
});

describe('other forms', () => {
  it('reads tables and keeps derived KPIs as written', () => {
    const text = `customer customers from table crm.customers { key id  dimension tier }
source plans from table plans { key plan_id }
kpi base { numerator customer_total  periods complete }
kpi health { value base * 2  status draft  tags "a", "b"  version 3  min_sample 30  window 4 weeks  scale 12.5% }
source c2 from "data/customers.csv" { key customer_id  measure customer_total = count() }
`;
    const catalog = catalogOf({
      'table:crm.customers': { id: 'integer', tier: 'text' },
      'table:plans': { plan_id: 'integer' },
      'file:data/customers.csv': { customer_id: 'integer' },
    });
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, catalog);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(model.sources.get('customers')!.relation).toEqual({ kind: 'table', schema: 'crm', table: 'customers' });
    expect(model.sources.get('plans')!.relation).toEqual({ kind: 'table', table: 'plans' });
    const health = model.kpis.get('health')!;
    expect(health).toMatchObject({
      status: 'draft',
      tags: ['a', 'b'],
      version: 3,
      minSample: 30,
      window: { amount: 4, unit: 'week' },
      scale: '0.125',
      measures: [],
      customerPaths: [],
    });
    expect(health.value).toMatchObject({ kind: 'binary', op: '*' });
    expect(health.numerator).toBeUndefined();
    expect(model.kpis.get('base')!.periods).toBe('complete');
    expect(health.periods).toBeUndefined();
  });
});
