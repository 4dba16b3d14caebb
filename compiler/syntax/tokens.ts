// Token types of the `.kpi` language (Chevrotain).
//
// Keywords are soft: every keyword token also belongs to the `Word`
// category, so a rule that expects a name accepts `time`, `key` or `status`.
// Inside expressions, names come from the narrower `ExprWord` category: the
// words that would make an expression ambiguous (`and`, `in`, `case`, `end`,
// `null`...) are left out of it and must be backticked there.
// Keywords are matched without regard to case (`KPI`, `Measure`).

import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Every token belongs to `AnyToken`: the parser's catch-all for stray input. */
export const AnyToken = createToken({ name: 'AnyToken', pattern: Lexer.NA });
/** A name where any word is allowed: identifiers, backticked names and every keyword. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, categories: [AnyToken] });
/** A name inside an expression: identifiers, backticked names and the keywords not reserved there. */
export const ExprWord = createToken({ name: 'ExprWord', pattern: Lexer.NA, categories: [Word, AnyToken] });
/** A duration unit, singular or plural. */
export const UnitWord = createToken({ name: 'UnitWord', pattern: Lexer.NA, categories: [AnyToken] });
/** `=`, `!=`, `<`, `<=`, `>`, `>=`. */
export const ComparisonOp = createToken({ name: 'ComparisonOp', pattern: Lexer.NA, categories: [AnyToken] });

export const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [ExprWord, Word, AnyToken],
});
/** `` `Total Charges` ``; a backtick inside is written twice. */
export const QuotedName = createToken({
  name: 'QuotedName',
  pattern: /`(?:[^`\r\n]|``)*`/,
  categories: [ExprWord, Word, AnyToken],
});
/** A backticked name that runs to the end of the line: reported, then read as a name. */
export const UnterminatedQuotedName = createToken({
  name: 'UnterminatedQuotedName',
  pattern: /`(?:[^`\r\n]|``)*/,
  categories: [ExprWord, Word, AnyToken],
});
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"|'(?:[^'\\\r\n]|\\[^\r\n])*'/,
  categories: [AnyToken],
});
/** A string that runs to the end of the line: reported, then read as a string. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?|'(?:[^'\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral, AnyToken],
});
/** `42`, `3.5`, `2%`. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /[0-9]+(?:\.[0-9]+)?%?/,
  categories: [AnyToken],
});

export const LCurly = createToken({ name: 'LCurly', pattern: '{', label: '`{`', categories: [AnyToken] });
export const RCurly = createToken({ name: 'RCurly', pattern: '}', label: '`}`', categories: [AnyToken] });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '`(`', categories: [AnyToken] });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '`)`', categories: [AnyToken] });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '`,`', categories: [AnyToken] });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: '`.`', categories: [AnyToken] });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: '`+`', categories: [AnyToken] });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: '`-`', categories: [AnyToken] });
export const Star = createToken({ name: 'Star', pattern: '*', label: '`*`', categories: [AnyToken] });
export const Slash = createToken({ name: 'Slash', pattern: '/', label: '`/`', categories: [AnyToken] });
export const NotEquals = createToken({
  name: 'NotEquals',
  pattern: '!=',
  label: '`!=`',
  categories: [ComparisonOp, AnyToken],
});
export const LessEquals = createToken({
  name: 'LessEquals',
  pattern: '<=',
  label: '`<=`',
  categories: [ComparisonOp, AnyToken],
});
export const GreaterEquals = createToken({
  name: 'GreaterEquals',
  pattern: '>=',
  label: '`>=`',
  categories: [ComparisonOp, AnyToken],
});
/** `<>` is SQL's spelling of `!=`: lexed so the parser can say so. */
export const SqlNotEquals = createToken({ name: 'SqlNotEquals', pattern: '<>', label: '`<>`', categories: [AnyToken] });
export const Less = createToken({ name: 'Less', pattern: '<', label: '`<`', categories: [ComparisonOp, AnyToken] });
export const Greater = createToken({
  name: 'Greater',
  pattern: '>',
  label: '`>`',
  categories: [ComparisonOp, AnyToken],
});
export const Equals = createToken({ name: 'Equals', pattern: '=', label: '`=`', categories: [ComparisonOp, AnyToken] });
/** One non-ASCII code point outside strings, comments and backticks (reported by the lexer). */
export const NonAscii = createToken({
  name: 'NonAscii',
  pattern: /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0080-\uFFFF]/,
  categories: [AnyToken],
});
/** Any other ASCII character the language does not use (reported by the lexer). */
export const Unexpected = createToken({ name: 'Unexpected', pattern: /[\x00-\x7F]/, categories: [AnyToken] });

// ---------------------------------------------------------------- keywords

/** Words reserved inside expressions: as a column name there they need backticks. */
export const RESERVED_IN_EXPRESSIONS = [
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'like',
  'between',
  'case',
  'when',
  'then',
  'else',
  'end',
  'true',
  'false',
] as const;

const OTHER_KEYWORDS = [
  'customer',
  'source',
  'kpi',
  'from',
  'table',
  'key',
  'join',
  'on',
  'time',
  'valid',
  'to',
  'dimension',
  'internal',
  'measure',
  'where',
  'cumulative',
  'at',
  'period',
  'start',
  'side',
  'company',
  'check',
  'as',
  'description',
  'title',
  'owner',
  'customer_value',
  'perspective',
  'indicator',
  'numerator',
  'denominator',
  'value',
  'scale',
  'segment',
  'by',
  'grain',
  'min_sample',
  'window',
  'direction',
  'target',
  'warn',
  'critical',
  'for',
  'status',
  'replaced_by',
  'version',
  'tags',
  'date',
  'timestamp',
  'periods',
  'cohort',
  'retained',
  'churned',
  'alert',
  'level',
  'responsible',
  'accountable',
  'consulted',
  'informed',
  'escalate',
  'min_baseline',
  'format',
] as const;

/** Duration units, singular and plural, with the unit they stand for. */
export const UNIT_WORDS: Readonly<Record<string, 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'>> = {
  hour: 'hour',
  hours: 'hour',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  quarter: 'quarter',
  quarters: 'quarter',
  year: 'year',
  years: 'year',
};

export type KeywordText = (typeof RESERVED_IN_EXPRESSIONS)[number] | (typeof OTHER_KEYWORDS)[number];

function createKeyword(word: string, categories: TokenType[]): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word, 'i'),
    label: `\`${word}\``,
    longer_alt: Identifier,
    categories: [...categories, Word, AnyToken],
  });
}

