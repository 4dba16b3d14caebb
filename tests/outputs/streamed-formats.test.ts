// A streamed result prints the same text however its rows are cut into
// batches (the engine's chunks): for random results and random cuts, every
// format's writer fed batch by batch gives exactly the text of the whole
// result formatted at once. The table's boxes of 1,000 rows fall in the
// same places whatever the cuts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../runtime/engine/values.ts';
import { formatResult, RESULT_FORMATS, resultWriter } from '../../runtime/format/format.ts';
import type { ResultTable } from '../../runtime/format/format.ts';
import { TABLE_PAGE_ROWS } from '../../runtime/format/table.ts';

const COLUMNS = ['period', 'tier', 'numerator', 'value', 'status'];
const TYPES = ['DATE', 'VARCHAR', 'BIGINT', 'DOUBLE', 'VARCHAR'];

const row = fc.tuple(
  fc.constantFrom<Value>('2024-01-01', '2024-02-01', null),
  fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom<Value>('a|b', 'x\ny', 'e\x1b[2J', null)),
  fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.constant<Value>(null)),
  fc.oneof(fc.double({ noNaN: false }), fc.constant<Value>(null)),
  fc.constantFrom<Value>('ok', 'warn', 'critical', null),
);

/** `rows` cut at the given points (sorted, deduplicated, inside the range). */
function cut(rows: readonly (readonly Value[])[], points: readonly number[]): (readonly Value[])[][] {
  const at = [...new Set(points.map((p) => p % (rows.length + 1)))].sort((a, b) => a - b);
  const batches: (readonly Value[])[][] = [];
  let from = 0;
  for (const point of [...at, rows.length]) {
    batches.push(rows.slice(from, point));
    from = point;
  }
  return batches;
}

function streamed(table: ResultTable, format: (typeof RESULT_FORMATS)[number], batches: (readonly Value[])[][]) {
  const writer = resultWriter(format, table.columns, table.types, { color: false });
  let text = writer.start();
  for (const batch of batches) text += writer.rows(batch);
  return text + writer.end(table.excluded);
}

describe('streamed formats', () => {
  it('give the same text for any cut of the rows into batches, in every format', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (rows, points, excludedSome) => {
          const table: ResultTable = {
            columns: COLUMNS,
            types: TYPES,
            rows,
            excluded: excludedSome ? [{ source: 'surveys', check: 'nps_range', excluded: 3n }] : [],
          };
          for (const format of RESULT_FORMATS) {
            expect(streamed(table, format, cut(rows, points)), format).toBe(formatResult(table, format));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the table starts a new box every 1,000 rows whatever the batches', () => {
    const rows = Array.from({ length: 2 * TABLE_PAGE_ROWS + 7 }, (_, i): Value[] => [
      '2024-01-01',
      `t${i}`,
      BigInt(i),
      i / 3,
      'ok',
    ]);
    const table: ResultTable = { columns: COLUMNS, types: TYPES, rows, excluded: [] };
    const whole = formatResult(table, 'table');
    for (const size of [1, 999, 1000, 1001, 2048]) {
      const batches = Array.from({ length: Math.ceil(rows.length / size) }, (_, b) =>
        rows.slice(b * size, (b + 1) * size),
      );
      expect(streamed(table, 'table', batches), `batches of ${size}`).toBe(whole);
    }
    // Three boxes: 1,000 + 1,000 + 7 rows, each with its own top rule and header.
    expect(whole.split('\n').filter((l) => l.startsWith('┌'))).toHaveLength(3);
    expect(whole.split('\n').filter((l) => l.startsWith('│ 2024'))).toHaveLength(rows.length);
  });

  it('an empty result: the header alone, `[]`, or the table with `(no rows)`', () => {
    const table: ResultTable = { columns: COLUMNS, types: TYPES, rows: [], excluded: [] };
    expect(streamed(table, 'csv', [])).toBe('period,tier,numerator,value,status\r\n');
    expect(streamed(table, 'json', [[], []])).toBe('[]\n');
    expect(streamed(table, 'markdown', [])).toBe(
      '| period | tier | numerator | value | status |\n| --- | --- | ---: | ---: | --- |\n',
    );
    expect(streamed(table, 'table', []).trimEnd().split('\n').at(-1)).toBe('(no rows)');
  });
});
