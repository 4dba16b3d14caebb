// One test per diagnostic code of the resolver: the code, the place (line
// and column found in the text by the test itself), and the help.

import { describe, expect, it } from 'vitest';
import { listRelations } from '../../compiler/semantic/relations.ts';
import { catalogOf } from './catalog-fixture.ts';
import { relationKey } from '../../compiler/semantic/catalog.ts';
import { expectOne, locate, parse, resolveTexts, summary } from './helpers.ts';

const CATALOG = catalogOf({
  'file:data/customers.csv': { customer_id: 'integer', signup_date: 'date', tier: 'text', region: 'text' },
  'file:data/orders.csv': {
    order_id: 'integer',
    customer_id: 'integer',
    store_id: 'integer',
    ordered_at: 'timestamp',
    amount: 'decimal',
    status: 'text',
  },
  'file:data/stores.csv': { store_id: 'integer', region: 'text' },
  'file:data/subscriptions.csv': {
    subscription_id: 'integer',
    customer_id: 'integer',
    started_at: 'date',
    ended_at: 'date',
    renewed: 'boolean',
  },
  'file:data/a.csv': { id: 'integer', b_id: 'integer', c_id: 'integer' },
  'file:data/b.csv': { id: 'integer', customer_id: 'integer' },
  'file:data/c.csv': { id: 'integer', customer_id: 'integer' },
  'file:data/broken.csv': 'Could not read "data/broken.csv": unterminated quote on line 3',
});

const BASE = `customer customers from "data/customers.csv" {
  key customer_id
  dimension tier, region
}
source orders from "data/orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  measure revenue = sum(amount)
  measure order_count = count()
}
`;

/** Resolve BASE + extra in one file `m.kpi`; the text is returned to locate needles. */
function run(extra: string, options: { base?: string; timezone?: string } = {}) {
  const text = (options.base ?? BASE) + extra;
  return { text, ...resolveTexts({ 'm.kpi': text }, CATALOG, options.timezone) };
}

/** The one diagnostic with `code` at `needle`, for a case built from BASE + extra. */
function single(code: string, extra: string, needle: string, occurrence = 1, options: { base?: string } = {}) {
  const { text, diagnostics } = run(extra, options);
  return expectOne(diagnostics, code, 'm.kpi', text, needle, occurrence);
}

describe('declarations', () => {
  it('duplicate-name: sources across files, without regard to case, naming both places', () => {
    const other = `source ORDERS from "data/orders.csv" { key order_id }\n`;
    const files = { 'metrics/a.kpi': BASE, 'metrics/b.kpi': other };
    const { diagnostics } = resolveTexts(files, CATALOG);
    const d = expectOne(diagnostics, 'duplicate-name', 'metrics/b.kpi', other, 'ORDERS');
    expect(d.message).toContain('metrics/a.kpi:5:8');
    expect(d.notes).toEqual(['first declared here: metrics/a.kpi:5:8', 'declared again here: metrics/b.kpi:1:8']);
    const reversed = resolveTexts({ 'metrics/b.kpi': other, 'metrics/a.kpi': BASE }, CATALOG);
    expect(reversed.diagnostics).toEqual(diagnostics);
  });

  it('duplicate-name: measures across sources', () => {
    const d = single(
      'duplicate-name',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  measure REVENUE = count() }\n`,
      'REVENUE',
    );
    expect(d.message).toContain('m.kpi:9:11');
  });

  it('duplicate-name: KPIs, and dimensions within a source', () => {
    single('duplicate-name', `kpi r { numerator revenue }\nkpi R { numerator revenue }\n`, 'R {');
    single(
      'duplicate-name',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  dimension renewed, Renewed }\n`,
      'Renewed',
    );
  });

  it('missing-customer: at the start of the first file', () => {
    const files = {
      'z.kpi': `source orders from "data/orders.csv" { key order_id }\n`,
      'b.kpi': `source stores from "data/stores.csv" { key store_id }\n`,
    };
    const { diagnostics } = resolveTexts(files, CATALOG);
    const d = expectOne(diagnostics, 'missing-customer', 'b.kpi', files['b.kpi'], 'source');
    expect(d.help).toContain('customer customers from');
  });

  it('duplicate-customer', () => {
    const d = single('duplicate-customer', `customer accounts from "data/b.csv" { key id }\n`, 'accounts');
    expect(d.notes).toEqual(['the customer entity: m.kpi:1:10']);
  });
});

