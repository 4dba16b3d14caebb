// The resolver never throws, whatever the AST, and does not depend on the
// order of the files; it stays fast on large projects.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import type * as A from '../../compiler/syntax/ast.ts';
import { EXAMPLE_CATALOG } from './catalog-fixture.ts';
import * as b from './ast-builder.ts';

const NAMES = [
  'customers',
  'orders',
  'surveys',
  'customer_id',
  'order_id',
  'amount',
  'tier',
  'nps',
  'ordered_at',
  'x',
  'count',
  'sum',
  'date_trunc',
  'month',
  'Customers',
];
const nameArb = fc.constantFrom(...NAMES);

const exprArb: fc.Arbitrary<A.Expr> = fc.letrec<{ expr: A.Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nameArb.map((n) => b.ref(n)),
    fc.tuple(nameArb, nameArb).map(([q, n]) => b.ref(`${q}.${n}`)),
    fc.constantFrom('0', '1', '2.5', '9').map((t) => b.num(t)),
    fc.constantFrom('gold', '2024-01-01', 'month').map((s) => b.str(s)),
    fc
      .tuple(fc.constantFrom<A.BinaryOp>('+', '-', '*', '/', '=', '<', 'and', 'or', 'like'), tie('expr'), tie('expr'))
      .map(([op, l, r]) => b.bin(op, l, r)),
    tie('expr').map((e) => b.not(e)),
    fc.tuple(nameArb, fc.array(tie('expr'), { maxLength: 3 })).map(([f, args]) => b.call(f, ...args)),
  ),
})).expr;

const itemArb: fc.Arbitrary<A.SourceItem> = fc.oneof(
  nameArb.map((n) => b.key(n)),
  nameArb.map((n) => b.customerLink(n)),
  fc.tuple(nameArb, nameArb).map(([t, c]) => b.join(t, c)),
  nameArb.map((n) => b.time(n)),
  fc.array(nameArb, { minLength: 1, maxLength: 2 }).map((ns) => b.dims(...ns)),
  fc.tuple(nameArb, exprArb, fc.option(exprArb, { nil: undefined })).map(([n, e, w]) => b.dim(n, e, w)),
  fc
    .tuple(nameArb, exprArb, fc.option(exprArb, { nil: undefined }))
    .map(([n, e, w]) => b.measure(n, e, w ? { where: w } : {})),
  exprArb.map((e) => b.check(e)),
);

const refArb: fc.Arbitrary<A.SourceRef> = fc.oneof(
  fc
    .constantFrom('data/customers.csv', 'data/orders.csv', 'data/surveys.csv', '../x.csv', 'x.txt')
    .map((p) => b.fileRef(p)),
  nameArb.map((n) => b.sourceRef(n)),
);

const declArb: fc.Arbitrary<A.Declaration> = fc.oneof(
  fc
    .tuple(nameArb, refArb, fc.array(itemArb, { maxLength: 5 }), fc.boolean())
    .map(([n, r, items, c]) => b.source(n, r, items, c)),
  fc
    .tuple(nameArb, exprArb, fc.option(exprArb, { nil: undefined }), fc.array(nameArb, { maxLength: 2 }))
    .map(([n, num, den, segs]) =>
      b.kpi(n, [
        b.kexpr('numerator', num),
        ...(den ? [b.kexpr('denominator', den)] : []),
        ...(segs.length ? [b.segment(...segs)] : []),
      ]),
    ),
);

describe('robustness', () => {
  it('never throws and ignores file order, on random projects', () => {
    fc.assert(
      fc.property(fc.array(declArb, { maxLength: 6 }), fc.array(declArb, { maxLength: 6 }), (one, two) => {
        const files = [b.file('a.kpi', one), b.file('b.kpi', two)];
        const forward = resolveProject(files, EXAMPLE_CATALOG, {});
        const backward = resolveProject([...files].reverse(), EXAMPLE_CATALOG, {});
        expect(backward.diagnostics).toEqual(forward.diagnostics);
        for (const d of forward.diagnostics) {
          expect(d.message.length).toBeGreaterThan(0);
          expect(d.help, `${d.code}: ${d.message}`).toBeTruthy();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('survives holes in a malformed AST', () => {
    const broken = [
      {
        kind: 'file',
        path: 'x.kpi',
        declarations: [
          null,
          { kind: 'source' },
          { kind: 'kpi', name: b.name('k'), items: [null, { kind: 'kpi-expr', field: 'numerator' }] },
        ],
        comments: [],
        span: b.span(),
      },
    ] as unknown as A.KpiFile[];
    expect(() => resolveProject(broken, EXAMPLE_CATALOG, {})).not.toThrow();
  });
});

describe('performance', () => {
  it('resolves 1,000 KPIs in well under a second', () => {
    const sources = [
      b.source(
        'customers',
        b.fileRef('data/customers.csv'),
        [b.key('customer_id'), b.dims('tier', 'region'), b.measure('customer_count', b.call('count'))],
        true,
      ),
      b.source('orders', b.fileRef('data/orders.csv'), [
        b.key('order_id'),
        b.customerLink('customer_id'),
        b.time('ordered_at'),
        ...Array.from({ length: 100 }, (_, i) =>
          b.measure(`m${i}`, b.call('sum', b.ref('amount')), { where: b.bin('>', b.ref('amount'), b.num(String(i))) }),
        ),
      ]),
    ];
    const kpis = Array.from({ length: 1000 }, (_, i) =>
      b.kpi(`k${i}`, [
        b.kexpr('numerator', b.ref(`m${i % 100}`)),
        b.kexpr('denominator', b.ref('customer_count')),
        b.segment('tier', 'region'),
        b.kexpr('where', b.bin('=', b.ref('tier'), b.str('gold'))),
      ]),
    );
    const files = [b.file('a.kpi', [...sources, ...kpis])];
    let elapsed = Infinity;
    let result = resolveProject(files, EXAMPLE_CATALOG, {});
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      result = resolveProject(files, EXAMPLE_CATALOG, {});
      elapsed = Math.min(elapsed, performance.now() - start);
    }
    const { value, diagnostics } = result;
    expect(diagnostics).toEqual([]);
    expect(value.kpis.size).toBe(1000);
    expect(elapsed).toBeLessThan(400);
  });
});
