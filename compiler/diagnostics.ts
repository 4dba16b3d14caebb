// Diagnostics: what every stage reports instead of throwing.
//
// A stage returns `{ value, diagnostics }`; only compiler bugs throw. Codes
// are kebab-case and never renamed once released (they appear in CI
// configuration, suppressions and SARIF). Messages say what is wrong and
// why; `help` says what to do.

import type { DiagnosticCode } from './codes.ts';
import type { Span } from './syntax/ast.ts';

export type Severity = 'error' | 'warn' | 'info';

export interface Diagnostic {
  /** A stable id: `syntax-error`, `unknown-column`, `customer-reference`, ... */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong, and why, in one or two sentences. Names in backticks. */
  readonly message: string;
  /** Project-relative path with forward slashes; `<query>` for `--where` text, `kpic.yaml` for the project file. */
  readonly file: string;
  readonly span: Span;
  /** What to do: "did you mean `tier`?", "link `campaigns` to the customer ...". */
  readonly help?: string;
  /** Further places or facts ("first declared here: metrics/a.kpi:3:1"). */
  readonly notes?: readonly string[];
}

/** The result of every compiler stage. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Append `items` to `target` one by one. `target.push(...items)` passes every
 * item as an argument and overflows the call stack past about 100,000 (a line
 * of 200,000 bad escapes has as many diagnostics).
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** A stable order: file, then position, then code. Reports never depend on the order files were read. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.span.start.offset - b.span.start.offset ||
      a.span.end.offset - b.span.end.offset ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

/** The diagnostics without repeats (same file, span, code and message), in their order. */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}|${d.span.start.offset}|${d.span.end.offset}|${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A zero-width span at the start of a file, for problems that belong to a whole file. */
export const FILE_START: Span = {
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};

/**
 * The closest candidate within a small edit distance, for "did you mean" hints.
 * Comparison ignores case, as names in kpic do.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const target = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(target.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