describe('source references', () => {
  it('unsafe-path: paths that could leave the data root are refused and never listed', () => {
    const written = [
      '../secret.csv',
      '/etc/data.csv',
      's3://bucket/x.csv',
      'C:/data/x.csv',
      'data\\\\x.csv',
      'data/../../x.csv',
      '~/x.csv',
      'http://example.com/x.csv',
    ];
    for (const path of written) {
      const { text, diagnostics, value } = run(`source bad from "${path}" { key id }\n`);
      expectOne(diagnostics, 'unsafe-path', 'm.kpi', text, `"${path}"`);
      expect(value.sources.has('bad')).toBe(false);
      expect(listRelations([parse('m.kpi', text)]).map(relationKey)).toEqual([
        'file:data/customers.csv',
        'file:data/orders.csv',
      ]);
    }
  });

  it('unknown-file-format', () => {
    const d = single('unknown-file-format', `source sheet from "data/sheet.xlsx" { key id }\n`, '"data/sheet.xlsx"');
    expect(d.help).toContain('.parquet');
  });

  it('unknown-source: a derived source from a misspelled source', () => {
    const d = single('unknown-source', `source buyers from ordrs { key customer_id }\n`, 'ordrs');
    expect(d.help).toBe('did you mean `orders`?');
  });

  it('source-cycle: names the whole cycle', () => {
    const d = single(
      'source-cycle',
      `source x from y { key customer_id }\nsource y from z { key customer_id }\nsource z from x { key customer_id }\n`,
      'y {',
    );
    expect(d.message).toContain('`x` -> `y` -> `z` -> `x`');
  });

  it("source-unreadable: the engine's message", () => {
    const d = single(
      'source-unreadable',
      `source broken from "data/broken.csv" { key id  measure n = count() where whatever > 1 }\n`,
      '"data/broken.csv"',
    );
    expect(d.message).toContain('unterminated quote on line 3');
  });

  it('missing-key: the customer entity and joined sources', () => {
    single('missing-key', '', 'customers', 1, { base: BASE.replace('  key customer_id\n', '') });
    const extra = `source subscriptions from "data/subscriptions.csv" { join stores on customer_id }\nsource stores from "data/stores.csv" { dimension region }\n`;
    const d = single('missing-key', extra, 'stores from');
    const link = locate(BASE + extra, 'join stores');
    expect(d.notes).toEqual([`linked from here: m.kpi:${link.line}:${link.column}`]);
  });

  it('unknown-column: an item naming a missing column, with did-you-mean', () => {
    const d = single('unknown-column', '', 'custmer_id', 1, {
      base: BASE.replace('customer customer_id', 'customer custmer_id'),
    });
    expect(d.help).toBe('did you mean `customer_id`?');
  });

  it('time-type: time and validity columns must be dates or timestamps', () => {
    const d = single('time-type', '', 'status', 1, { base: BASE.replace('time ordered_at', 'time status') });
    expect(d.message).toContain('VARCHAR');
    single(
      'time-type',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  valid from started_at to renewed }\n`,
      'renewed',
    );
  });

  it('link-type-mismatch', () => {
    single(
      'link-type-mismatch',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  join orders on renewed = order_id }\n`,
      'renewed',
    );
  });

  it('duplicate-item: a source item given twice', () => {
    single('duplicate-item', '', 'time signup_date', 1, {
      base: BASE.replace('time ordered_at', 'time ordered_at\n  time signup_date'),
    });
  });
});

