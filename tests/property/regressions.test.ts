// Counterexamples the properties found, shrunk and pinned. Each states the
// correct behaviour; `it.fails` marks a bug still open elsewhere (see
// docs/reliability.md), so the day it is fixed this file says so.

import { describe, expect, it } from 'vitest';
import { lintModel } from '../../compiler/lint/lint.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { catalogFromEntries, EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { formatFile } from '../../compiler/syntax/format.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';

const CUSTOMERS = 'customer customers from "c.csv" {\n  key customer_id\n  dimension tier\n  measure n = count()\n}\n';

function model(text: string) {
  const parsed = parseFile(text, 'a.kpi');
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return resolveProject([parsed.value], EMPTY_CATALOG, {});
}

describe('pinned counterexamples', () => {
  // Found by "the whole compiler never throws on a token soup": ["", "kpi k1 {\n  numerator 0.0\n}\n"].
  it('a KPI whose numerator has no measure gets diagnostics from compile, not a TypeError', () => {
    const resolved = model(`${CUSTOMERS}kpi k1 {\n  numerator 0.0\n}\n`);
    const compiled = compileQuery(resolved.value, { kpi: 'k1' }, { dataRoot: '/d' });
    expect(compiled.diagnostics.map((d) => d.code)).toContain('kpi-without-measure');
  });

  it('a KPI whose numerator has no measure has no customer reference (lint error)', () => {
    const resolved = model(`${CUSTOMERS}kpi k1 {\n  owner "x"\n  numerator 0.0\n}\n`);
    const found = [...resolved.diagnostics, ...lintModel(resolved.value)].map((d) => d.code);
    expect(found).toContain('customer-reference');
  });

  // Found by `npm run fuzz -- --cases 1000 --seed 20240331`: ["", "kpi k1 {\n  value abs(0%)\n}\n"].
  it('a derived KPI whose value names no KPI gets diagnostics from the resolver, not a TypeError', () => {
    const resolved = model(`${CUSTOMERS}kpi k1 {\n  value abs(0%)\n}\n`);
    expect(resolved.diagnostics.map((d) => d.code)).toContain('derived-without-kpi');
    expect(() => compileQuery(resolved.value, { kpi: 'k1' }, { dataRoot: '/d' })).not.toThrow();
  });

  // The parser takes 5,000 terms without recursion (docs/syntax.md); the stages after it must too.
  const wide = `${CUSTOMERS}kpi wide {\n  numerator ${Array.from({ length: 5000 }, () => 'n').join(' + ')}\n}\n`;
  const wideWhere = `${CUSTOMERS.replace('count()', `count() where ${Array.from({ length: 5000 }, (_, i) => `tier = "t${i}"`).join(' or ')}`)}`;

  it('resolving a 5,000-term numerator does not overflow the stack', () => {
    expect(() => model(wide)).not.toThrow();
  });

  it('resolving a 5,000-term measure filter does not overflow the stack', () => {
    expect(() => model(wideWhere)).not.toThrow();
  });

  it('formatting a 5,000-term expression does not overflow the stack', () => {
    const formatted = formatFile(wide, 'a.kpi').value ?? '';
    expect(formatted.match(/\bn\b/g)?.length).toBe(5001);
  });

  // Found by "the whole compiler never throws on a token soup": a source named
  // like a real one but left out of the model (no key) shadows it.
  it('a dimension naming a source left out of the model does not crash compile', () => {
    const text = `source orders from customers {\n  customer customer_id\n}\n\n${CUSTOMERS.replace('measure n = count()', 'dimension first_order_at = min(orders.ordered_at)\n  measure n = count() where first_order_at is not null')}\nsource orders from "o.csv" {\n  key order_id\n  customer customer_id\n  time ordered_at\n}\n\nkpi k {\n  numerator n\n}\n`;
    const resolved = resolveProject([parseFile(text, 'a.kpi').value], EMPTY_CATALOG, {});
    expect(() => compileQuery(resolved.value, { kpi: 'k' }, { dataRoot: '/d' })).not.toThrow();
  });

  // Found by the differential test: a KPI filter on a plain column of one
  // measure's source, when another measure's source lacks it (semantics.md:
  // "a name is accepted when at least one of those sources resolves it").
  it('a KPI where on a column of one of its measure sources compiles', () => {
    const text = `${CUSTOMERS}\nsource events from "e.csv" {\n  key event_id\n  customer customer_id\n  time ts\n  measure e = count()\n}\n\nkpi k {\n  numerator n + e\n  where amount > 0\n}\n`;
    const catalog = catalogFromEntries(
      new Map([
        ['file:c.csv', { ok: true, columns: [column('customer_id', 'integer'), column('tier', 'text')] }],
        [
          'file:e.csv',
          {
            ok: true,
            columns: [
              column('event_id', 'integer'),
              column('customer_id', 'integer'),
              column('ts', 'timestamp'),
              column('amount', 'integer'),
            ],
          },
        ],
      ]),
    );
    const resolved = resolveProject([parseFile(text, 'a.kpi').value], catalog, {});
    expect(resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The resolver accepts it; the planner then refuses it with unknown-dimension at `amount`.
    const compiled = compileQuery(resolved.value, { kpi: 'k' }, { dataRoot: '/d' });
    expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([]);
  });
});

function column(name: string, type: 'integer' | 'text' | 'timestamp') {
  return { name, type, sqlType: type.toUpperCase() };
}
