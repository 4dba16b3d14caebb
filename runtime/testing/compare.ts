// Expected rows against a query's rows, and the diff a person reads.
//
// Only the columns an expected row names are compared. Rows are matched in
// result order first (period, then segments); an expected row that does not
// match its place is then looked for among the rows not yet matched, so the
// order of `expect:` does not matter.
//
// Numbers: with a `tolerance`, |actual - expected| <= tolerance. Without,
// an expected number written with decimals matches when the actual value is
// within half a unit of its last written decimal (`33.3` matches 33.25 to
// 33.35, so 33.333... passes; `33.30` asks for 33.295 to 33.305); a number
// written without decimals must match to 1e-9.

import type { Value } from '../engine/values.ts';
import type { Expected } from './spec.ts';

export interface Comparison {
  readonly ok: boolean;
  /** The diff, for a failing test: `-` expected rows not found, `+` actual rows not expected. */
  readonly lines: readonly string[];
}

/** Compare; `columns` are the result's column names. */
export function compareRows(
  expected: readonly ReadonlyMap<string, Expected>[],
  columns: readonly string[],
  rows: readonly (readonly Value[])[],
  tolerance: number | undefined,
): Comparison {
  const index = new Map(columns.map((c, i) => [c.toLowerCase(), i]));
  const unknown = [...new Set(expected.flatMap((row) => [...row.keys()]).filter((k) => !index.has(k)))];
  if (unknown.length > 0) {
    return {
      ok: false,
      lines: [
        `expected column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `\`${c}\``).join(', ')} not in the result; its columns are ${columns.join(', ')}`,
      ],
    };
  }
  const matches = (want: ReadonlyMap<string, Expected>, row: readonly Value[]) =>
    [...want].every(([column, value]) => matchValue(value, row[index.get(column)!]!, tolerance));
  const used = new Set<number>();
  const missing: number[] = [];
  expected.forEach((want, i) => {
    if (i < rows.length && !used.has(i) && matches(want, rows[i]!)) {
      used.add(i);
      return;
    }
    const found = rows.findIndex((row, j) => !used.has(j) && matches(want, row));
    if (found >= 0) used.add(found);
    else missing.push(i);
  });
  const extra = rows.map((_, j) => j).filter((j) => !used.has(j));
  if (missing.length === 0 && extra.length === 0) return { ok: true, lines: [] };
  const shown = [...new Set([...expected.flatMap((row) => [...row.keys()])])];
  const display = shown.length > 0 ? shown : columns.map((c) => c.toLowerCase());
  const lines = [
    `  ${display.join(' | ')}`,
    ...missing.map((i) => `- ${display.map((c) => showExpected(expected[i]!.get(c))).join(' | ')}`),
    ...extra.map((j) => `+ ${display.map((c) => showActual(rows[j]![index.get(c)!]!)).join(' | ')}`),
  ];
  return { ok: false, lines };
}

/** One expected value against one actual value. */
export function matchValue(want: Expected, actual: Value, tolerance: number | undefined): boolean {
  switch (want.kind) {
    case 'null':
      return actual === null;
    case 'boolean':
      return actual === want.value;
    case 'text':
      return actual !== null && String(actual) === want.value;
    case 'number': {
      if (actual === null || typeof actual === 'boolean') return false;
      const value = Number(actual);
      if (!Number.isFinite(value)) return false;
      const allowed = tolerance ?? (want.decimals === 0 ? 1e-9 : 0.5 * 10 ** -want.decimals + 1e-12);
      return Math.abs(value - want.value) <= allowed;
    }
  }
}

function showExpected(value: Expected | undefined): string {
  if (value === undefined) return '·';
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'number':
      return value.text;
    case 'text':
      return JSON.stringify(value.value);
    case 'boolean':
      return String(value.value);
  }
}

function showActual(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return String(Number.isInteger(value) ? value : Number(value.toPrecision(12)));
  return String(value);
}