describe('dimensions and measures', () => {
  it('dimension-cycle', () => {
    single(
      'dimension-cycle',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  dimension a = b + 1  dimension b = a + 1 }\n`,
      'a =',
    );
  });

  it('a computed dimension named like the column it renames means that column, not itself', () => {
    const { diagnostics, value } = run(
      `source stores from "data/stores.csv" { key store_id  dimension REGION = upper(Region) }\n`,
    );
    expect(diagnostics.map(summary)).toEqual([]);
    const dimension = value.sources.get('stores')!.dimensions.get('region')!;
    expect(dimension.kind).toBe('computed');
    expect(dimension.kind === 'computed' && dimension.expr.kind === 'call' && dimension.expr.args[0]).toMatchObject({
      kind: 'column',
      source: 'stores',
      column: 'region',
    });
  });

  it('aggregate-source: an aggregated dimension must aggregate a source that links here', () => {
    const d = single(
      'aggregate-source',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  dimension n = count(orders.order_id) }\n`,
      'orders.order_id',
    );
    expect(d.help).toContain('join subscriptions on COLUMN');
    single(
      'aggregate-source',
      `source stores from "data/stores.csv" { key store_id  dimension n = count() }\n`,
      'count()',
      2,
    );
  });

  it('unexpected-where: only aggregated dimensions filter', () => {
    single(
      'unexpected-where',
      `source stores from "data/stores.csv" { key store_id  dimension r = lower(region) where region = "x" }\n`,
      'region = "x"',
    );
  });

  it('not-an-aggregate and unknown-function for measures', () => {
    single(
      'not-an-aggregate',
      `source stores from "data/stores.csv" { key store_id  measure m = store_id }\n`,
      'store_id }',
    );
    const d = single(
      'unknown-function',
      `source stores from "data/stores.csv" { key store_id  measure m = summ(store_id) }\n`,
      'summ',
    );
    expect(d.help).toBe('did you mean `sum`?');
  });

  it('unknown-function in a row-level expression', () => {
    const d = single(
      'unknown-function',
      `source stores from "data/stores.csv" { key store_id  dimension r = lowr(region) }\n`,
      'lowr',
    );
    expect(d.help).toBe('did you mean `lower`?');
  });

  it('wrong-arity for functions and aggregates', () => {
    single(
      'wrong-arity',
      `source stores from "data/stores.csv" { key store_id  dimension r = lower(region, region) }\n`,
      'lower(',
    );
    single('wrong-arity', `source stores from "data/stores.csv" { key store_id  measure m = sum() }\n`, 'sum()');
  });

  it('invalid-percentile', () => {
    single(
      'invalid-percentile',
      `source stores from "data/stores.csv" { key store_id  measure m = percentile(store_id, 1.5) }\n`,
      '1.5',
    );
  });

  it('at-requires-valid', () => {
    const d = single(
      'at-requires-valid',
      `source stores from "data/stores.csv" { key store_id  measure m = count() at period end }\n`,
      'at period end',
    );
    expect(d.help).toContain('valid from');
  });

  it('conflicting-items: cumulative with at period', () => {
    single(
      'conflicting-items',
      `source subscriptions from "data/subscriptions.csv" { key subscription_id  valid from started_at to ended_at  measure m = count() cumulative at period start }\n`,
      'at period start',
    );
  });

  it('aggregate-not-allowed in a row-level expression', () => {
    const d = single(
      'aggregate-not-allowed',
      `source stores from "data/stores.csv" { key store_id  measure m = count() where max(store_id) > 3 }\n`,
      'max(',
    );
    expect(d.help).toContain('aggregated dimension');
  });

  it('duplicate-name: check names within a source', () => {
    single(
      'duplicate-name',
      `source stores from "data/stores.csv" { key store_id  check store_id > 0 as positive  check store_id < 9 as positive }\n`,
      'positive',
      2,
    );
  });
});

describe('names in expressions', () => {
  it('unknown-column with did-you-mean over the names in scope', () => {
    const d = single('unknown-column', '', 'amont', 1, { base: BASE.replace('sum(amount)', 'sum(amont)') });
    expect(d.help).toBe('did you mean `amount`?');
  });

  it('unknown-column: a column of a reachable source must be qualified', () => {
    const d = single('unknown-column', '', 'signup_date', 1, {
      base: BASE.replace('sum(amount)', 'sum(amount) where signup_date > date "2024-01-01"'),
    });
    expect(d.help).toContain('customers.signup_date');
  });

  it('unknown-source for a misspelled qualifier', () => {
    const d = single('unknown-source', '', 'custmers', 1, {
      base: BASE.replace('sum(amount)', 'sum(amount) where custmers.tier = "gold"'),
    });
    expect(d.help).toBe('did you mean `customers`?');
  });

  it('unreachable-source explains the missing link', () => {
    const d = single(
      'unreachable-source',
      `source stores from "data/stores.csv" { key store_id  measure m = count() where orders.status = "x" }\n`,
      'orders.status',
    );
    expect(d.help).toContain('join orders on COLUMN');
  });

  it('ambiguous-name: two sources at the same distance', () => {
    const base = BASE.replace(
      'time ordered_at',
      'time ordered_at\n  join stores on store_id\n  measure west = count() where region = "west"',
    );
    const d = single(
      'ambiguous-name',
      `source stores from "data/stores.csv" { key store_id  dimension region }\n`,
      'region = "west"',
      1,
      { base },
    );
    expect(d.help).toContain('`customers.region`');
    expect(d.help).toContain('`stores.region`');
  });

  it('ambiguous-path: two shortest link paths', () => {
    const d = single(
      'ambiguous-path',
      `source a from "data/a.csv" { key id  join b on b_id  join c on c_id  measure gold = count() where tier = "gold" }
source b from "data/b.csv" { key id  customer customer_id }
source c from "data/c.csv" { key id  customer customer_id }\n`,
      'tier = "gold"',
    );
    expect(d.notes).toEqual(['path: a -> b -> customers', 'path: a -> c -> customers']);
  });

  it('type-mismatch: comparing text with a number, a non-date string with a timestamp', () => {
    single('type-mismatch', '', 'status > 3', 1, { base: BASE.replace('sum(amount)', 'sum(amount) where status > 3') });
    const d = single('type-mismatch', '', '"yesterday"', 1, {
      base: BASE.replace('sum(amount)', 'sum(amount) where ordered_at >= "yesterday"'),
    });
    expect(d.message).toContain('does not read as one');
    single('type-mismatch', '', 'status', 1, { base: BASE.replace('sum(amount)', 'sum(status)') });
  });

  it('accepts a string that reads as a date next to a timestamp, as a date literal', () => {
    const { value, diagnostics } = run('', {
      base: BASE.replace('sum(amount)', 'sum(amount) where ordered_at >= "2024-01-31"'),
    });
    expect(diagnostics.map(summary)).toEqual([]);
    expect(value.measures.get('revenue')!.where).toMatchObject({
      right: { kind: 'literal', type: 'date', value: { kind: 'date', value: '2024-01-31' } },
    });
  });

  it('invalid-literal: a date that does not exist', () => {
    single('invalid-literal', '', 'date "2024-02-30"', 1, {
      base: BASE.replace('sum(amount)', 'sum(amount) where ordered_at >= date "2024-02-30"'),
    });
  });

  it('unknown-unit', () => {
    const d = single(
      'unknown-unit',
      `source stores from "data/stores.csv" { key store_id }\nsource subscriptions from "data/subscriptions.csv" { key subscription_id  dimension m = date_trunc("mnth", started_at) }\n`,
      '"mnth"',
    );
    expect(d.help).toBe('did you mean `month`?');
  });
});

