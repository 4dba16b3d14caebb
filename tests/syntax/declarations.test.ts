import { describe, expect, it } from 'vitest';
import type { KpiDecl, SourceDecl } from '../../compiler/syntax/ast.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { languageExample, onlyDeclaration, parseClean, show, withoutSpans } from './helpers.ts';

function source(body: string, header = 'source s from "data/s.csv"'): SourceDecl {
  const declaration = onlyDeclaration(`${header} {\n${body}\n}`);
  if (declaration.kind !== 'source') throw new Error('source expected');
  return declaration;
}

function kpi(body: string): KpiDecl {
  const declaration = onlyDeclaration(`kpi k {\n${body}\n}`);
  if (declaration.kind !== 'kpi') throw new Error('kpi expected');
  return declaration;
}

describe('the language.md example', () => {
  it('parses with zero diagnostics', () => {
    const file = parseClean(languageExample());
    expect(file.declarations.map((d) => `${d.kind} ${d.name.text}`)).toEqual([
      'source customers',
      'source surveys',
      'source subscriptions',
      'kpi nps',
      'kpi logo_churn',
    ]);
    expect(file.comments.map((c) => c.text)).toEqual([
      ' Every KPI must reach this entity: it is the customer.',
      ' the link to the customer entity',
      ' rows failing a check are excluded and counted',
      ' a state that holds over an interval',
      " a segment's own threshold",
    ]);
    const nps = file.declarations[3] as KpiDecl;
    expect(nps.items).toHaveLength(15);
    expect(nps.span.start).toEqual({ offset: expect.any(Number), line: 28, column: 1 });
    expect(nps.span.end).toMatchObject({ line: 44, column: 2 });
  });
});

describe('source declarations', () => {
  it('customer entity from a file', () => {
    const d = source('key customer_id', 'customer customers from "data/customers.csv"');
    expect(withoutSpans(d)).toEqual({
      kind: 'source',
      isCustomer: true,
      name: { kind: 'name', text: 'customers', quoted: false },
      from: { kind: 'file-ref', path: 'data/customers.csv' },
      items: [{ kind: 'key', column: { kind: 'name', text: 'customer_id', quoted: false } }],
    });
  });
  it('table refs with and without schema, source refs', () => {
    expect(withoutSpans(source('key k', 'source s from table orders').from)).toEqual({
      kind: 'table-ref',
      table: { kind: 'name', text: 'orders', quoted: false },
    });
    expect(withoutSpans(source('key k', 'source s from table sales.orders').from)).toMatchObject({
      kind: 'table-ref',
      schema: { text: 'sales' },
      table: { text: 'orders' },
    });
    expect(withoutSpans(source('key k', 'customer customers from orders').from)).toEqual({
      kind: 'source-ref',
      source: { kind: 'name', text: 'orders', quoted: false },
    });
    // A source named `table` is still a source reference.
    expect(source('key k', 'source s from table').from).toMatchObject({
      kind: 'source-ref',
      source: { text: 'table' },
    });
  });
  it('every item', () => {
    const d = source(
      [
        'key id',
        'customer customer_id',
        'join accounts on account_id',
        'join plans on plan_code = code',
        'time created_at',
        'valid from started_at to ended_at',
        'dimension tier, region',
        'dimension team internal',
        'dimension cohort = date_trunc("month", first_order_at)',
        'dimension first_order_at = min(orders.ordered_at) where orders.ordered_at >= signup_date internal',
        'measure revenue = sum(amount) where paid time paid_at cumulative at period end side company',
        'measure active = count_distinct(customer_id) side customer at period start',
        'check amount >= 0 as non_negative',
        'check amount is not null',
        'description "Orders, one row each"',
      ].join('\n'),
    );
    expect(d.items.map((i) => i.kind)).toEqual([
      'key',
      'customer-link',
      'join',
      'join',
      'time',
      'valid',
      'dimensions',
      'dimensions',
      'computed-dimension',
      'computed-dimension',
      'measure',
      'measure',
      'check',
      'check',
      'description',
    ]);
    expect(withoutSpans(d.items[3])).toEqual({
      kind: 'join',
      target: { kind: 'name', text: 'plans', quoted: false },
      column: { kind: 'name', text: 'plan_code', quoted: false },
      targetColumn: { kind: 'name', text: 'code', quoted: false },
    });
    expect(d.items[7]).toMatchObject({ kind: 'dimensions', names: [{ text: 'team' }], internal: true });
    expect(d.items[6]).toMatchObject({ internal: false });
    const aggregated = d.items[9]!;
    if (aggregated.kind !== 'computed-dimension') throw new Error();
    expect(show(aggregated.expr)).toBe('min(orders.ordered_at)');
    expect(show(aggregated.where!)).toBe('(orders.ordered_at >= signup_date)');
    expect(aggregated.internal).toBe(true);
    const revenue = d.items[10]!;
    if (revenue.kind !== 'measure') throw new Error();
    expect(show(revenue.aggregate)).toBe('sum(amount)');
    expect(show(revenue.where!)).toBe('paid');
    expect(revenue.time?.text).toBe('paid_at');
    expect(revenue.cumulative).toBe(true);
    expect(revenue.at?.value).toBe('end');
    expect(revenue.side?.value).toBe('company');
    expect(d.items[11]).toMatchObject({ side: { value: 'customer' }, at: { value: 'start' }, cumulative: false });
    expect(d.items[12]).toMatchObject({ kind: 'check', name: { text: 'non_negative' } });
    expect(d.items[13]).not.toHaveProperty('name');
    expect(d.items[14]).toMatchObject({ kind: 'description', text: { kind: 'string', value: 'Orders, one row each' } });
  });
  it('item spans run from the keyword to the last part', () => {
    const d = source('  measure m = count() where x > 1 cumulative  # note');
    expect(d.items[0]!.span.start).toMatchObject({ line: 2, column: 3 });
    expect(d.items[0]!.span.end).toMatchObject({ line: 2, column: 45 });
  });
});

