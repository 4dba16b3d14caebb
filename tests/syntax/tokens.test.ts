import { describe, expect, it } from 'vitest';
import { tokenize } from '../../compiler/syntax/lexer.ts';
import { indexSourceText } from '../../compiler/syntax/source-text.ts';
import { parseClean } from './helpers.ts';

function lex(text: string): string[] {
  const result = tokenize(indexSourceText(text, 't.kpi'));
  expect(result.diagnostics).toEqual([]);
  return result.tokens.map((token) => `${token.tokenType.name}:${token.image}`);
}

describe('tokens', () => {
  it('keywords win only for the whole word', () => {
    expect(lex('in internal indicator is')).toEqual([
      'Kw_in:in',
      'Kw_internal:internal',
      'Kw_indicator:indicator',
      'Kw_is:is',
    ]);
    expect(lex('time timestamp times customer customer_value kpis')).toEqual([
      'Kw_time:time',
      'Kw_timestamp:timestamp',
      'Identifier:times',
      'Kw_customer:customer',
      'Kw_customer_value:customer_value',
      'Identifier:kpis',
    ]);
    expect(lex('day days Day DAYS')).toEqual(['Kw_day:day', 'Kw_days:days', 'Kw_day:Day', 'Kw_days:DAYS']);
  });
  it('numbers, percentages, strings, backticked names', () => {
    expect(lex(`42 3.5 2% "a\\"b" 'c' \`Total Charges\``)).toEqual([
      'NumberLiteral:42',
      'NumberLiteral:3.5',
      'NumberLiteral:2%',
      'StringLiteral:"a\\"b"',
      "StringLiteral:'c'",
      'QuotedName:`Total Charges`',
    ]);
  });
  it('operators, longest first', () => {
    expect(lex('<= >= != < > = <> + - * / ( ) { } , .')).toEqual([
      'LessEquals:<=',
      'GreaterEquals:>=',
      'NotEquals:!=',
      'Less:<',
      'Greater:>',
      'Equals:=',
      'SqlNotEquals:<>',
      'Plus:+',
      'Minus:-',
      'Star:*',
      'Slash:/',
      'LParen:(',
      'RParen:)',
      'LCurly:{',
      'RCurly:}',
      'Comma:,',
      'Dot:.',
    ]);
  });
  it('comments are not tokens; they are collected', () => {
    const result = tokenize(indexSourceText('a # one\n# two\nb', 't.kpi'));
    expect(result.tokens.map((t) => t.image)).toEqual(['a', 'b']);
    expect(result.comments.map((c) => c.text)).toEqual([' one', ' two']);
  });
  it('records line starts for the layout rules', () => {
    const result = tokenize(indexSourceText('a b\n  c # x\n d', 't.kpi'));
    expect(result.tokens.map((t) => `${t.image}@${t.line}:${t.column}${t.startsLine ? '^' : ''}`)).toEqual([
      'a@1:1^',
      'b@1:3',
      'c@2:3^',
      'd@3:2^',
    ]);
  });
});

describe('layout', () => {
  it('an item keyword at the start of a line, indented no further than the item, starts the next item', () => {
    const file = parseClean('kpi k {\n  where region = "EMEA" and\n    status = "active"\n  status active\n}');
    const kpi = file.declarations[0]!;
    expect(kpi.items.map((i) => i.kind)).toEqual(['kpi-expr', 'kpi-word']);
  });
});
