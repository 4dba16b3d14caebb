// `kpic lint --format json`: one array of findings with a fixed field order,
// so scripts can diff the output of two runs.

import type { Diagnostic } from '../../../compiler/index.ts';

export interface LintJsonFinding {
  readonly rule: string;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** `null` when there is nothing to suggest: the field is always present. */
  readonly help: string | null;
}

/** The findings as JSON objects, in the order given (callers pass them sorted). */
export function toLintJson(diagnostics: readonly Diagnostic[]): LintJsonFinding[] {
  return diagnostics.map((d) => ({
    rule: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    help: d.help ?? null,
  }));
}

/** Pretty-printed JSON text with a final newline. */
export function formatLintJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(toLintJson(diagnostics), null, 2)}\n`;
}
