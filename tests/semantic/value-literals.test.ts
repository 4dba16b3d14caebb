// The compiler's half of `unknown-value`: which literals are compared with
// which columns, and how each is judged against values handed in by hand.

import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../compiler/semantic/catalog.ts';
import { catalogFromEntries } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import {
  checkValueLiterals,
  columnsOfLiterals,
  valueLiteralsOfModel,
  valueLiteralsOfWhere,
} from '../../compiler/semantic/value-literals.ts';
import { parseExpression, parseFile } from '../../compiler/syntax/parse.ts';

const MODEL = `customer accounts from "accounts.csv" {
  key account_id
  dimension region
  dimension segment = Segment
}
source offices from "offices.csv" {
  key office_id
  customer account_id
  dimension region
  measure offices_count = count() where region in ("Emea", "AMER") and not (segment = "smb")
}
kpi offices {
  owner "x"
  numerator offices_count
  segment by region
  critical < 1 for region != "emea"
}
`;

const text = (name: string, sqlType = 'VARCHAR') => ({
  name,
  type: sqlType === 'VARCHAR' ? ('text' as const) : ('integer' as const),
  sqlType,
});

const catalog = catalogFromEntries(
  new Map<string, CatalogEntry>([
    ['file:accounts.csv', { ok: true, columns: [text('account_id', 'BIGINT'), text('region'), text('Segment')] }],
    [
      'file:offices.csv',
      { ok: true, columns: [text('office_id', 'BIGINT'), text('account_id', 'BIGINT'), text('region')] },
    ],
  ]),
);
const model = resolveProject([parseFile(MODEL, 'm.kpi').value], catalog, {}).value;

describe('the literals compared with columns', () => {
  it('are found in measures, thresholds and --where, with their column and place', () => {
    const found = valueLiteralsOfModel(model).map(
      (l) =>
        `${l.source}.${l.column} ${JSON.stringify(l.value)} ${l.negated ? '!=' : '='} ${l.span.start.line}:${l.span.start.column}`,
    );
    // `region` of the measure is the offices' own column; `segment` renames accounts.Segment;
    // the threshold's `region` may mean either source's dimension.
    expect(found.sort()).toEqual(
      [
        'offices.region "Emea" = 10:52',
        'offices.region "AMER" = 10:60',
        'accounts.Segment "smb" = 10:87',
        'accounts.region "emea" != 16:30',
        'offices.region "emea" != 16:30',
      ].sort(),
    );
    const where = parseExpression('region = "Amer" and unknown_name = "x"', '<query>').value!;
    expect(valueLiteralsOfWhere(model, where, '<query>').map((l) => `${l.source}.${l.column}`)).toEqual([
      'accounts.region',
      'offices.region',
    ]);
    expect(columnsOfLiterals(valueLiteralsOfModel(model)).map((c) => `${c.source}.${c.column}`)).toEqual([
      'accounts.region',
      'accounts.Segment',
      'offices.region',
    ]);
  });
});

describe('judging a literal', () => {
  const judge = (values: Record<string, string[] | undefined>) =>
    checkValueLiterals(model, valueLiteralsOfModel(model), (c) => values[`${c.source}.${c.column}`]).map(
      (d) => `${d.span.start.line}:${d.span.start.column} ${d.severity} ${d.message} | ${d.help}`,
    );

  it('prefers a value equal but for case, then the nearest spelling, then lists the values', () => {
    expect(
      judge({
        'offices.region': ['AMER', 'EMEA'],
        'accounts.region': ['AMER', 'EMEA'],
        'accounts.Segment': ['enterprise', 'mid-market'],
      }),
    ).toEqual([
      '10:52 warn "Emea" is not a value of `offices.region` in the data, so this comparison matches no row. | did you mean "EMEA"? (values compare with their case)',
      '10:87 warn "smb" is not a value of `accounts.Segment` in the data, so this comparison matches no row. | its values are: "enterprise", "mid-market"',
      '16:30 warn "emea" is not a value of `accounts.region` or `offices.region` in the data, so this comparison is true of every row. | did you mean "EMEA"? (values compare with their case)',
    ]);
  });

  it('a value one of the columns holds, or a column whose values are unknown, is not reported', () => {
    expect(
      judge({
        'offices.region': ['AMER', 'Emea'],
        'accounts.region': ['emea'],
        'accounts.Segment': undefined,
      }),
    ).toEqual([]);
  });
});
