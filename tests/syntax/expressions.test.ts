import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import { expr, show, where } from './helpers.ts';

describe('precedence', () => {
  const cases: [string, string][] = [
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['not a and b', '((not a) and b)'],
    ['not a = b', '(not (a = b))'],
    ['not a or not b', '((not a) or (not b))'],
    ['a = b and c != d', '((a = b) and (c != d))'],
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['(a + b) * c', '((a + b) * c)'],
    ['-a * b', '((- a) * b)'],
    ['- - a', '(- (- a))'],
    ['a * -b', '(a * (- b))'],
    ['a + b < c * d', '((a + b) < (c * d))'],
    ['a like "x%" or b', '((a like "x%") or b)'],
    ['a between 1 and 2 and b', '((a between 1 2) and b)'],
    ['a not between b + 1 and c * 2', '(a not between (b + 1) (c * 2))'],
    ['a between -1 and 2', '(a between (- 1) 2)'],
    ['not a between 1 and 2', '(not (a between 1 2))'],
    ['a in (1, 2) and b not in ("x")', '((a in [1, 2]) and (b not in ["x"]))'],
    ['a + 1 in (2)', '((a + 1) in [2])'],
    ['a is null or b is not null', '((a is null) or (b is not null))'],
    ['not a is null', '(not (a is null))'],
    ['-a is null', '((- a) is null)'],
    ['a = not b', '(a = (not b))'],
    ['a <= b', '(a <= b)'],
    ['a >= b', '(a >= b)'],
    ['a < b', '(a < b)'],
    ['a > b', '(a > b)'],
    ['A AND B Or NOT c', '((A and B) or (not c))'],
  ];
  for (const [text, tree] of cases) {
    it(`${text}  =>  ${tree}`, () => expect(show(expr(text))).toBe(tree));
  }
});

describe('primaries', () => {
  it('numbers keep their digits; percentages are flagged', () => {
    expect(expr('3.50')).toMatchObject({ kind: 'number', text: '3.50', percent: false });
    expect(expr('2%')).toMatchObject({ kind: 'number', text: '2', percent: true });
    expect(expr('12345678901234567890.123')).toMatchObject({ text: '12345678901234567890.123' });
  });
  it('strings apply escapes, with either quote', () => {
    expect(expr(String.raw`"a\"b\\c\nd\te\'f"`)).toMatchObject({ kind: 'string', value: 'a"b\\c\nd\te\'f' });
    expect(expr(String.raw`'it\'s'`)).toMatchObject({ kind: 'string', value: "it's" });
    expect(expr(`'say "hi"'`)).toMatchObject({ kind: 'string', value: 'say "hi"' });
  });
  it('booleans and null, in any case', () => {
    expect(expr('true')).toMatchObject({ kind: 'boolean', value: true });
    expect(expr('FALSE')).toMatchObject({ kind: 'boolean', value: false });
    expect(expr('null')).toMatchObject({ kind: 'null' });
  });
  it('date and timestamp followed by a string are literals', () => {
    expect(expr('date "2024-01-31"')).toMatchObject({ kind: 'date', value: '2024-01-31' });
    expect(expr('timestamp "2024-01-31 12:00:00"')).toMatchObject({ kind: 'timestamp', value: '2024-01-31 12:00:00' });
  });
  it('date(x) and timestamp(x) are calls, and a bare date is a column', () => {
    expect(show(expr('date(x)'))).toBe('date(x)');
    expect(show(expr('timestamp("2024-01-01")'))).toBe('timestamp("2024-01-01")');
    expect(expr('date')).toMatchObject({ kind: 'ref', name: { text: 'date' } });
  });
  it('durations accept every unit, singular or plural', () => {
    const units = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
    for (const unit of units) {
      expect(expr(`1 ${unit}`)).toMatchObject({ kind: 'duration', amount: '1', unit });
      expect(expr(`7 ${unit}s`)).toMatchObject({ kind: 'duration', amount: '7', unit });
    }
    expect(expr('3 Months')).toMatchObject({ kind: 'duration', unit: 'month' });
  });
  it('references: plain, qualified, backticked, keywords after a dot', () => {
    expect(expr('tier')).toMatchObject({ kind: 'ref', name: { text: 'tier', quoted: false } });
    expect(expr('customers.tier')).toMatchObject({
      kind: 'ref',
      qualifier: { text: 'customers' },
      name: { text: 'tier' },
    });
    expect(expr('`Total Charges`')).toMatchObject({ kind: 'ref', name: { text: 'Total Charges', quoted: true } });
    expect(expr('`a``b`')).toMatchObject({ kind: 'ref', name: { text: 'a`b', quoted: true } });
    expect(expr('orders.end')).toMatchObject({ kind: 'ref', qualifier: { text: 'orders' }, name: { text: 'end' } });
    expect(expr('`end`')).toMatchObject({ kind: 'ref', name: { text: 'end', quoted: true } });
    expect(expr('`Kundennummer ä`')).toMatchObject({ name: { text: 'Kundennummer ä' } });
  });
  it('soft keywords are columns inside expressions', () => {
    for (const word of ['time', 'key', 'status', 'source', 'value', 'month', 'day', 'from', 'target', 'window']) {
      expect(expr(`${word} = 1`)).toMatchObject({ kind: 'binary', left: { kind: 'ref', name: { text: word } } });
    }
  });
  it('calls, count() included', () => {
    expect(show(expr('count()'))).toBe('count()');
    expect(show(expr('percentile(x, 0.9)'))).toBe('percentile(x, 0.9)');
    expect(show(expr('if(a > 1, "big", "small")'))).toBe('if((a > 1), "big", "small")');
    expect(show(expr('date_trunc("month", first_order_at)'))).toBe('date_trunc("month", first_order_at)');
    expect(show(expr('min(orders.ordered_at)'))).toBe('min(orders.ordered_at)');
  });
  it('case with and without else', () => {
    expect(show(expr('case when a > 1 then "x" when a > 0 then "y" else "z" end'))).toBe(
      '(case (a > 1)→"x" (a > 0)→"y" else "z")',
    );
    expect(show(expr('case when a then 1 end'))).toBe('(case a→1)');
    expect(show(expr('case when case when a then b end then 1 end + 1'))).toBe('((case (case a→b)→1) + 1)');
  });
});

