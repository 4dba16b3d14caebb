// Lint `.kpi` text the way `kpic lint` does: parse, resolve against an empty
// catalog (no data), lint. Rule tests are `valid` / `invalid` tables.

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import type { LintConfig } from '../../compiler/lint/lint.ts';
import { lintModel } from '../../compiler/lint/lint.ts';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import type { Model } from '../../compiler/semantic/model.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';

export interface Linted {
  readonly model: Model;
  /** Parse and resolve diagnostics: the tests' projects must have none at error level. */
  readonly compiler: readonly Diagnostic[];
  readonly findings: readonly Diagnostic[];
}

/** Lint one file (`test.kpi`) or several (`{ 'a.kpi': text, ... }`). */
export function lintText(code: string | Record<string, string>, config?: LintConfig): Linted {
  const sources = typeof code === 'string' ? { 'test.kpi': code } : code;
  const compiler: Diagnostic[] = [];
  const files = Object.entries(sources).map(([path, text]) => {
    const parsed = parseFile(text, path);
    compiler.push(...parsed.diagnostics);
    return parsed.value;
  });
  const resolved = resolveProject(files, EMPTY_CATALOG, { timezone: 'UTC' });
  compiler.push(...resolved.diagnostics);
  return { model: resolved.value, compiler, findings: lintModel(resolved.value, config) };
}

/** `test.kpi:3:5 customer-reference` lines, for readable failure output. */
export function describeFindings(findings: readonly Diagnostic[]): string[] {
  return findings.map((d) => `${d.file}:${d.span.start.line}:${d.span.start.column} ${d.code}`);
}

/** Errors of parse and resolve, as text: a test project must be valid kpic. */
export function compilerErrors(linted: Linted): string[] {
  return linted.compiler
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code}: ${d.message}`);
}

export interface InvalidCase {
  readonly name?: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  /** A part of the message, or a pattern it must match. */
  readonly message?: string | RegExp;
  readonly help?: string | RegExp;
  readonly config?: LintConfig;
}

export interface ValidCase {
  readonly name?: string;
  readonly code: string;
  readonly config?: LintConfig;
}

/**
 * One `it` per case. Valid: no finding of `rule`. Invalid: exactly one
 * finding of `rule`, at `line:column`. Every project must parse and resolve.
 */
export function testRule(
  rule: string,
  cases: { valid: readonly (string | ValidCase)[]; invalid: readonly InvalidCase[] },
): void {
  describe(rule, () => {
    cases.valid.forEach((entry, i) => {
      const c = typeof entry === 'string' ? { code: entry } : entry;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const linted = lintText(c.code, c.config);
        expect(compilerErrors(linted)).toEqual([]);
        expect(describeFindings(linted.findings.filter((d) => d.code === rule))).toEqual([]);
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const linted = lintText(c.code, c.config);
        expect(compilerErrors(linted)).toEqual([]);
        const found = linted.findings.filter((d) => d.code === rule);
        expect(describeFindings(found)).toEqual([`test.kpi:${c.line}:${c.column} ${rule}`]);
        const finding = found[0]!;
        if (c.message !== undefined) expect(finding.message).toMatch(asPattern(c.message));
        if (c.help !== undefined) expect(finding.help ?? '').toMatch(asPattern(c.help));
      });
    });
  });
}

function asPattern(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
}

/** A customer entity, 4 lines: the next line of a test project is line 5. */
export const CUSTOMERS = `customer customers from "data/customers.csv" {
  key customer_id
  dimension tier, region
}
`;
