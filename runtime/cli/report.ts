// Printing diagnostics for a command, and the exit code they mean.

import type { Diagnostic } from '../../compiler/index.ts';
import { hasErrors } from '../../compiler/index.ts';
import { renderDiagnostics } from '../../compiler/index.ts';
import { docsPagePath } from '../docs-links.ts';
import { EXIT } from './errors.ts';
import type { Output } from './output.ts';

/** Render diagnostics (with code frames) to stdout or stderr. Nothing is printed for none. */
export function printDiagnostics(
  output: Output,
  diagnostics: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
  stream: 'out' | 'err',
): void {
  if (diagnostics.length === 0) return;
  const links = stream === 'out' ? output.docsLinks : output.docsLinksErr;
  const text = renderDiagnostics(diagnostics, texts, {
    color: stream === 'out' ? output.color : output.colorErr,
    docs: links ? docsPagePath : undefined,
  });
  if (stream === 'out') output.out(text);
  else output.err(text);
}

/** 1 when any diagnostic is an error, else 0. */
export function exitCodeOf(diagnostics: readonly Diagnostic[]): number {
  return hasErrors(diagnostics) ? EXIT.problems : EXIT.ok;
}

/** Texts of two sources merged (project files and `--where`). */
export function mergeTexts(...maps: ReadonlyMap<string, string>[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const map of maps) for (const [k, v] of map) merged.set(k, v);
  return merged;
}
