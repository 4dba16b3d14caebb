// The formatter's line breaking: long items break at their operators,
// short ones stay on one line, and the output always means the same.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/syntax/format.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { withoutSpans } from './helpers.ts';

function format(text: string): string {
  const result = formatFile(text, 'test.kpi');
  expect(result.diagnostics).toEqual([]);
  expect(result.value).toBeDefined();
  return result.value!;
}

/** Formats, and checks the result is stable and means what the input meant. */
function formatChecked(text: string): string {
  const once = format(text);
  expect(format(once)).toBe(once);
  const before = parseFile(text, 'test.kpi');
  const after = parseFile(once, 'test.kpi');
  expect(after.diagnostics).toEqual([]);
  expect(withoutSpans(after.value.declarations)).toEqual(withoutSpans(before.value.declarations));
  return once;
}

const source = (...items: string[]) => `source s from "s.csv" {\n${items.map((i) => `  ${i}\n`).join('')}}\n`;

describe('formatter line breaking', () => {
  it('breaks a long `or` of `and`s one operand per line, each parenthesised', () => {
    const text = source(
      'check (survey_type = "nps" and score between 0 and 10)',
      '     or (survey_type = "csat" and score between 1 and 5)',
      '     or (survey_type = "ces" and score between 1 and 7) as score_in_scale',
    ).replace(/\n {2}( +or)/g, '\n$1');
    expect(formatChecked(text)).toBe(
      source(
        'check (survey_type = "nps" and score between 0 and 10)',
        '  or (survey_type = "csat" and score between 1 and 5)',
        '  or (survey_type = "ces" and score between 1 and 7) as score_in_scale',
      ),
    );
  });

  it('parenthesises an `and` under `or` even when short, and keeps short items on one line', () => {
    expect(formatChecked(source('check a = 1 and b = 2 or c and d or e'))).toBe(
      source('check (a = 1 and b = 2) or (c and d) or e'),
    );
    expect(formatChecked(source('check a or (b or c)'))).toBe(source('check a or (b or c)'));
    expect(formatChecked(source('check (a or b) and c'))).toBe(source('check (a or b) and c'));
  });

  it('breaks a nested chain further right than the chain it is in', () => {
    const text = source(
      'measure big = count() where (country_code = "DE" and amount > 100) or (country_code = "FR" and amount > 200 and status_of_order != "returned") time ordered_at cumulative',
    );
    expect(formatChecked(text)).toBe(
      source(
        'measure big = count()',
        '  where (country_code = "DE" and amount > 100)',
        '    or (country_code = "FR" and amount > 200 and status_of_order != "returned")',
        '  time ordered_at',
        '  cumulative',
      ),
    );
    const deeper = source(
      `check x or (${Array.from({ length: 6 }, (_, i) => `a_rather_long_column_${i} = ${i}`).join(' and ')})`,
    );
    expect(formatChecked(deeper)).toBe(
      source(
        'check x',
        '  or (a_rather_long_column_0 = 0',
        '    and a_rather_long_column_1 = 1',
        '    and a_rather_long_column_2 = 2',
        '    and a_rather_long_column_3 = 3',
        '    and a_rather_long_column_4 = 4',
        '    and a_rather_long_column_5 = 5)',
      ),
    );
  });

  it('moves measure modifiers to their own lines only when the measure is too long', () => {
    expect(formatChecked(source('measure m = sum(x) where y > 1 time t cumulative'))).toBe(
      source('measure m = sum(x) where y > 1 time t cumulative'),
    );
    expect(
      formatChecked(
        source(
          'measure contraction_mrr = sum(previous_mrr - mrr) where previous_mrr is not null and mrr < previous_mrr',
        ),
      ),
    ).toBe(
      source(
        'measure contraction_mrr = sum(previous_mrr - mrr)',
        '  where previous_mrr is not null and mrr < previous_mrr',
      ),
    );
  });

  it('puts each `case` arm on its own line with `end` under the item', () => {
    const text = source(
      'dimension tenure_band = case when tenure < 12 then "0-11 months" when tenure < 24 then "12-23 months" when tenure < 48 then "24-47 months" else "48+ months" end',
    );
    expect(formatChecked(text)).toBe(
      source(
        'dimension tenure_band = case',
        '    when tenure < 12 then "0-11 months"',
        '    when tenure < 24 then "12-23 months"',
        '    when tenure < 48 then "24-47 months"',
        '    else "48+ months"',
        '  end',
      ),
    );
    expect(formatChecked(source('dimension b = case when x then 1 else 2 end'))).toBe(
      source('dimension b = case when x then 1 else 2 end'),
    );
  });

  it('wraps long call arguments one per line and long `in` lists where they must', () => {
    const call = source(
      'dimension label = concat(first_name_of_customer, " ", last_name_of_customer, " (", country_code_of_customer, ")")',
    );
    expect(formatChecked(call)).toBe(
      source(
        'dimension label = concat(',
        '    first_name_of_customer,',
        '    " ",',
        '    last_name_of_customer,',
        '    " (",',
        '    country_code_of_customer,',
        '    ")"',
        '  )',
      ),
    );
    const list = source(
      'check status_of_order in ("placed", "shipped", "completed", "return_pending", "returned", "lost", "cancelled", "refunded") as known',
    );
    expect(formatChecked(list)).toBe(
      source(
        'check status_of_order in (',
        '    "placed", "shipped", "completed", "return_pending", "returned", "lost", "cancelled",',
        '    "refunded"',
        '  ) as known',
      ),
    );
  });

  it('breaks a threshold `for` and a KPI `where` like other predicates', () => {
    const text = `kpi k {\n  target >= 40 for customers.region = "EMEA" and customers.tier in ("gold", "platinum") and customers.signed_up_at > date "2024-01-01"\n}`;
    expect(formatChecked(text)).toBe(
      [
        'kpi k {',
        '  target >= 40',
        '    for customers.region = "EMEA"',
        '      and customers.tier in ("gold", "platinum")',
        '      and customers.signed_up_at > date "2024-01-01"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps a trailing comment at the end of a broken item, and a comment inside it before it', () => {
    const text = source(
      'check (survey_type = "nps" and score between 0 and 10)  # inside',
      '  or (survey_type = "csat" and score between 1 and 5) or (survey_type = "ces" and score between 1 and 7) as in_scale  # after',
    );
    expect(formatChecked(text)).toBe(
      source(
        '# inside',
        'check (survey_type = "nps" and score between 0 and 10)',
        '  or (survey_type = "csat" and score between 1 and 5)',
        '  or (survey_type = "ces" and score between 1 and 7) as in_scale  # after',
      ),
    );
  });

  it('breaks before an argument named `source` or `kpi` without starting a declaration', () => {
    // Only a line between items can start a declaration; inside an expression these are columns.
    const text = source(
      'dimension label = concat(source, " ", a_rather_long_column_name, " ", another_rather_long_column_name, kpi)',
    );
    expect(formatChecked(text)).toContain('\n      source,\n');
  });

  it('formats a 5,000-term chain, one operand per line, without running out of stack', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `c${i} = ${i}`).join(' or ');
    const lines = format(`kpi k {\n  where ${chain}\n}\n`).split('\n');
    expect(lines.length).toBe(5003);
    expect(lines[1]).toBe('  where c0 = 0');
    expect(lines[5000]).toBe('    or c4999 = 4999');
  });

  it('formats parentheses nested as deep as the parser allows', () => {
    const deep = `${'('.repeat(250)}a_long_enough_name or another_long_name${')'.repeat(250)} and ${'x'.repeat(60)}`;
    expect(formatChecked(`kpi k {\n  where ${deep}\n}\n`)).toBe(
      `kpi k {\n  where (a_long_enough_name or another_long_name)\n    and ${'x'.repeat(60)}\n}\n`,
    );
  });

  it('breaks nothing an item cannot break: long strings stay whole', () => {
    const long = `description "${'x'.repeat(120)}"`;
    expect(formatChecked(source(long))).toBe(source(long));
  });
});

// ---------------------------------------------------------------- generated long expressions

const atom = fc.constantFrom(
  'a_fairly_long_column_name',
  'status',
  'orders.amount_in_dollars',
  '`Total Charges`',
  '12.5',
  '"a string value"',
  'null',
  'date "2024-01-01"',
);
const { longExpr } = fc.letrec<{ longExpr: string }>((tie) => ({
  longExpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc
      .tuple(tie('longExpr'), fc.constantFrom('and', 'or', '+', '-', '*', '/', '=', '<'), tie('longExpr'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('longExpr').map((a) => `(${a})`),
    tie('longExpr').map((a) => `not ${a}`),
    fc.tuple(tie('longExpr'), tie('longExpr'), tie('longExpr')).map(([a, b, c]) => `coalesce(${a}, ${b}, ${c})`),
    fc
      .tuple(tie('longExpr'), fc.array(atom, { minLength: 1, maxLength: 8 }))
      .map(([a, values]) => `${a} in (${values.join(', ')})`),
    fc
      .tuple(tie('longExpr'), tie('longExpr'), tie('longExpr'))
      .map(([a, b, c]) => `case when ${a} then ${b} when ${c} then 1 else ${a} end`),
  ),
}));
const longItem = fc.oneof(
  longExpr.map((e) => `source s from "s.csv" {\n  check ${e} as named\n  measure m = sum(${e}) where ${e} time t\n}`),
  longExpr.map((e) => `kpi k {\n  value ${e}\n  where ${e}\n  target >= 1 for ${e}\n}`),
);

describe('formatter line breaking, generated', () => {
  it('long expressions: same AST, idempotent, continuation lines further right than their item', () => {
    fc.assert(
      fc.property(longItem, (text) => {
        fc.pre(parseFile(text, 'test.kpi').diagnostics.length === 0);
        const formatted = formatChecked(text);
        const lines = formatted.split('\n');
        let itemColumn = 0;
        for (const l of lines) {
          if (l === '' || l === '}' || /^(kpi|source) /.test(l)) continue;
          const column = l.length - l.trimStart().length;
          if (/^ {2}(check|measure|value|where|target) /.test(l)) itemColumn = column;
          else expect(column).toBeGreaterThan(itemColumn);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('long expressions really break (the property above is not vacuous)', () => {
    const samples = fc
      .sample(longItem, { numRuns: 60, seed: 11 })
      .filter((text) => parseFile(text, 'test.kpi').diagnostics.length === 0);
    const broken = samples.filter((text) => format(text).split('\n').length > text.split('\n').length);
    expect(broken.length).toBeGreaterThan(10);
  });
});
