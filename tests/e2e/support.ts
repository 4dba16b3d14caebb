// Shared helpers of the end-to-end result tests: run a KPI query through the
// runtime, run hand-written SQL over the same files, and compare every row.
//
// The hand SQL is written from the language's meaning (language.md), never
// from the compiler's output: it must return the result columns by name
// (`period`, the segments, `numerator`, `denominator`, `value`, `status`).

import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import type { Query } from '../../compiler/plan/query.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';
import type { Value } from '../../runtime/engine/engine.ts';
import { runQuery } from '../../runtime/execute.ts';
import type { QueryResult } from '../../runtime/execute.ts';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';

export const EXAMPLES = resolve(import.meta.dirname, '../../examples');

/** A result row keyed by column name, values normalised for comparison. */
export type Row = Record<string, string | number | boolean | null>;

/** Open an example project and insist that it has no error diagnostics. */
export async function openExample(name: string): Promise<Project> {
  const project = await openProject({ projectDir: resolve(EXAMPLES, name) });
  expect(describeErrors(project.diagnostics)).toEqual([]);
  return project;
}

export function describeErrors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.span.start.line}:${d.span.start.column} ${d.code}: ${d.message}`);
}

export interface KpiRun {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  readonly excluded: QueryResult['excluded'];
  readonly sql: string;
}

/** Everything a test may set on a query; `where` is kpic text, parsed as `--where` is. */
export type QueryInput = Omit<Query, 'where'> & { readonly where?: string };

/** Compile and run one KPI query; fails the test on any error diagnostic. */
export async function runKpi(project: Project, input: QueryInput): Promise<KpiRun> {
  const { where, ...rest } = input;
  let query: Query = rest;
  if (where !== undefined) {
    const parsed = parseExpression(where, '<query>');
    expect(describeErrors(parsed.diagnostics)).toEqual([]);
    query = { ...rest, where: parsed.value! };
  }
  const result = await runQuery(project, query);
  expect(describeErrors(result.diagnostics)).toEqual([]);
  const value = result.value!;
  const columns = value.columns.map((c) => c.name);
  return { columns, rows: value.rows.map((r) => toRow(columns, r)), excluded: value.excluded, sql: value.sql };
}

/**
 * Run hand-written SQL on the project's engine. `{root}` in the text
 * becomes the absolute data root (the engine reads only under it).
 */
export async function handRows(project: Project, sql: string): Promise<{ columns: string[]; rows: Row[] }> {
  const text = sql.replaceAll('{root}', project.dataRoot.replaceAll("'", "''"));
  const result = await project.engine.all(text);
  const columns = [...result.columns];
  return { columns, rows: result.rows.map((r) => toRow(columns, r)) };
}

/** Hand SQL's single number (a count, a sum). */
export async function handScalar(project: Project, sql: string): Promise<number | null> {
  const { rows, columns } = await handRows(project, sql);
  expect(rows).toHaveLength(1);
  const value = rows[0]![columns[0]!];
  return value === null || value === undefined ? null : Number(value);
}

function toRow(columns: readonly string[], values: readonly Value[]): Row {
  const row: Row = {};
  columns.forEach((name, i) => {
    row[name] = normalise(name, values[i] ?? null);
  });
  return row;
}

const NUMERIC = new Set(['numerator', 'denominator', 'value']);

function normalise(column: string, value: Value): string | number | boolean | null {
  if (value === null) return null;
  if (column === 'period') return String(value).slice(0, 10);
  if (NUMERIC.has(column)) return Number(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return String(value);
  return value;
}

function keyOf(row: Row, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => row[k] ?? null));
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
}

/**
 * Compare a KPI result with the hand answer: the same columns (target_met
 * aside), the same (period, segments) keys, and per row numerator,
 * denominator and value within 1e-9 relative, and the same status. Also
 * checks that the result is sorted by period.
 */
export function expectSameRows(actual: KpiRun, expected: { columns: readonly string[]; rows: readonly Row[] }): void {
  expect(expected.rows.length, 'the hand SQL returned no rows: the comparison would prove nothing').toBeGreaterThan(0);
  const compared = expected.columns;
  expect(actual.columns.filter((c) => c !== 'target_met')).toEqual(compared);
  const keys = compared.filter((c) => !NUMERIC.has(c) && c !== 'status');
  const want = new Map(expected.rows.map((r) => [keyOf(r, keys), r]));
  expect(want.size, 'hand SQL returned duplicate keys').toBe(expected.rows.length);
  const got = new Map(actual.rows.map((r) => [keyOf(r, keys), r]));
  expect(got.size, 'kpic returned duplicate keys').toBe(actual.rows.length);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  const mismatches: string[] = [];
  for (const [key, expectedRow] of want) {
    const actualRow = got.get(key)!;
    for (const column of compared) {
      const a = actualRow[column] ?? null;
      const e = expectedRow[column] ?? null;
      const same = NUMERIC.has(column) ? close(a as number | null, e as number | null) : a === e;
      if (!same) mismatches.push(`${key} ${column}: kpic ${String(a)}, hand ${String(e)}`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  if (keys.includes('period')) {
    const periods = actual.rows.map((r) => String(r.period));
    expect(periods).toEqual([...periods].sort());
  }
}

/** A file of the data root as a hand-SQL FROM item. */
export function file(name: string): string {
  return `read_csv('{root}/${name}')`;
}

export { ratioSql } from './hand-sql.ts';