describe('spans', () => {
  it('cover each node, parentheses included', () => {
    const e = expr('(a + b) * c');
    expect(e.span.start.column).toBe(1);
    expect(e.span.end.column).toBe(12);
    if (e.kind !== 'binary') throw new Error('binary expected');
    expect([e.left.span.start.column, e.left.span.end.column]).toEqual([1, 8]);
    expect([e.right.span.start.column, e.right.span.end.column]).toEqual([11, 12]);
  });
  it('count UTF-16 code units in columns', () => {
    const e = expr('"😀" = x');
    if (e.kind !== 'binary') throw new Error('binary expected');
    expect(e.right.span.start.column).toBe(8);
    expect(e.right.span.start.offset).toBe(7);
  });
  it('end exclusive, on the right line', () => {
    const e = expr('a +\n  bb');
    expect(e.span.end).toEqual({ offset: 8, line: 2, column: 5 });
  });
});

describe('parseExpression errors', () => {
  it('reports a missing operand after an operator', () => {
    const result = parseExpression('a >=', '<query>');
    expect(result.value).toBeUndefined();
    expect(where(result.diagnostics)).toEqual(['syntax-error 1:5']);
    expect(result.diagnostics[0]!.message).toBe('expected an expression after `>=`, found the end of the file');
    expect(result.diagnostics[0]!.file).toBe('<query>');
  });
  it('reports text after the expression', () => {
    const result = parseExpression('a = 1 b = 2', '<query>');
    expect(result.value).toBeUndefined();
    expect(where(result.diagnostics)).toEqual(['syntax-error 1:7']);
    expect(result.diagnostics[0]!.message).toContain('unexpected `b` after the end of the expression');
  });
  it('reports empty input', () => {
    const result = parseExpression('   ', '<query>');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics[0]!.message).toContain('expected an expression');
  });
  it('reserved words need backticks as columns', () => {
    const result = parseExpression('end = 1', '<query>');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics[0]!.code).toBe('syntax-error');
  });
  it('explains SQL spellings', () => {
    const star = parseExpression('count(*)', '<query>');
    expect(star.value).toBeUndefined();
    expect(star.diagnostics[0]!.help).toContain('count()');
    const sqlNe = parseExpression('a <> 1', '<query>');
    expect(sqlNe.diagnostics[0]!.help).toContain('!=');
  });
  it('rejects fractional durations', () => {
    const result = parseExpression('x > 1.5 days', '<query>');
    expect(where(result.diagnostics)).toEqual(['invalid-duration 1:5']);
  });
});