describe('KPIs', () => {
  it('unknown-measure with did-you-mean, and an explanation for a dimension', () => {
    const d = single('unknown-measure', `kpi k { numerator revenu }\n`, 'revenu }');
    expect(d.help).toBe('did you mean `revenue`?');
    const e = single('unknown-measure', `kpi k { numerator region }\n`, 'region }');
    expect(e.help).toContain('a KPI combines measures');
  });

  it('missing-numerator and conflicting-items', () => {
    single('missing-numerator', `kpi k { title "x" }\n`, 'k {');
    single('conflicting-items', `kpi k { numerator revenue  value other_kpi }\n`, 'value');
  });

  it('invalid-expression: a numerator is arithmetic over measures', () => {
    single('invalid-expression', `kpi k { numerator revenue > 3 }\n`, 'revenue > 3');
  });

  it('duplicate-item: a KPI item given twice', () => {
    single('duplicate-item', `kpi k { numerator revenue\n  numerator order_count }\n`, 'numerator order_count');
  });

  it('invalid-value: words from their lists', () => {
    const d = single('invalid-value', `kpi k { numerator revenue  grain montly }\n`, 'montly');
    expect(d.help).toBe('did you mean `month`?');
  });

  it('invalid-number: min_sample is a whole number', () => {
    single('invalid-number', `kpi k { numerator revenue  min_sample 2.5 }\n`, '2.5');
  });

  it('unknown-kpi for replaced_by', () => {
    const d = single(
      'unknown-kpi',
      `kpi revenue_total { numerator revenue }\nkpi k { numerator revenue  status deprecated  replaced_by revenue_totl }\n`,
      'revenue_totl',
    );
    expect(d.help).toBe('did you mean `revenue_total`?');
  });

  it('unknown-dimension: a segment nobody has, with did-you-mean', () => {
    const d = single('unknown-dimension', `kpi k { numerator revenue  segment by teir }\n`, 'teir');
    expect(d.help).toBe('did you mean `tier`?');
  });

  it('unknown-dimension: a segment no measure source reaches', () => {
    const d = single(
      'unknown-dimension',
      `source stores from "data/stores.csv" { key store_id  dimension region_name = region }\nkpi k { numerator revenue  segment by region_name }\n`,
      'region_name }',
    );
    expect(d.message).toContain('`stores`');
  });

  it('accepts a where on a name only some measure sources reach', () => {
    const extra = `source subscriptions from "data/subscriptions.csv" { key subscription_id  customer customer_id  measure renewals = count() }
kpi k { numerator revenue  denominator renewals  where status = "paid" and tier = "gold"  segment by tier }\n`;
    const { diagnostics, value } = run(extra);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(value.kpis.get('k')!.where).toMatchObject({ kind: 'binary', op: 'and' });
  });
});

describe('project settings', () => {
  it('unknown-timezone in kpic.yaml with did-you-mean', () => {
    const { diagnostics, value } = run('', { timezone: 'Europe/Pari' });
    const d = diagnostics.find((x) => x.code === 'unknown-timezone')!;
    expect({ file: d.file, line: d.span.start.line, column: d.span.start.column }).toEqual({
      file: 'kpic.yaml',
      line: 1,
      column: 1,
    });
    expect(d.help).toBe('did you mean `Europe/Paris`?');
    expect(value.timezone).toBe('UTC');
  });
});
