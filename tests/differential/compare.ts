// One differential case: the compiler's SQL run on DuckDB against the
// reference evaluator. A mismatch throws an Error holding the `.kpi` text,
// the data, the query and both results, so a shrunk counterexample reads
// on its own.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { catalogFromEntries, relationKey, scalarTypeOf } from '../../compiler/semantic/catalog.ts';
import type { CatalogEntry } from '../../compiler/semantic/catalog.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { FILE_START } from '../../compiler/diagnostics.ts';
import { listRelations } from '../../compiler/semantic/relations.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { describeSql } from '../../compiler/sql/relation.ts';
import { parseExpression, parseFile } from '../../compiler/syntax/parse.ts';
import { runQuery } from '../../runtime/execute.ts';
import { openProject } from '../../runtime/project/open.ts';
import { loadCsvs } from '../support/postgres.ts';
import type { Case } from './model.ts';
import { querySegments, renderCondition, renderData, renderKpi } from './model.ts';
import { evaluate } from './reference.ts';
import type { Cell, ResultRow } from './reference.ts';

export interface Bench {
  /** Run one case; throws on any mismatch or error. Returns the number of result rows compared. */
  check(c: Case): Promise<number>;
  close(): Promise<void>;
}

/** A DuckDB session and a scratch folder shared by many cases. */
export async function openBench(): Promise<Bench> {
  const scratch = mkdtempSync(join(tmpdir(), 'kpic-differential-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  let n = 0;
  return {
    async check(c) {
      const root = join(scratch, String(n++)).replaceAll('\\', '/');
      mkdirSync(root);
      try {
        return await checkCase(connection, root, c);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The same cases on PostgreSQL: each case's CSV files loaded into tables of
 * `schema` (with the column types DuckDB infers from them), the model's
 * sources rewritten as `table NAME`, run through a kpic project configured
 * for `engine: postgres` (url from `urlEnv`), compared with the same
 * reference answers.
 */
export async function openPostgresBench(urlEnv: string, schema = 'kpic_differential'): Promise<Bench> {
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-differential-pg-')));
  let n = 0;
  return {
    async check(c) {
      const root = join(scratch, String(n++));
      mkdirSync(join(root, 'data'), { recursive: true });
      mkdirSync(join(root, 'metrics'));
      try {
        const files = Object.entries(renderData(c)).map(([name, content]) => {
          writeFileSync(join(root, 'data', name), content);
          return join(root, 'data', name);
        });
        await loadCsvs(schema, files, process.env[urlEnv]);
        const text = renderKpi(c).replace(/\bfrom "([a-z]+)\.csv"/g, 'from table $1');
        writeFileSync(join(root, 'metrics', 'metrics.kpi'), text);
        writeFileSync(
          join(root, 'kpic.yaml'),
          [
            'name: differential',
            'metrics: ["metrics/*.kpi"]',
            `timezone: ${c.timezone}`,
            'data:',
            '  engine: postgres',
            `  url_env: ${urlEnv}`,
            `  schema: ${schema}`,
            '  statement_timeout: 120s',
            '',
          ].join('\n'),
        );
        return await checkPostgresCase(root, c, text);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    async close() {
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function checkPostgresCase(root: string, c: Case, text: string): Promise<number> {
  const project = await openProject({ projectDir: root });
  try {
    // Project-wide findings (lint rules such as threshold-order) do not stop a query: only its own errors do.
    if (project.offline) throw new Error(`the PostgreSQL project did not open: ${project.offline}\n${text}`);
    if (project.dialect !== 'postgres') throw new Error(`the project runs on ${project.dialect}, not PostgreSQL`);
    const where = c.queryWhere === undefined ? undefined : parseExpression(renderCondition(c.queryWhere), '<query>');
    const by =
      c.by === undefined
        ? {}
        : { by: c.by === 'none' ? ('none' as const) : c.by.map((name) => ({ name, span: FILE_START })) };
    const query = {
      kpi: c.derived ? 'd' : 'k',
      from: c.from,
      to: c.to,
      ...(where?.value ? { where: where.value } : {}),
      ...by,
      ...(c.compare ? { compare: 'previous' as const } : {}),
      ...(c.incomplete ? { markIncomplete: true } : {}),
    };
    const result = await runQuery(project, query);
    const problems = result.diagnostics.filter((d) => d.severity === 'error');
    if (!result.value || problems.length > 0)
      throw new Error(
        `the query failed on PostgreSQL:\n${problems.map((d) => `${d.code} ${d.message}`).join('\n')}\n${describeCase(c)}`,
      );
    const columns = result.value.columns.map((col) => col.name);
    const got = result.value.rows.map((values) =>
      normalize(Object.fromEntries(columns.map((name, i) => [name, cell(values[i])]))),
    );
    const want = sortRows(evaluate(c), querySegments(c));
    const problem = compareRows(got, want);
    if (problem) {
      throw new Error(
        `${problem}\n${describeCase(c)}\n--- expected (reference)\n${table(want)}\n--- got (PostgreSQL)\n${table(got)}`,
      );
    }
    return want.length;
  } finally {
    await project.close();
  }
}

/** A value from the engine as the comparison reads it: a date as `YYYY-MM-DD`. */
function cell(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}

async function all(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The case as a person would read it: the .kpi file, the data and the query. */
export function describeCase(c: Case): string {
  const data = renderData(c);
  return [
    `--- timezone: ${c.timezone}; query: kpic run ${c.derived ? 'd' : 'k'} --from ${c.from} --to ${c.to}${c.compare ? ' --compare previous' : ''}${c.incomplete ? ' --incomplete' : ''}${c.queryWhere ? ` --where '${renderCondition(c.queryWhere)}'` : ''}${c.by ? ` --by ${c.by === 'none' ? 'none' : c.by.join(',')}` : ''}`,
    '--- metrics.kpi',
    renderKpi(c).trimEnd(),
    ...Object.entries(data).map(([name, text]) => `--- ${name}\n${text.trimEnd()}`),
  ].join('\n');
}

async function checkCase(connection: DuckDBConnection, root: string, c: Case): Promise<number> {
  const text = renderKpi(c);
  for (const [name, content] of Object.entries(renderData(c))) writeFileSync(join(root, name), content);
  const parsed = parseFile(text, 'metrics.kpi');
  const entries = new Map<string, CatalogEntry>();
  for (const relation of listRelations([parsed.value])) {
    const described = await all(connection, describeSql(relation, root));
    entries.set(relationKey(relation), {
      ok: true,
      columns: described.map((d) => ({
        name: String(d['column_name']),
        sqlType: String(d['column_type']),
        type: scalarTypeOf(String(d['column_type'])),
      })),
    });
  }
  const resolved = resolveProject([parsed.value], catalogFromEntries(entries), { timezone: c.timezone });
  const where = c.queryWhere === undefined ? undefined : parseExpression(renderCondition(c.queryWhere), '<query>');
  const by =
    c.by === undefined
      ? {}
      : { by: c.by === 'none' ? ('none' as const) : c.by.map((name) => ({ name, span: FILE_START })) };
  const query = {
    kpi: c.derived ? 'd' : 'k',
    from: c.from,
    to: c.to,
    ...(where?.value ? { where: where.value } : {}),
    ...by,
    ...(c.compare ? { compare: 'previous' as const } : {}),
    ...(c.incomplete ? { markIncomplete: true } : {}),
  };
  const compiled = compileQuery(resolved.value, query, { dataRoot: root });
  const errors = [
    ...parsed.diagnostics,
    ...(where?.diagnostics ?? []),
    ...resolved.diagnostics,
    ...compiled.diagnostics,
  ].filter((d) => d.severity === 'error');
  if (errors.length > 0 || !compiled.value) {
    throw new Error(
      `the compiler refused a well-typed case:\n${errors.map((d) => `${d.file}:${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`).join('\n')}\n${describeCase(c)}`,
    );
  }
  let got: ResultRow[];
  try {
    got = (await all(connection, compiled.value.sql)).map((row) => normalize(row));
  } catch (error) {
    throw new Error(
      `the compiled SQL failed on DuckDB: ${String(error).split('\n')[0]}\n${describeCase(c)}\n--- sql\n${compiled.value.sql}`,
    );
  }
  const want = sortRows(evaluate(c), querySegments(c));
  const problem = compareRows(got, want);
  if (problem) {
    throw new Error(
      `${problem}\n${describeCase(c)}\n--- expected (reference)\n${table(want)}\n--- got (DuckDB)\n${table(got)}`,
    );
  }
  return want.length;
}

function normalize(row: Record<string, unknown>): ResultRow {
  const out: ResultRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? Number(value) : (value as Cell);
  }
  return out;
}

/** Period (or cohort and periods since), then each segment, nulls last (docs/sql.md). */
function sortRows(rows: ResultRow[], segments: readonly string[]): ResultRow[] {
  const cmp = (a: Cell, b: Cell) =>
    a === b
      ? 0
      : a === null
        ? 1
        : b === null
          ? -1
          : typeof a === 'number' && typeof b === 'number'
            ? a - b
            : String(a) < String(b)
              ? -1
              : 1;
  const keys = ['period', 'cohort', 'periods_since', ...segments];
  return [...rows].sort((a, b) => keys.reduce((acc, s) => acc || cmp(a[s] ?? null, b[s] ?? null), 0));
}

function same(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  const x = typeof a === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(a) ? Number(a) : a;
  const y = typeof b === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(b) ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number')
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return x === y;
}

function compareRows(got: readonly ResultRow[], want: readonly ResultRow[]): string | undefined {
  if (got.length !== want.length) return `row count: expected ${want.length}, got ${got.length}`;
  for (let i = 0; i < want.length; i++) {
    const columns = Object.keys(want[i]!);
    if (JSON.stringify(Object.keys(got[i]!)) !== JSON.stringify(columns))
      return `columns: expected ${columns.join(',')}, got ${Object.keys(got[i]!).join(',')}`;
    for (const column of columns) {
      if (!same(got[i]![column] ?? null, want[i]![column] ?? null)) {
        return `row ${i + 1}, column ${column}: expected ${JSON.stringify(want[i]![column])}, got ${JSON.stringify(got[i]![column])}`;
      }
    }
  }
  return undefined;
}

function table(rows: readonly ResultRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  return [columns.join(' | '), ...rows.map((r) => columns.map((c) => JSON.stringify(r[c] ?? null)).join(' | '))].join(
    '\n',
  );
}
