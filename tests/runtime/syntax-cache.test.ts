// Parsed `.kpi` files kept between commands (runtime/cache/syntax.ts): a
// tree read back is the tree the parser builds, for every `.kpi` file of the
// repository; entries are found by text, path and parser identity, and never
// taken from a folder others may write in.

import { chmodSync, cpSync, globSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../compiler/index.ts';
import { parseFileKept } from '../../runtime/cache/syntax.ts';
import { hashSyntaxSources } from '../../runtime/cache/syntax-id.ts';
import { makeTempDir } from './helpers.ts';

const repo = resolve(import.meta.dirname, '../..');
let temp: ReturnType<typeof makeTempDir>;
let folder: string;
const saved = process.env['KPIC_CACHE_DIR'];

beforeAll(() => {
  temp = makeTempDir('kpic-syntax-');
  process.env['KPIC_CACHE_DIR'] = temp.dir;
  folder = join(temp.dir, 'syntax');
});

afterAll(() => {
  if (saved === undefined) delete process.env['KPIC_CACHE_DIR'];
  else process.env['KPIC_CACHE_DIR'] = saved;
  temp?.cleanup();
});

const entries = () => readdirSync(folder).filter((f) => f.endsWith('.json'));

describe('the syntax cache', () => {
  it('gives back exactly the tree and diagnostics the parser builds, for every .kpi file of the repository', () => {
    const files = globSync(['examples/**/*.kpi', 'metrics/**/*.kpi', 'tests/**/*.kpi', 'runtime/**/*.kpi'], {
      cwd: repo,
    });
    expect(files.length).toBeGreaterThan(100);
    let withDiagnostics = 0;
    for (const file of files) {
      const parsed = parseFile(readFileSync(join(repo, file), 'utf8'), file);
      if (parsed.diagnostics.length > 0) withDiagnostics++;
      // Strict: a property holding `undefined`, a NaN or a -0 would not survive JSON.
      expect(JSON.parse(JSON.stringify(parsed)), file).toStrictEqual(parsed);
      // Objects the parser shares between nodes become copies; only positions and spans may be shared.
      for (const kind of sharedObjects(parsed)) expect(['start', 'end', 'span'], file).toContain(kind);
    }
    // Files with syntax errors are among them (their diagnostics are kept too).
    expect(withDiagnostics).toBeGreaterThan(0);
  });

  it('parses once, then reads the kept tree for the same text and path', () => {
    const text = 'customer customers from "c.csv" {\n  key id\n  measure n = count()\n}\n';
    const first = parseFileKept(text, 'model.kpi');
    expect(first).toStrictEqual(parseFile(text, 'model.kpi'));
    expect(entries()).toHaveLength(1);
    expect(parseFileKept(text, 'model.kpi')).toStrictEqual(first);
    expect(entries()).toHaveLength(1);
    // Another path is another tree (spans and diagnostics name the file).
    expect(parseFileKept(text, 'other.kpi').value.path).toBe('other.kpi');
    expect(entries()).toHaveLength(2);
  });

  it('reads what the folder holds only while no one else may write in it', () => {
    const text = 'kpi k {\n  numerator n\n}\n';
    parseFileKept(text, 'k.kpi');
    const name = entries().find((f) => readFileSync(join(folder, f), 'utf8').includes('"k.kpi"'))!;
    const entry = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    entry.result.value.declarations = [];
    writeFileSync(join(folder, name), JSON.stringify(entry));
    // Planted in the user's own folder, it is believed: the folder must be the user's alone.
    expect(parseFileKept(text, 'k.kpi').value.declarations).toEqual([]);
    chmodSync(folder, 0o777);
    try {
      expect(parseFileKept(text, 'k.kpi').value.declarations).toHaveLength(1);
    } finally {
      chmodSync(folder, 0o700);
    }
  });

  it("changes the parser's identity with any file of the syntax stage", () => {
    const copy = join(temp.dir, 'copy');
    mkdirSync(join(copy, 'compiler'), { recursive: true });
    cpSync(join(repo, 'compiler', 'syntax'), join(copy, 'compiler', 'syntax'), { recursive: true });
    cpSync(join(repo, 'compiler', 'diagnostics.ts'), join(copy, 'compiler', 'diagnostics.ts'));
    cpSync(join(repo, 'package.json'), join(copy, 'package.json'));
    cpSync(
      join(repo, 'node_modules', 'chevrotain', 'package.json'),
      join(copy, 'node_modules/chevrotain/package.json'),
      {
        recursive: true,
      },
    );
    const before = hashSyntaxSources(copy);
    expect(before).toBe(hashSyntaxSources(repo));
    writeFileSync(join(copy, 'compiler', 'syntax', 'to-ast.ts'), '// changed\n', { flag: 'a' });
    expect(hashSyntaxSources(copy)).not.toBe(before);
    expect(hashSyntaxSources(join(temp.dir, 'nowhere'))).toBeUndefined();
  });
});

/** The `kind` (property name) of every object reached twice in a tree. */
function sharedObjects(root: unknown): Set<string> {
  const seen = new Set<object>();
  const shared = new Set<string>();
  const stack: [unknown, string][] = [[root, 'root']];
  while (stack.length > 0) {
    const [value, key] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) {
      shared.add(key);
      continue;
    }
    seen.add(value);
    for (const [k, v] of Object.entries(value)) stack.push([v, Array.isArray(value) ? key : k]);
  }
  return shared;
}
