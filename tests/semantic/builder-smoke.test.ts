// Resolution of hand-built ASTs: does not depend on the parser.

import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { listRelations } from '../../compiler/semantic/relations.ts';
import { EXAMPLE_CATALOG } from './catalog-fixture.ts';
import * as b from './ast-builder.ts';

function exampleFile() {
  return b.file('metrics/example.kpi', [
    b.source(
      'customers',
      b.fileRef('data/customers.csv'),
      [
        b.key('customer_id'),
        b.time('signup_date'),
        b.dims('tier', 'region'),
        b.measure('customer_count', b.call('count')),
      ],
      true,
    ),
    b.source('surveys', b.fileRef('data/surveys.csv'), [
      b.key('response_id'),
      b.customerLink('customer_id'),
      b.time('responded_at'),
      b.check(b.between(b.ref('nps'), b.num('0'), b.num('10'))),
      b.measure('responses', b.call('count')),
      b.measure('promoters', b.call('count'), { where: b.bin('>=', b.ref('nps'), b.num('9')) }),
      b.measure('detractors', b.call('count'), { where: b.bin('<=', b.ref('nps'), b.num('6')) }),
    ]),
    b.source('subscriptions', b.fileRef('data/subscriptions.parquet'), [
      b.key('subscription_id'),
      b.customerLink('customer_id'),
      b.valid('started_at', 'ended_at'),
      b.measure('active_at_start', b.call('count_distinct', b.ref('customer_id')), {
        at: { value: 'start', span: b.span() },
      }),
      b.measure('churned', b.call('count_distinct', b.ref('customer_id')), {
        where: b.not(b.ref('renewed')),
        time: b.name('ended_at'),
      }),
    ]),
    b.kpi('nps', [
      b.kexpr('numerator', b.bin('-', b.ref('promoters'), b.ref('detractors'))),
      b.kexpr('denominator', b.ref('responses')),
      b.segment('tier', 'region'),
      b.kword('grain', 'month'),
      b.threshold('target', '>=', b.num('40')),
      b.threshold('critical', '<', b.num('20'), b.bin('=', b.ref('region'), b.str('EMEA'))),
    ]),
    b.kpi('logo_churn', [
      b.kexpr('numerator', b.ref('churned')),
      b.kexpr('denominator', b.ref('active_at_start')),
      b.threshold('warn', '>', b.num('2', true)),
      b.threshold('critical', '>', b.num('5', true)),
    ]),
  ]);
}

describe('resolveProject over built ASTs', () => {
  it('resolves the complete example without diagnostics', () => {
    const { value: model, diagnostics } = resolveProject([exampleFile()], EXAMPLE_CATALOG, {});
    expect(diagnostics).toEqual([]);
    expect(model.customer).toBe('customers');
    expect([...model.measures.keys()]).toEqual([
      'customer_count',
      'responses',
      'promoters',
      'detractors',
      'active_at_start',
      'churned',
    ]);
    const nps = model.kpis.get('nps')!;
    expect(nps.measures).toEqual(['detractors', 'promoters', 'responses']);
    expect(nps.customerPaths.map((p) => [p.measure, p.path.map((l) => `${l.from}->${l.to}`)])).toEqual([
      ['detractors', ['surveys->customers']],
      ['promoters', ['surveys->customers']],
      ['responses', ['surveys->customers']],
    ]);
    expect(model.kpis.get('logo_churn')!.thresholds.map((t) => t.value)).toEqual(['0.02', '0.05']);
    expect(model.measures.get('churned')).toMatchObject({
      time: 'ended_at',
      side: 'customer',
      sideExplicit: false,
      type: 'integer',
    });
    expect(model.measures.get('active_at_start')).toMatchObject({ at: 'start' });
    expect(model.measures.get('active_at_start')!.time).toBeUndefined();
    expect(model.sources.get('surveys')!.checks.map((c) => c.name)).toEqual(['check_1']);
  });

  it('lists the relations, sorted and distinct', () => {
    expect(
      listRelations([exampleFile(), exampleFile()]).map((r) => (r.kind === 'file' ? `${r.path}:${r.format}` : r.table)),
    ).toEqual(['data/customers.csv:csv', 'data/subscriptions.parquet:parquet', 'data/surveys.csv:csv']);
  });
});
