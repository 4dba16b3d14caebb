import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/syntax/format.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { languageExample, withoutSpans } from './helpers.ts';

function format(text: string): string {
  const result = formatFile(text, 'test.kpi');
  expect(result.diagnostics).toEqual([]);
  expect(result.value).toBeDefined();
  return result.value!;
}

/** The properties every formatted file has. */
function checkFormatted(text: string): void {
  const before = parseFile(text, 'test.kpi');
  const once = format(text);
  expect(format(once)).toBe(once);
  const after = parseFile(once, 'test.kpi');
  expect(after.diagnostics).toEqual([]);
  expect(withoutSpans(after.value.declarations)).toEqual(withoutSpans(before.value.declarations));
  expect(after.value.comments.map((c) => c.text.trimEnd())).toEqual(before.value.comments.map((c) => c.text.trimEnd()));
}

describe('formatFile', () => {
  it('lays out the canonical form', () => {
    const text =
      "KPI  nps{grain   Month  TARGET>=40\n   numerator (a+b)*c-  -d\nwhere x NOT IN (1,2) AND NOT (y OR z)}\nsource s from 'a.csv' { measure m=sum( x )where y   side   company\n}";
    expect(format(text)).toBe(
      [
        'kpi nps {',
        '  grain Month',
        '  target >= 40',
        '  numerator (a + b) * c - -d',
        '  where x not in (1, 2) and not (y or z)',
        '}',
        '',
        'source s from "a.csv" {',
        '  measure m = sum(x) where y side company',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps only the parentheses precedence needs', () => {
    const cases: [string, string][] = [
      ['((a))', 'a'],
      ['a - (b - c)', 'a - (b - c)'],
      ['(a - b) - c', 'a - b - c'],
      ['-(a * b)', '-(a * b)'],
      ['- -a', '-(-a)'],
      ['not (a and b)', 'not (a and b)'],
      ['(not a) and b', 'not a and b'],
      ['(a = b) is null', 'a = b is null'],
      ['a = (b is null)', 'a = (b is null)'],
      ['(not a) is null', '(not a) is null'],
      ['a between (b + 1) and (c * 2)', 'a between b + 1 and c * 2'],
      ['a between (x or y) and 2', 'a between (x or y) and 2'],
      ['a * (not b)', 'a * (not b)'],
      ['(a or b) and c', '(a or b) and c'],
    ];
    for (const [input, output] of cases) {
      expect(format(`kpi k {\n  value ${input}\n}`)).toBe(`kpi k {\n  value ${output}\n}\n`);
    }
  });

  it('re-quotes strings and normalises literals', () => {
    expect(
      format(
        `kpi k {\n  title 'it\\'s "x"\\t'\n  window 1 DAYS\n  where d > DATE '2024-01-01' and e = TRUE and f IS NOT NULL\n}`,
      ),
    ).toBe(
      'kpi k {\n  title "it\'s \\"x\\"\\t"\n  window 1 day\n  where d > date "2024-01-01" and e = true and f is not null\n}\n',
    );
  });

  it('keeps names as written, backticks included', () => {
    expect(format('kpi `My KPI` {\n  numerator `a``b` + Tier + orders.`end`\n}')).toBe(
      'kpi `My KPI` {\n  numerator `a``b` + Tier + orders.`end`\n}\n',
    );
  });

  it('places comments: before what follows, trailing at the end of their line', () => {
    const text = [
      '# file header',
      '',
      '',
      '# about nps',
      'kpi nps { # opening',
      '  # about grain',
      '  grain month   # trailing',
      '',
      '',
      '  numerator a +   # inside',
      '    b',
      '  # last words',
      '}  # closing',
      '# the end',
    ].join('\n');
    expect(format(text)).toBe(
      [
        '# file header',
        '',
        '# about nps',
        'kpi nps {  # opening',
        '  # about grain',
        '  grain month  # trailing',
        '',
        '  # inside',
        '  numerator a + b',
        '  # last words',
        '}  # closing',
        '# the end',
        '',
      ].join('\n'),
    );
  });

  it('separates declarations by exactly one blank line', () => {
    expect(format('kpi a {}\n\n\n\nkpi b {}\nkpi c {}')).toBe('kpi a {\n}\n\nkpi b {\n}\n\nkpi c {\n}\n');
  });

  it('formats nothing as nothing, and comments alone as comments', () => {
    expect(format('')).toBe('');
    expect(format('  # only\n\n#two  ')).toBe('# only\n\n#two\n');
  });

  it('does not format a file with syntax errors', () => {
    const result = formatFile('kpi a {\n  grain\n}', 'a.kpi');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
  });

  it('round-trips the language.md example unchanged but for alignment', () => {
    const example = languageExample();
    checkFormatted(example);
    const formatted = format(example);
    // The example aligns `=` and comments with extra spaces; canonical spacing is single.
    const squeeze = (text: string) =>
      text
        .replace(/(?<=\S) +/g, ' ')
        .replace(/ #/g, '  #')
        .trim();
    expect(formatted.trim()).toBe(squeeze(example));
  });
});

// ---------------------------------------------------------------- generated files

const ident = fc.constantFrom(
  'a',
  'tier',
  'region',
  'x1',
  'Time',
  'key',
  'status',
  'month',
  '`Total Charges`',
  '`end`',
  'orders.amount',
  'c.`end`',
);
const literal = fc.constantFrom(
  '1',
  '2.5',
  '5%',
  '"s"',
  "'it\\'s'",
  'true',
  'null',
  'date "2024-01-01"',
  '7 days',
  '1 week',
);
const binaryOp = fc.constantFrom('+', '-', '*', '/', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'like');
const spacing = fc.constantFrom(' ', ' ', ' ', '  ', '\n      ', ' # c\n      ');

const { expr } = fc.letrec<{ expr: string; arith: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident,
    literal,
    fc.tuple(tie('expr'), binaryOp, tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('expr').map((a) => `not ${a}`),
    tie('expr').map((a) => `-${a}`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `${a} is not null`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} not in (${b}, 1)`),
    fc.tuple(tie('expr'), tie('arith'), tie('arith')).map(([a, l, h]) => `${a} between ${l} and ${h}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `coalesce(${a}, ${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `case when ${a} then ${b} else 0 end`),
  ),
  arith: fc.oneof(
    ident,
    literal,
    fc.tuple(tie('arith'), fc.constantFrom('+', '*'), tie('arith')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('expr').map((a) => `(${a})`),
  ),
}));

const kpiItem = fc.oneof(
  fc.constantFrom(
    'title "T"',
    "owner 'cs'",
    'grain month',
    'direction higher',
    'scale 100',
    'window 28 days',
    'tags "a", "b"',
    'replaced_by other',
    'segment by tier, customers.region',
    'critical > 5%',
    'version 2',
  ),
  expr.map((e) => `numerator ${e}`),
  expr.map((e) => `where ${e}`),
  expr.map((e) => `target >= -3 for ${e}`),
);

const sourceItem = fc.oneof(
  fc.constantFrom(
    'key id',
    'customer customer_id',
    'join accounts on account_id = id',
    'time created_at',
    'valid from a to b',
    'dimension tier, region internal',
    'description "d"',
  ),
  fc
    .tuple(expr, fc.subarray(['where x > 1', 'time t', 'cumulative', 'at period end', 'side company']))
    .map(([e, mods]) => `measure m = sum(${e}) ${mods.join(' ')}`),
  fc.tuple(expr, expr).map(([a, b]) => `dimension d = ${a} where ${b}`),
  expr.map((e) => `check ${e} as positive`),
);

/** Joins the words of a line with random spacing. */
const spaced = (line: string) =>
  fc.array(spacing, { minLength: 80, maxLength: 80 }).map((gaps) =>
    line
      .split(' ')
      .map((word, index) => (index === 0 ? word : `${gaps[index % gaps.length]}${word}`))
      .join(''),
  );

const itemSeparator = fc.constantFrom('\n  ', '\n  ', '\n\n  ', '\n  # note\n  ', '  # trailing\n  ');

const declaration = fc.oneof(
  fc
    .tuple(fc.array(kpiItem.chain(spaced), { maxLength: 5 }), fc.array(itemSeparator, { minLength: 5, maxLength: 5 }))
    .map(([items, seps]) => `kpi k {${items.map((item, i) => `${seps[i]}${item}`).join('')}\n}`),
  fc
    .tuple(
      fc.array(sourceItem.chain(spaced), { maxLength: 5 }),
      fc.array(itemSeparator, { minLength: 5, maxLength: 5 }),
    )
    .map(([items, seps]) => `source s from "s.csv" {${items.map((item, i) => `${seps[i]}${item}`).join('')}\n}`),
);

const file = fc
  .tuple(
    fc.array(declaration, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('\n', '\n\n', '\n# between\n', '\n\n\n'),
  )
  .map(([declarations, separator]) => declarations.join(separator));

describe('formatter properties', () => {
  it('generated files: idempotent, same AST, every comment kept in order', () => {
    fc.assert(
      fc.property(file, (text) => {
        const parsed = parseFile(text, 'test.kpi');
        fc.pre(parsed.diagnostics.length === 0);
        checkFormatted(text);
      }),
      { numRuns: 150 },
    );
  });

  it('generated files mostly parse (the property above is not vacuous)', () => {
    const samples = fc.sample(file, { numRuns: 100, seed: 7 });
    const clean = samples.filter((text) => parseFile(text, 'test.kpi').diagnostics.length === 0);
    expect(clean.length).toBeGreaterThan(50);
  });

  it('mutations of the example: re-spaced, re-cased, commented', () => {
    const example = languageExample();
    const mutation = fc.tuple(
      fc.nat(example.length),
      fc.constantFrom('\n    ', '  ', '\n\n', ' # added\n    ', '\n# own line\n'),
    );
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 8 }), fc.boolean(), (edits, upper) => {
        let text = upper
          ? example.replace(/\b(kpi|source|measure|where|target|grain|key)\b/g, (w) => w.toUpperCase())
          : example;
        for (const [at, insert] of edits) {
          // Insert only where a space already separates two tokens outside strings and comments.
          const space = text.indexOf(' ', at);
          if (space < 0) continue;
          const lineStart = text.lastIndexOf('\n', space) + 1;
          const before = text.slice(lineStart, space);
          if (before.includes('#') || (before.split('"').length - 1) % 2 === 1) continue;
          text = text.slice(0, space) + insert + text.slice(space + 1);
        }
        const parsed = parseFile(text, 'test.kpi');
        fc.pre(parsed.diagnostics.length === 0);
        checkFormatted(text);
      }),
      { numRuns: 120 },
    );
  });
});
