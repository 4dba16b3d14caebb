// Small helpers to build the resolver's diagnostics consistently.

import type { ErrorCode } from '../codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { suggest } from '../diagnostics.ts';
import type { Span } from '../syntax/ast.ts';

/** Where diagnostics go while a stage runs; sorted once at the end. */
export type Sink = Diagnostic[];

export interface ErrorParts {
  readonly help?: string | undefined;
  readonly notes?: readonly string[] | undefined;
}

/** Push an error diagnostic; `help`/`notes` only when they say something. */
export function reportError(
  sink: Sink,
  code: ErrorCode,
  file: string,
  span: Span,
  message: string,
  parts: ErrorParts = {},
): void {
  const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: 'error',
    message,
    file,
    span,
  };
  if (parts.help) diagnostic.help = parts.help;
  if (parts.notes && parts.notes.length > 0) diagnostic.notes = parts.notes;
  sink.push(diagnostic);
}

/** `metrics/a.kpi:3:8`, as notes print places. */
export function formatPlace(file: string, span: Span): string {
  return `${file}:${span.start.line}:${span.start.column}`;
}

/** "did you mean `tier`?" when a candidate is close, otherwise `fallback`. */
export function didYouMean(name: string, candidates: Iterable<string>, fallback?: string): string | undefined {
  const best = suggest(name, candidates);
  return best !== undefined ? `did you mean \`${best}\`?` : fallback;
}

/** `a`, `b` and `c` */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
