// The compiler's layering, checked on the source text (Biome's
// noRestrictedImports cannot tell `import type` from a value import):
// sql/ reads the planner's types only, plan/ never reaches into sql/, and the
// emitters never test which dialect they write for (that is sql/dialect/).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const COMPILER = resolve(import.meta.dirname, '../../compiler');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every `import ... from '...'` / `export ... from '...'` of a file: its target (resolved) and whether it is type-only. */
function imports(file: string): { target: string; typeOnly: boolean; text: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { target: string; typeOnly: boolean; text: string }[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    if (!m[3]!.startsWith('.')) continue;
    out.push({ target: relative(COMPILER, resolve(file, '..', m[3]!)), typeOnly: m[2] !== undefined, text: m[0] });
  }
  return out;
}

const rel = (file: string) => relative(COMPILER, file);

describe('compiler layering', () => {
  it('finds the imports it checks (the scanner is not blind)', () => {
    const status = imports(join(COMPILER, 'sql/status.ts'));
    expect(status.some((i) => i.target === 'plan/thresholds.ts' && i.typeOnly)).toBe(true);
    expect(status.some((i) => i.target === 'sql/expr.ts' && !i.typeOnly)).toBe(true);
    const planner = imports(join(COMPILER, 'plan/result.ts'));
    expect(planner.some((i) => i.target === 'plan/thresholds.ts' && !i.typeOnly)).toBe(true);
  });

  it('sql/ imports only types from plan/', () => {
    const offending = files(join(COMPILER, 'sql')).flatMap((file) =>
      imports(file)
        .filter((i) => i.target.startsWith('plan/') && !i.typeOnly)
        .map((i) => `${rel(file)}: ${i.text}`),
    );
    expect(offending).toEqual([]);
  });

  it('plan/ never imports sql/', () => {
    const offending = files(join(COMPILER, 'plan')).flatMap((file) =>
      imports(file)
        .filter((i) => i.target.startsWith('sql/'))
        .map((i) => `${rel(file)}: ${i.text}`),
    );
    expect(offending).toEqual([]);
  });

  it('the emitters name no dialect: engine differences live in sql/dialect/', () => {
    const offending = files(join(COMPILER, 'sql'))
      .filter((file) => !rel(file).startsWith('sql/dialect/'))
      .filter((file) => /['"](postgres|duckdb)['"]/.test(readFileSync(file, 'utf8')))
      .map(rel);
    expect(offending).toEqual([]);
  });

  it('sql/derived.ts and sql/emit.ts do not import each other', () => {
    expect(imports(join(COMPILER, 'sql/derived.ts')).map((i) => i.target)).not.toContain('sql/emit.ts');
  });
});
