// Shared helpers of the semantic tests: parse `.kpi` text, resolve, and
// find where a piece of text sits (line and column worked out here, from
// the text itself, not from the compiler).

import { expect } from 'vitest';
import type { Diagnostic, Result } from '../../compiler/diagnostics.ts';
import type { Catalog } from '../../compiler/semantic/catalog.ts';
import type { Model } from '../../compiler/semantic/model.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import type { KpiFile } from '../../compiler/syntax/ast.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';

/** Parse a file; the text must be free of syntax errors. */
export function parse(path: string, text: string): KpiFile {
  const result = parseFile(text, path);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(
      `syntax errors in test input ${path}: ${errors.map((e) => `${e.span.start.line}:${e.span.start.column} ${e.message}`).join('; ')}`,
    );
  return result.value;
}

export function resolveTexts(files: Record<string, string>, catalog: Catalog, timezone?: string): Result<Model> {
  const parsed = Object.entries(files).map(([path, text]) => parse(path, text));
  return resolveProject(parsed, catalog, timezone === undefined ? {} : { timezone });
}

/** 1-based line and column of the `occurrence`-th `needle` in `text`. */
export function locate(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`\`${needle}\` not found ${occurrence} time(s)`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Exactly one diagnostic with `code`, at the place of `needle` in `text`; returns it. */
export function expectOne(
  diagnostics: readonly Diagnostic[],
  code: string,
  file: string,
  text: string,
  needle: string,
  occurrence = 1,
): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found.map(summary), `diagnostics: ${diagnostics.map(summary).join(' | ')}`).toHaveLength(1);
  const diagnostic = found[0]!;
  const place = locate(text, needle, occurrence);
  expect({ file: diagnostic.file, line: diagnostic.span.start.line, column: diagnostic.span.start.column }).toEqual({
    file,
    ...place,
  });
  expect(diagnostic.severity).toBe('error');
  expect(diagnostic.message.length).toBeGreaterThan(10);
  return diagnostic;
}

export function summary(d: Diagnostic): string {
  return `${d.code} ${d.file}:${d.span.start.line}:${d.span.start.column} ${d.message}`;
}
