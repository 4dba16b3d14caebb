// Random `.kpi` text: valid files from a small grammar (with comments,
// odd spacing and extra parentheses), token soups, and raw text.

import fc from 'fast-check';

const COLUMNS = [
  'tier',
  'region',
  'amount',
  'score',
  'status',
  'value',
  'key',
  '`Total Charges`',
  '`a``b`',
  'orders.amount',
  'customers.tier',
];
const FUNCTIONS: readonly [string, number][] = [
  ['coalesce', 2],
  ['abs', 1],
  ['round', 2],
  ['lower', 1],
  ['length', 1],
  ['contains', 2],
  ['if', 3],
  ['greatest', 3],
];
const KEYWORD_CASES = ['kpi', 'KPI', 'Kpi'];

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n' };

/** A string literal with characters that need escapes. */
export const stringLiteral = fc
  .array(fc.constantFrom('a', 'Z', ' ', '"', "'", '\\', '\t', '\n', 'é', '😀', '-', '#', '{', '$'), { maxLength: 12 })
  .map((chars) => `"${chars.map((c) => ESCAPES[c] ?? c).join('')}"`);

const number = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`),
  fc.nat({ max: 100 }).map((n) => `${n}%`),
);

const space = fc.constantFrom(' ', ' ', '  ', '\t');

/** A random expression, printed with optional extra parentheses and spacing. */
export const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...COLUMNS),
    number,
    stringLiteral,
    fc.constantFrom('true', 'false', 'null', 'date "2024-01-31"', 'timestamp "2024-01-31 12:00:00"'),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'like'),
        tie('expr'),
        space,
      )
      .map(([a, op, b, s]) => `${a}${s}${op}${s}${b}`),
    fc.tuple(fc.constantFrom('not ', '-', 'NOT '), tie('expr')).map(([op, a]) => `${op}${a}`),
    tie('expr').map((a) => `(${a})`),
    fc.tuple(tie('expr'), fc.boolean()).map(([a, not]) => `${a} is ${not ? 'not ' : ''}null`),
    fc
      .tuple(tie('expr'), fc.array(tie('expr'), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([a, list, not]) => `${a} ${not ? 'not ' : ''}in (${list.join(', ')})`),
    fc.tuple(fc.constantFrom(...COLUMNS), number, number).map(([a, lo, hi]) => `${a} between ${lo} and ${hi}`),
    fc
      .tuple(tie('expr'), tie('expr'), fc.option(tie('expr')))
      .map(([c, t, e]) => `case when ${c} then ${t}${e === null ? '' : ` else ${e}`} end`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { minLength: 3, maxLength: 3 }))
      .map(([[name, arity], args]) => `${name}(${args.slice(0, arity).join(', ')})`),
  ),
})).expr;

const comment = fc.constantFrom('# a comment', '#', '# TODO: "quoted" `ticks` { }', '#   spaced   ', '# ünïcödé ✓');
const trailing = fc.option(
  comment.map((c) => `  ${c}`),
  { nil: '' },
);

const measure = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.constantFrom(
      'count()',
      'count(amount)',
      'count_distinct(tier)',
      'sum(amount)',
      'avg(score)',
      'min(amount)',
      'max(score)',
      'percentile(score, 90%)',
    ),
    fc.option(expression, { nil: undefined }),
    fc.subarray(['cumulative', 'time signup_date', 'side company'], { maxLength: 2 }),
  )
  .map(
    ([i, agg, where, modifiers]) =>
      `measure m${i} = ${agg}${where === undefined ? '' : ` where ${where}`}${modifiers.length ? ` ${modifiers.join(' ')}` : ''}`,
  );

const sourceItem = fc.oneof(
  fc.constant('key customer_id'),
  fc.constant('time signup_date'),
  fc.constantFrom(
    'dimension tier, region',
    'dimension tier internal',
    'customer customer_id',
    'join customers on customer_id',
  ),
  expression.map((e) => `dimension d = ${e}`),
  measure,
  fc
    .tuple(expression, fc.option(fc.constantFrom('as valid_rows', 'as `odd check`'), { nil: undefined }))
    .map(([e, as]) => `check ${e}${as ? ` ${as}` : ''}`),
  stringLiteral.map((s) => `description ${s}`),
);

const threshold = fc
  .tuple(
    fc.constantFrom('target', 'warn', 'critical'),
    fc.constantFrom('>=', '<', '>', '<=', '=', '!='),
    fc.boolean(),
    number,
    fc.option(expression, { nil: undefined }),
  )
  .map(
    ([level, cmp, neg, n, forExpr]) =>
      `${level} ${cmp} ${neg ? '-' : ''}${n}${forExpr === undefined ? '' : ` for ${forExpr}`}`,
  );

const kpiItem = fc.oneof(
  fc
    .tuple(fc.constantFrom('title', 'description', 'owner', 'customer_value'), stringLiteral)
    .map(([k, s]) => `${k} ${s}`),
  fc
    .tuple(
      fc.constantFrom('perspective', 'indicator', 'grain', 'direction', 'status'),
      fc.constantFrom('customer', 'lagging', 'month', 'higher', 'active', 'Week'),
    )
    .map(([k, v]) => `${k} ${v}`),
  fc.tuple(fc.constantFrom('numerator', 'denominator', 'value', 'where'), expression).map(([k, e]) => `${k} ${e}`),
  fc.tuple(fc.constantFrom('scale', 'min_sample', 'version'), number).map(([k, n]) => `${k} ${n}`),
  fc
    .array(fc.constantFrom('tier', 'region', 'customers.tier', '`Total Charges`'), { minLength: 1, maxLength: 3 })
    .map((ds) => `segment by ${ds.join(', ')}`),
  fc
    .tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('day', 'days', 'Week', 'months', 'year'))
    .map(([n, u]) => `window ${n} ${u}`),
  threshold,
  fc.constant('replaced_by other_kpi'),
  fc.array(stringLiteral, { minLength: 1, maxLength: 3 }).map((tags) => `tags ${tags.join(', ')}`),
);

const items = (item: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(fc.option(comment, { nil: undefined }), item, trailing, fc.boolean()), { maxLength: 6 })
    .map((list) =>
      list
        .map(
          ([before, text, after, blank]) => `${blank ? '\n' : ''}${before ? `  ${before}\n` : ''}  ${text}${after}\n`,
        )
        .join(''),
    );

const declaration = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('customer customers', 'source orders', 'source `odd source`'),
      fc.constantFrom('"data/x.csv"', 'table sales.orders', 'customers', "'data/y.parquet'"),
      items(sourceItem),
    )
    .map(([head, from, body]) => `${head} from ${from} {\n${body}}\n`),
  fc
    .tuple(fc.constantFrom(...KEYWORD_CASES), fc.integer({ min: 1, max: 5 }), items(kpiItem))
    .map(([kw, i, body]) => `${kw} k${i} {\n${body}}\n`),
);

/** A file that parses (items may still be wrong for the resolver). */
export const validFile = fc
  .tuple(
    fc.option(comment, { nil: undefined }),
    fc.array(declaration, { maxLength: 4 }),
    fc.option(comment, { nil: undefined }),
  )
  .map(([head, decls, tail]) => `${head ? `${head}\n` : ''}${decls.join('\n')}${tail ? `${tail}\n` : ''}`);

/** Tokens of the language and a few it does not have, glued with random blanks. */
export const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'kpi',
        'source',
        'customer',
        'from',
        'table',
        '{',
        '}',
        '(',
        ')',
        ',',
        '.',
        '=',
        '!=',
        '<=',
        '>',
        '+',
        '-',
        '*',
        '/',
        '%',
        'measure',
        'dimension',
        'key',
        'time',
        'join',
        'on',
        'valid',
        'to',
        'check',
        'as',
        'where',
        'cumulative',
        'at',
        'period',
        'start',
        'end',
        'side',
        'numerator',
        'denominator',
        'value',
        'segment',
        'by',
        'grain',
        'target',
        'warn',
        'critical',
        'for',
        'case',
        'when',
        'then',
        'else',
        'not',
        'and',
        'or',
        'in',
        'is',
        'null',
        'between',
        'like',
        'date',
        'timestamp',
        'count()',
        '"str"',
        "'s'",
        '"unterminated',
        '`name`',
        '`',
        '#c\n',
        '\n',
        '\r\n',
        '\r',
        '\t',
        ' ',
        '1',
        '2.5',
        '7 days',
        '3%',
        '@',
        ';',
        '\u0000',
        '\u202e',
        '\u200b',
        '\ufeff',
        'nаme',
        '“',
        '\\',
        '$1',
        '--',
        '/*',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(' '));

/** Any text at all, Unicode included (lone surrogates too). */
export const anyText = fc.oneof(
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  tokenSoup,
);
