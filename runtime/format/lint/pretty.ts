// `kpic lint` for people: findings grouped under their file, each with the
// line and a caret (compiler/render.ts), and one summary line at the end.

import type { Diagnostic } from '../../../compiler/index.ts';
import { escapeLine, renderDiagnostic, renderSummary } from '../../../compiler/index.ts';
import { createColors } from 'picocolors';

export interface PrettyOptions {
  /** Colour only on a terminal; the caller decides (TTY, NO_COLOR). */
  readonly color: boolean;
  /** How many `.kpi` files were linted, for the summary of a clean run. */
  readonly fileCount?: number;
  /** The `docs:` line of each finding (compiler/render.ts); none when absent. */
  readonly docs?: ((code: string) => string | undefined) | undefined;
}

/** The report as text, ending with a newline. */
export function formatLintPretty(
  diagnostics: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
  options: PrettyOptions,
): string {
  const c = createColors(options.color);
  if (diagnostics.length === 0) {
    const files =
      options.fileCount === undefined ? '' : ` in ${options.fileCount} file${options.fileCount === 1 ? '' : 's'}`;
    return `${c.green('no problems')}${files}\n`;
  }
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) groups.set(d.file, [...(groups.get(d.file) ?? []), d]);
  const sections = [...groups].map(([file, found]) => {
    const blocks = found.map((d) => renderDiagnostic(d, texts.get(file), { color: options.color, docs: options.docs }));
    return `${c.underline(c.bold(escapeLine(file)))}\n\n${blocks.join('\n\n')}`;
  });
  return `${sections.join('\n\n')}\n\n${c.bold(renderSummary(diagnostics))}\n`;
}
