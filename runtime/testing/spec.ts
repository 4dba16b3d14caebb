// Metric test files: `*.test.yaml` next to the metrics.
//
//   kpi: nps                          # the KPI of every test below (a test may name another)
//   data:                             # fixture rows shared by the file's tests
//     customers:
//       - { customer_id: 1, tier: gold }
//   tests:
//     - name: three answers give 33.3 points
//       query: { by: tier, grain: none, from: 2024-01-01, to: 2024-02-01 }
//       data:
//         surveys:                    # replaces the source's data for this test
//           - { response_id: 1, customer_id: 1, responded_at: 2024-01-05, nps: 10 }
//       expect:
//         - { tier: gold, value: 33.3 }
//
// A source's fixture is a list of rows, or `{ types: {column: SQLTYPE}, rows: [...] }`
// to pin column types. Problems in the file are reported at their line.

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';

/** A value the test expects: numbers keep how many decimals were written, for the tolerance. */
export type Expected =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly decimals: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

/** `{ exact }`: a number a double cannot hold (a 64-bit id, a long decimal), digits as written. */
export type FixtureValue = null | boolean | number | string | { readonly exact: string };

export interface Fixture {
  readonly rows: readonly Readonly<Record<string, FixtureValue>>[];
  /** Column -> SQL type, pinning what inference would guess. */
  readonly types: Readonly<Record<string, string>>;
}

export interface TestQuery {
  readonly by?: string;
  readonly grain?: string;
  readonly from?: string;
  readonly to?: string;
  readonly where?: string;
}

export interface TestCase {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly kpi: string;
  readonly query: TestQuery;
  /** Source name (lower case) -> its rows; the file's data overlaid by the test's. */
  readonly data: ReadonlyMap<string, Fixture>;
  readonly expect: readonly ReadonlyMap<string, Expected>[];
  /** An absolute tolerance for every number of this test, when given. */
  readonly tolerance?: number;
}

export interface SpecProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Parse one test file; `file` is the path shown in reports. */
export function parseTestFile(text: string, file: string): { tests: TestCase[]; problems: SpecProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: SpecProblem[] = [];
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const problem = (node: Node | null | undefined, message: string) =>
    problems.push({ file, line: lineOf(node), message });
  for (const error of doc.errors)
    problems.push({ file, line: lines.linePos(error.pos[0]).line, message: error.message.split('\n')[0]! });
  if (problems.length > 0) return { tests: [], problems };
  const root = doc.contents;
  if (!isMap(root)) {
    problem(root, 'a test file is a mapping with `tests:` (and optionally `kpi:` and `data:`)');
    return { tests: [], problems };
  }
  checkKeys(root, ['kpi', 'data', 'tests', 'tolerance'], problem);
  const fileKpi = textOf(root.get('kpi', true), 'kpi', problem);
  const fileData = readData(root.get('data', true), problem, text);
  const fileTolerance = numberOf(root.get('tolerance', true), 'tolerance', problem);
  const testsNode = root.get('tests', true);
  if (!isSeq(testsNode) || testsNode.items.length === 0) {
    problem(testsNode ?? root, '`tests:` must be a list with at least one test');
    return { tests: [], problems };
  }
  const tests: TestCase[] = [];
  testsNode.items.forEach((item, index) => {
    const node = item as Node;
    if (!isMap(node)) {
      problem(node, `test ${index + 1} must be a mapping with \`name\`, \`data\` and \`expect\``);
      return;
    }
    checkKeys(node, ['name', 'kpi', 'query', 'data', 'expect', 'tolerance'], problem);
    const name = textOf(node.get('name', true), 'name', problem) ?? `test ${index + 1}`;
    const kpi = textOf(node.get('kpi', true), 'kpi', problem) ?? fileKpi;
    if (kpi === undefined) problem(node, `test \`${name}\` names no KPI: add \`kpi: NAME\` to the test or to the file`);
    const data = new Map(fileData);
    for (const [source, fixture] of readData(node.get('data', true), problem, text)) data.set(source, fixture);
    const expectNode = node.get('expect', true);
    const expect = readExpect(expectNode, problem, text);
    if (expectNode === undefined)
      problem(node, `test \`${name}\` has no \`expect:\` (a list of rows; \`[]\` for no rows)`);
    const tolerance = numberOf(node.get('tolerance', true), 'tolerance', problem) ?? fileTolerance;
    tests.push({
      file,
      name,
      line: lineOf(node),
      kpi: kpi ?? '',
      query: readQuery(node.get('query', true), problem),
      data,
      expect,
      ...(tolerance === undefined ? {} : { tolerance }),
    });
  });
  return { tests, problems };
}

type Report = (node: Node | null | undefined, message: string) => void;

