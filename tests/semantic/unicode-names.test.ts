// Names compare after Unicode normalisation (NFC) and without regard to
// case: `café` typed as one code point or as `e` + a combining accent is one name.

import { describe, expect, it } from 'vitest';
import { bindExpr } from '../../compiler/semantic/bind.ts';
import { nameKey } from '../../compiler/semantic/names.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { catalogOf } from './catalog-fixture.ts';
import { expectOne, resolveTexts, summary } from './helpers.ts';

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';

const CATALOG = catalogOf({
  'file:c.csv': { customer_id: 'integer', tier: 'text', region: 'text', [`${NFC}_spend`]: 'integer' },
  'file:o.csv': { order_id: 'integer', customer_id: 'integer' },
});
const CUSTOMERS = (items: string) => `customer customers from "c.csv" {\n  key customer_id\n${items}}\n`;

describe('names after Unicode normalisation', () => {
  it('the two spellings differ as text but not as keys', () => {
    expect(NFC).not.toBe(NFD);
    expect(nameKey(NFD)).toBe(nameKey(NFC));
    expect(nameKey(`CAFE\u0301`)).toBe(NFC);
  });

  it('a dimension declared twice, NFC then NFD, is duplicate-name naming the first', () => {
    const text = CUSTOMERS(`  dimension \`${NFC}\` = tier\n  dimension \`${NFD}\` = region\n`);
    const { diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    const found = expectOne(diagnostics, 'duplicate-name', 'a.kpi', text, `\`${NFD}\``);
    expect(found.message).toContain('a.kpi:3:13');
  });

  it('sources, measures, KPIs and checks are keyed the same way', () => {
    const text =
      `${CUSTOMERS(`  measure \`n_${NFC}\` = count()\n  measure \`n_${NFD}\` = count()\n  check customer_id > 0 as \`c_${NFC}\`\n  check customer_id > 1 as \`c_${NFD}\`\n`)}` +
      `source \`o_${NFC}\` from "o.csv" { key order_id  customer customer_id }\nsource \`o_${NFD}\` from "o.csv" { key order_id }\n` +
      `kpi \`k_${NFC}\` { numerator \`n_${NFD}\` }\nkpi \`k_${NFD}\` { numerator \`n_${NFC}\` }\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['duplicate-name', 4],
      ['duplicate-name', 6],
      ['duplicate-name', 9],
      ['duplicate-name', 11],
    ]);
    // The KPI kept names the measure in the other spelling, and finds it.
    expect(model.kpis.get(`k_${NFC}`)?.measures).toEqual([`n_${NFC}`]);
  });

  it("references find a declaration written in the other spelling, and columns in the data's spelling", () => {
    const text = CUSTOMERS(
      `  dimension \`${NFD}\` = tier\n  measure gold = count() where \`${NFC}\` = "gold"\n  measure spend = sum(\`${NFD}_spend\`)\n`,
    );
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    expect(model.measures.get('gold')?.where).toMatchObject({ left: { kind: 'dimension', name: NFC } });
    // The SQL must name the column as the data spells it.
    expect(model.measures.get('spend')?.arg).toMatchObject({ kind: 'column', column: `${NFC}_spend` });
  });

  it('the model stores declared names in NFC, so a later `toLowerCase()` finds the key', () => {
    const text = `${CUSTOMERS(`  dimension \`${NFD}\` = tier\n  measure \`N_${NFD}\` = count()\n`)}kpi \`K_${NFD}\` {\n  numerator \`n_${NFC}\`\n  segment by \`${NFD}\`\n}\n`;
    const { value: model, diagnostics } = resolveTexts({ 'a.kpi': text }, CATALOG);
    expect(diagnostics.map(summary)).toEqual([]);
    const dimension = model.sources.get('customers')!.dimensions.get(NFC)!;
    expect(dimension.name).toBe(NFC);
    expect(model.measures.get(`n_${NFC}`)?.name).toBe(`N_${NFC}`);
    const kpi = model.kpis.get(`k_${NFC}`)!;
    expect(kpi.name.toLowerCase()).toBe(`k_${NFC}`);
    expect(kpi.segments.map((s) => s.name)).toEqual([NFC]);
  });

  it('bindExpr finds a dimension written in the other spelling', () => {
    const { value: model } = resolveTexts({ 'a.kpi': CUSTOMERS(`  dimension \`${NFC}\` = tier\n`) }, CATALOG);
    const bound = bindExpr(model, 'customers', parseExpression(`\`${NFD}\` = "gold"`, '<query>').value!, '<query>', {
      predicate: true,
    });
    expect(bound.diagnostics).toEqual([]);
    expect(bound.value).toMatchObject({ left: { kind: 'dimension', source: 'customers', name: NFC } });
  });
});