const keywordTokens = new Map<string, TokenType>();
for (const word of RESERVED_IN_EXPRESSIONS) keywordTokens.set(word, createKeyword(word, []));
for (const word of OTHER_KEYWORDS) keywordTokens.set(word, createKeyword(word, [ExprWord]));
for (const word of Object.keys(UNIT_WORDS)) keywordTokens.set(word, createKeyword(word, [UnitWord, ExprWord]));

/** The token type of a keyword. */
export function keyword(word: KeywordText): TokenType {
  const token = keywordTokens.get(word);
  if (token === undefined) throw new Error(`not a keyword: ${word}`);
  return token;
}

/** The token type of a duration unit word (`day`, `days`, ...). */
export function unitKeywords(): TokenType[] {
  return Object.keys(UNIT_WORDS).map((word) => keywordTokens.get(word)!);
}

/** Every keyword, lower-case, for messages and the formatter. */
export const KEYWORDS: ReadonlySet<string> = new Set(keywordTokens.keys());

// Longer keywords first: with `longer_alt`, `in` would otherwise win over `internal`
// only to be replaced by an identifier.
const keywordsByLength = [...keywordTokens.entries()].sort(
  (a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1),
);

/** Every token type, in the order the lexer tries them. */
export const ALL_TOKENS: TokenType[] = [
  Whitespace,
  Comment,
  StringLiteral,
  UnterminatedString,
  QuotedName,
  UnterminatedQuotedName,
  NumberLiteral,
  ...keywordsByLength.map(([, token]) => token),
  Identifier,
  LCurly,
  RCurly,
  LParen,
  RParen,
  Comma,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  NotEquals,
  LessEquals,
  GreaterEquals,
  SqlNotEquals,
  Less,
  Greater,
  Equals,
  NonAscii,
  Unexpected,
  // categories last: they match nothing themselves
  AnyToken,
  Word,
  ExprWord,
  UnitWord,
  ComparisonOp,
];

// The words that start an item of each block. The parser's recovery (an item
// keyword at the start of a line starts the next item) and the messages about
// unknown items read these same lists.

/** The words that start a source item. */
export const SOURCE_ITEM_WORDS = [
  'key',
  'customer',
  'join',
  'time',
  'valid',
  'dimension',
  'measure',
  'check',
  'description',
] as const satisfies readonly KeywordText[];

/** The words that start a KPI item. */
export const KPI_ITEM_WORDS = [
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
  'segment',
  'grain',
  'min_sample',
  'window',
  'direction',
  'target',
  'warn',
  'critical',
  'status',
  'replaced_by',
  'version',
  'tags',
  'periods',
  'cohort',
  'alert',
  'format',
] as const satisfies readonly KeywordText[];

/** The words that start an alert item. */
export const ALERT_ITEM_WORDS = [
  'by',
  'where',
  'when',
  'for',
  'escalate',
  'min_baseline',
  'level',
  'responsible',
  'accountable',
  'consulted',
  'informed',
] as const satisfies readonly KeywordText[];
