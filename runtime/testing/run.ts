// Running metric tests: each test's fixture rows become the sources' data,
// its KPI query is compiled against them and run, and the rows are compared
// with what the test expects.

import { appendAll } from '../../compiler/index.ts';
import type { Diagnostic } from '../../compiler/index.ts';
import { hasErrors, suggest } from '../../compiler/index.ts';
import { compileQuery } from '../../compiler/index.ts';
import { renderDiagnostics } from '../../compiler/index.ts';
import { errorsAffecting, resolveProject } from '../../compiler/index.ts';
import { UsageError } from '../cli/errors.ts';
import { parseQueryFlags, QueryTextError } from '../cli/query-flags.ts';
import type { Definitions } from '../diff/definitions.ts';
import { readSchemaSnapshot } from '../project/schema-snapshot.ts';
import { globFiles } from '../project/glob.ts';
import { projectPath } from '../project/paths.ts';
import { projectBoundary, readTextInside } from '../project/safe-read.ts';
import { compareRows } from './compare.ts';
import type { FixtureEngine } from './fixture-engine.ts';
import { planFixtures, substituteRelations } from './fixtures.ts';
import type { SpecProblem, TestCase } from './spec.ts';
import { parseTestFile } from './spec.ts';

export type TestOutcome =
  | { readonly kind: 'pass'; readonly test: TestCase }
  | { readonly kind: 'fail'; readonly test: TestCase; readonly lines: readonly string[] }
  /** The test could not run: a bad query, an unknown KPI, rows that do not fit, a model with errors. */
  | { readonly kind: 'error'; readonly test: TestCase; readonly lines: readonly string[] };

export interface TestRun {
  readonly files: number;
  readonly outcomes: readonly TestOutcome[];
  readonly problems: readonly SpecProblem[];
}

/** A test file holds hand-written fixtures: 16 MiB is far beyond any. */
const MAX_TEST_FILE_BYTES = 16 * 1024 * 1024;

/** The test files of the project: `**\/*.test.yaml` and `.test.yml`, node_modules aside. */
export function findTestFiles(root: string): string[] {
  return globFiles(root, ['**/*.test.yaml', '**/*.test.yml'], { ignore: ['**/node_modules/**'] });
}

/** Run the tests of `files` (absolute paths) whose `kpi` or name contains `filter`. */
export async function runTests(
  definitions: Definitions,
  files: readonly string[],
  filter: string | undefined,
  /** Called before each test runs: its index (from 0), the number of tests, the test. */
  onTest?: (index: number, total: number, test: TestCase) => void,
): Promise<TestRun> {
  const problems: SpecProblem[] = [];
  const tests: TestCase[] = [];
  const boundary = projectBoundary(definitions.root);
  for (const absolute of files) {
    const shown = projectPath(definitions.root, absolute);
    // Test specs and their inline fixtures are read like every other project file.
    const read = readTextInside(absolute, boundary, MAX_TEST_FILE_BYTES, shown);
    if ('refused' in read) {
      problems.push({ file: shown, line: 1, message: read.refused.message });
      continue;
    }
    const parsed = parseTestFile(read.text, shown);
    appendAll(problems, parsed.problems);
    tests.push(...parsed.tests);
  }
  const wanted =
    filter === undefined
      ? tests
      : tests.filter((t) => `${t.name}\n${t.kpi}`.toLowerCase().includes(filter.toLowerCase()));
  const snapshot = readSchemaSnapshot(definitions.root).snapshot;
  const outcomes: TestOutcome[] = [];
  // The native engine loads only when a test will run.
  const engine = wanted.length > 0 ? await (await import('./fixture-engine.ts')).openFixtureEngine() : undefined;
  try {
    for (const [index, test] of wanted.entries()) {
      onTest?.(index, wanted.length, test);
      outcomes.push(await runTest(definitions, test, snapshot, engine!));
    }
  } finally {
    engine?.close();
  }
  return { files: files.length, outcomes, problems };
}

async function runTest(
  definitions: Definitions,
  test: TestCase,
  snapshot: ReturnType<typeof readSchemaSnapshot>['snapshot'],
  engine: FixtureEngine,
): Promise<TestOutcome> {
  const error = (lines: readonly string[]): TestOutcome => ({ kind: 'error', test, lines });
  const kpi = definitions.model.kpis.get(test.kpi.toLowerCase());
  if (!kpi) {
    const guess = suggest(
      test.kpi,
      [...definitions.model.kpis.values()].map((k) => k.name),
    );
    return error([`unknown KPI \`${test.kpi}\`${guess ? `; did you mean \`${guess}\`?` : ''}`]);
  }
  const plan = planFixtures(definitions.model, test.data, snapshot);
  if (plan.problems.length > 0) return error(plan.problems);
  const resolved = resolveProject(definitions.files, plan.catalog, { timezone: definitions.model.timezone });
  // Errors in declarations this KPI does not use do not stop its test (compiler/semantic/affects.ts).
  const own = resolved.value.kpis.get(kpi.name.toLowerCase());
  const blocking = own
    ? errorsAffecting(resolved.value, own, resolved.diagnostics)
    : resolved.diagnostics.filter((d) => d.severity === 'error');
  if (blocking.length > 0 || !own)
    return error(['the metrics do not resolve against the fixture columns:', ...frames(blocking, definitions.texts)]);
  let query: ReturnType<typeof parseQueryFlags>['query'];
  try {
    query = parseQueryFlags(kpi.name, test.query).query;
  } catch (problem) {
    if (problem instanceof UsageError)
      return error([`query: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`]);
    if (problem instanceof QueryTextError)
      return error([`query: \`where\` does not parse:`, ...frames(problem.diagnostics, problem.texts)]);
    throw problem;
  }
  const compiled = compileQuery(substituteRelations(resolved.value, plan.tableOf), query, { dataRoot: '/' });
  if (!compiled.value || hasErrors(compiled.diagnostics)) {
    const texts = new Map(definitions.texts);
    if (test.query.where !== undefined) texts.set('<query>', `--where ${test.query.where}`);
    return error([
      'the query does not compile:',
      ...frames(
        compiled.diagnostics.filter((d) => d.severity === 'error'),
        texts,
      ),
    ]);
  }
  let result: Awaited<ReturnType<typeof engine.query>>;
  try {
    await engine.load(plan.tables);
    result = await engine.query(compiled.value.sql);
  } catch (problem) {
    const message = problem instanceof Error ? problem.message : String(problem);
    const table = /Table with name "?([A-Za-z0-9_]+)"? does not exist/i.exec(message)?.[1];
    const hint = table
      ? `; give rows for source \`${table}\` (\`${table}: []\` for none), or add it to kpic.schema.json`
      : '';
    return error([`the query failed on the fixture data: ${message}${hint}`]);
  }
  const comparison = compareRows(test.expect, result.columns, result.rows, test.tolerance);
  return comparison.ok ? { kind: 'pass', test } : { kind: 'fail', test, lines: comparison.lines };
}

function frames(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string[] {
  return renderDiagnostics(diagnostics, texts, { color: false }).trimEnd().split('\n');
}