describe('soft keywords', () => {
  it('names a source, columns, measures and dimensions after keywords', () => {
    const file = parseClean(
      [
        'source time from table key {',
        '  key key',
        '  time time',
        '  dimension status, source, value, date internal',
        '  measure time = count() where status = "x"',
        '  measure `where` = sum(key)',
        '}',
        'source source from time { key from }',
        'kpi status {',
        '  status active',
        '  numerator time',
        '  segment by time.status',
        '}',
      ].join('\n'),
    );
    const [first, second, third] = file.declarations as [SourceDecl, SourceDecl, KpiDecl];
    expect(first.name.text).toBe('time');
    expect(first.from).toMatchObject({ kind: 'table-ref', table: { text: 'key' } });
    expect(first.items.map((i) => i.kind)).toEqual(['key', 'time', 'dimensions', 'measure', 'measure']);
    expect(first.items[2]).toMatchObject({
      names: [{ text: 'status' }, { text: 'source' }, { text: 'value' }, { text: 'date' }],
      internal: true,
    });
    expect(first.items[3]).toMatchObject({ name: { text: 'time' } });
    expect(first.items[4]).toMatchObject({ name: { text: 'where', quoted: true } });
    expect(second).toMatchObject({ name: { text: 'source' }, from: { kind: 'source-ref', source: { text: 'time' } } });
    expect(third.name.text).toBe('status');
    expect(third.items[2]).toMatchObject({ dimensions: [{ qualifier: { text: 'time' }, name: { text: 'status' } }] });
  });
  it('keywords are case-insensitive; names keep their spelling', () => {
    const d = onlyDeclaration('KPI Nps {\n  Title "x"\n  GRAIN Month\n}') as KpiDecl;
    expect(d.name.text).toBe('Nps');
    expect(d.items[0]).toMatchObject({ kind: 'kpi-text', field: 'title' });
    expect(d.items[1]).toMatchObject({ kind: 'kpi-word', field: 'grain', value: { text: 'Month' } });
  });
  it('a `time` that starts a line at the measure column is the source item', () => {
    const d = source(
      ['  measure m = count()', '  time created_at', '  measure n = count()', '    time paid_at'].join('\n'),
    );
    expect(d.items.map((i) => i.kind)).toEqual(['measure', 'time', 'measure']);
    expect(d.items[2]).toMatchObject({ time: { text: 'paid_at' } });
  });
});

