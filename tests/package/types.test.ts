// The type declarations a TypeScript user of `kpic` gets: built as
// `npm run build` builds them (tsconfig.build.json), placed where package.json's
// `types` and `exports` say, and used by a small consumer through
// `import ... from 'kpic'` with a strict tsconfig that also checks the
// declarations themselves (skipLibCheck off). A consumer that misuses the
// API must fail the same check, so the check is real.

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  types: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};

/** Packages the declarations import: they must be dependencies, so a user's install has them. */
const DECLARATION_IMPORTS = ['chevrotain', 'kysely'];

const CONSUMER = `import {
  type CompiledQuery,
  compileQuery,
  type Diagnostic,
  type DiagnosticCode,
  docPageOf,
  EMPTY_CATALOG,
  ERROR_CODES,
  formatMessage,
  hasErrors,
  type KpiFile,
  type Model,
  parseFile,
  renderDiagnostics,
  resolveProject,
  type Result,
} from 'kpic';

const text = 'customer customers from "customers.csv" {\\n  key customer_id\\n  measure signups = count()\\n}\\n';
const parsed: Result<KpiFile> = parseFile(text, 'metrics/a.kpi');
const model: Result<Model> = resolveProject([parsed.value], EMPTY_CATALOG, { timezone: 'UTC' });
const compiled = compileQuery(model.value, { kpi: 'signups_total', grain: 'month' }, { dataRoot: '/data' });
const query: CompiledQuery | undefined = compiled.value;
const sql: string | undefined = query?.sql;
const all: readonly Diagnostic[] = [...parsed.diagnostics, ...model.diagnostics, ...compiled.diagnostics];
const codes: DiagnosticCode[] = all.map((d) => d.code);
const page: string | undefined = docPageOf(codes[0] ?? 'unknown-column');
const message: string = formatMessage('wrong-arity', { function: 'round', expected: 2, actual: 3 });
const severity: 'error' | 'warn' | 'info' = ERROR_CODES['unknown-column'].severity;
const shown: string = hasErrors(all) ? renderDiagnostics(all, new Map([['metrics/a.kpi', text]]), { color: false }) : '';
export const summary = [sql, page, message, severity, shown];
`;

const MISUSE = `import { compileQuery, type DiagnosticCode, EMPTY_CATALOG, formatMessage, resolveProject } from 'kpic';

export const code: DiagnosticCode = 'no-such-code';
export const message = formatMessage('wrong-arity', { function: 'round' });
const model = resolveProject([], EMPTY_CATALOG, { timezone: 'UTC' }).value;
export const sql: number = compileQuery(model, { kpi: 'nps' }, { dataRoot: '/data' }).value!.sql;
`;

let scratch: string;

function typeCheck(file: string): { code: number | null; output: string } {
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2023',
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: [file],
    }),
  );
  const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-types-')));
  const installed = join(scratch, 'node_modules', 'kpic');
  const built = join(scratch, 'built');
  // The declarations exactly as the build makes them (scripts/build.ts runs this tsconfig).
  const build = spawnSync(process.execPath, [TSC, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', built], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(`${build.stdout}${build.stderr}`).toBe('');
  expect(build.status).toBe(0);
  mkdirSync(join(installed, 'dist'), { recursive: true });
  cpSync(built, join(installed, 'dist', 'types'), { recursive: true });
  writeFileSync(
    join(installed, 'package.json'),
    JSON.stringify({ name: 'kpic', type: 'module', types: PACKAGE.types, exports: PACKAGE.exports }),
  );
  for (const name of DECLARATION_IMPORTS)
    symlinkSync(join(REPO, 'node_modules', name), join(scratch, 'node_modules', name));
  writeFileSync(join(scratch, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  writeFileSync(join(scratch, 'consumer.ts'), CONSUMER);
  writeFileSync(join(scratch, 'misuse.ts'), MISUSE);
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the type declarations of kpic', () => {
  it('import only packages that are dependencies of kpic', () => {
    const imported = spawnSync(
      'grep',
      ['-rhoE', "from '[^./][^']*'", join(scratch, 'node_modules', 'kpic', 'dist', 'types')],
      {
        encoding: 'utf8',
      },
    )
      .stdout.split('\n')
      .filter((l) => l !== '')
      .map((l) => l.slice("from '".length, -1));
    expect([...new Set(imported)].sort()).toEqual(DECLARATION_IMPORTS);
    for (const name of DECLARATION_IMPORTS) expect(Object.keys(PACKAGE.dependencies)).toContain(name);
  });

  it('type-check a consumer of the public API, declarations included', () => {
    const r = typeCheck('consumer.ts');
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);

  it('refuse an unknown code, a missing message parameter and a wrong result type', () => {
    const r = typeCheck('misuse.ts');
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(
      `misuse.ts(3,14): error TS2322: Type '"no-such-code"' is not assignable to type 'DiagnosticCode'.`,
    );
    expect(r.output).toMatch(/misuse\.ts\(4,53\): error TS2739: .*missing the following properties.*actual, expected/);
    expect(r.output).toMatch(/misuse\.ts\(6,14\): error TS2322: Type 'string' is not assignable to type 'number'\./);
  }, 300_000);
});