function checkKeys(map: YAMLMap, allowed: readonly string[], problem: Report): void {
  for (const pair of map.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key))
      problem(pair.key, `unknown key \`${key}\` here; expected one of ${allowed.map((k) => `\`${k}\``).join(', ')}`);
  }
}

function textOf(node: unknown, what: string, problem: Report): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
  problem(node as Node, `\`${what}\` must be a text`);
  return undefined;
}

function numberOf(node: unknown, what: string, problem: Report): number | undefined {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node) && typeof node.value === 'number' && node.value >= 0) return node.value;
  problem(node as Node, `\`${what}\` must be a number of 0 or more`);
  return undefined;
}

function readQuery(node: unknown, problem: Report): TestQuery {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) {
    problem(node as Node, '`query:` must be a mapping of `by`, `grain`, `from`, `to`, `where`');
    return {};
  }
  checkKeys(node, ['by', 'grain', 'from', 'to', 'where'], problem);
  const query: Record<string, string> = {};
  for (const key of ['grain', 'from', 'to', 'where'] as const) {
    const value = textOf(node.get(key, true), key, problem);
    if (value !== undefined) query[key] = value;
  }
  const by = node.get('by', true);
  if (isSeq(by)) query['by'] = by.items.map((item) => (isScalar(item) ? String(item.value) : '')).join(',');
  else {
    const value = textOf(by, 'by', problem);
    if (value !== undefined) query['by'] = value;
  }
  return query;
}

/** `data:` -> source (lower case) -> fixture. */
function readData(node: unknown, problem: Report, text: string): Map<string, Fixture> {
  const data = new Map<string, Fixture>();
  if (node === undefined || node === null) return data;
  if (!isMap(node)) {
    problem(node as Node, '`data:` must map source names to their rows');
    return data;
  }
  for (const pair of node.items as Pair<Node, Node>[]) {
    const source = isScalar(pair.key) ? String(pair.key.value) : '';
    let rowsNode: unknown = pair.value;
    const types: Record<string, string> = {};
    if (isMap(pair.value)) {
      checkKeys(pair.value, ['rows', 'types'], problem);
      rowsNode = pair.value.get('rows', true) ?? null;
      const typesNode = pair.value.get('types', true);
      if (isMap(typesNode))
        for (const t of typesNode.items as Pair<Node, Node>[])
          types[String((t.key as Scalar).value)] = String((t.value as Scalar | null)?.value ?? '');
      else if (typesNode !== undefined)
        problem(typesNode as Node, '`types:` must map column names to SQL types, e.g. `nps: INTEGER`');
    }
    const rows: Record<string, FixtureValue>[] = [];
    if (rowsNode !== null && !isSeq(rowsNode))
      problem(pair.value, `the data of \`${source}\` must be a list of rows (or \`{ types: ..., rows: [...] }\`)`);
    else if (isSeq(rowsNode)) {
      for (const row of rowsNode.items as Node[]) {
        if (!isMap(row)) {
          problem(row, `each row of \`${source}\` must be a mapping of column to value`);
          continue;
        }
        const values: Record<string, FixtureValue> = {};
        for (const cell of row.items as Pair<Node, Node>[])
          values[String((cell.key as Scalar).value)] = fixtureValue(cell.value, text, problem);
        rows.push(values);
      }
    }
    data.set(source.toLowerCase(), { rows, types });
  }
  return data;
}

function fixtureValue(node: Node | null, text: string, problem: Report): FixtureValue {
  if (node === null || (isScalar(node) && node.value === null)) return null;
  if (!isScalar(node)) {
    problem(node, 'a fixture value must be a number, text, true/false or null');
    return null;
  }
  const value = node.value;
  if (typeof value === 'number') {
    // Keep the digits as written: a 64-bit id or an exact decimal must not pass through a double.
    const written = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(value);
    return /^-?\d+(\.\d+)?$/.test(written) && String(value) !== written.replace(/^(-?)0+(?=\d)/, '$1')
      ? { exact: written }
      : value;
  }
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

function readExpect(node: unknown, problem: Report, text: string): ReadonlyMap<string, Expected>[] {
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) {
    problem(node as Node, '`expect:` must be a list of rows (`[]` for no rows)');
    return [];
  }
  const rows: Map<string, Expected>[] = [];
  for (const row of node.items as Node[]) {
    if (!isMap(row)) {
      problem(row, 'each expected row must be a mapping of result column to value');
      continue;
    }
    const values = new Map<string, Expected>();
    for (const cell of row.items as Pair<Node, Node>[])
      values.set(String((cell.key as Scalar).value).toLowerCase(), expectedValue(cell.value, text));
    rows.push(values);
  }
  return rows;
}

function expectedValue(node: Node | null, text: string): Expected {
  if (node === null || !isScalar(node) || node.value === null) return { kind: 'null' };
  const value = node.value;
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') {
    const written = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(value);
    const decimals = /\.(\d+)$/.exec(written)?.[1]?.length ?? 0;
    return { kind: 'number', value, text: written, decimals };
  }
  return { kind: 'text', value: String(value) };
}