describe('kpi declarations', () => {
  it('every item', () => {
    const d = kpi(
      [
        'title "Net Promoter Score"',
        'description "d"',
        'owner "cs"',
        'customer_value "c"',
        'perspective customer',
        'indicator leading',
        'numerator promoters - detractors',
        'denominator responses',
        'value 0.5 * nps + 0.5 * csat',
        'scale 100',
        'where customers.tier != "free"',
        'segment by tier, customers.region',
        'grain month',
        'min_sample 30',
        'window 28 days',
        'direction higher',
        'target >= 40',
        'warn < 30',
        'critical < -5 for region = "EMEA"',
        'critical > 5%',
        'status active',
        'replaced_by nps_v2',
        'version 2',
        'tags "board", "cs"',
      ].join('\n'),
    );
    expect(d.items.map((i) => ('field' in i ? i.field : 'level' in i ? i.level : i.kind))).toEqual([
      'title',
      'description',
      'owner',
      'customer_value',
      'perspective',
      'indicator',
      'numerator',
      'denominator',
      'value',
      'scale',
      'where',
      'kpi-segment',
      'grain',
      'min_sample',
      'kpi-window',
      'direction',
      'target',
      'warn',
      'critical',
      'critical',
      'status',
      'kpi-replaced-by',
      'version',
      'kpi-tags',
    ]);
    expect(withoutSpans(d.items[0])).toEqual({
      kind: 'kpi-text',
      field: 'title',
      value: { kind: 'string', value: 'Net Promoter Score' },
    });
    expect(withoutSpans(d.items[4])).toEqual({
      kind: 'kpi-word',
      field: 'perspective',
      value: { kind: 'name', text: 'customer', quoted: false },
    });
    expect(withoutSpans(d.items[9])).toEqual({
      kind: 'kpi-number',
      field: 'scale',
      value: { kind: 'number', text: '100', percent: false },
    });
    expect(withoutSpans(d.items[11])).toEqual({
      kind: 'kpi-segment',
      dimensions: [
        { kind: 'ref', name: { kind: 'name', text: 'tier', quoted: false } },
        {
          kind: 'ref',
          qualifier: { kind: 'name', text: 'customers', quoted: false },
          name: { kind: 'name', text: 'region', quoted: false },
        },
      ],
    });
    expect(withoutSpans(d.items[14])).toEqual({
      kind: 'kpi-window',
      duration: { kind: 'duration', amount: '28', unit: 'day' },
    });
    expect(withoutSpans(d.items[16])).toEqual({
      kind: 'kpi-threshold',
      level: 'target',
      op: '>=',
      value: { kind: 'number', text: '40', percent: false },
    });
    const critical = d.items[18]!;
    if (critical.kind !== 'kpi-threshold') throw new Error();
    expect(show(critical.value)).toBe('(- 5)');
    expect(show(critical.for!)).toBe('(region = "EMEA")');
    expect(d.items[19]).toMatchObject({ value: { kind: 'number', text: '5', percent: true } });
    expect(withoutSpans(d.items[21])).toEqual({
      kind: 'kpi-replaced-by',
      kpi: { kind: 'name', text: 'nps_v2', quoted: false },
    });
    expect(withoutSpans(d.items[23])).toEqual({
      kind: 'kpi-tags',
      tags: [
        { kind: 'string', value: 'board' },
        { kind: 'string', value: 'cs' },
      ],
    });
  });
  it('word items accept any word; the resolver validates it', () => {
    expect(kpi('grain fortnight').items[0]).toMatchObject({
      kind: 'kpi-word',
      field: 'grain',
      value: { text: 'fortnight' },
    });
  });
  it('items may share a line and a body may be empty', () => {
    expect(kpi('title "a" grain month').items).toHaveLength(2);
    expect(parseClean('kpi a {}').declarations[0]).toMatchObject({ kind: 'kpi', items: [] });
  });
  it('an empty file has no declarations', () => {
    const result = parseFile('', 'empty.kpi');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ kind: 'file', path: 'empty.kpi', declarations: [], comments: [] });
  });
});
