// `kpic lint` for people: findings grouped under their file, each with the
// line and a caret (compiler/render.ts), and one summary line at the end.

import type { Diagnostic } from '../../../compiler/index.ts';
import { escapeLine, MAX_SHOWN_PER_FILE, renderDiagnostic, renderSummary } from '../../../compiler/index.ts';
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
  for (const d of diagnostics) {
    const group = groups.get(d.file);
    if (group) group.push(d);
    else groups.set(d.file, [d]);
  }
  const sections = [...groups].map(([file, found]) => {
    // At most MAX_SHOWN_PER_FILE per file, as everywhere: a file of garbage must not print for minutes.
    const blocks = found
      .slice(0, MAX_SHOWN_PER_FILE)
      .map((d) => renderDiagnostic(d, texts.get(file), { color: options.color, docs: options.docs }));
    const hidden = found.length - MAX_SHOWN_PER_FILE;
    if (hidden > 0)
      blocks.push(
        `${escapeLine(file)}: and ${hidden.toLocaleString('en-US')} more (only the first ${MAX_SHOWN_PER_FILE} of a file are shown)`,
      );
    return `${c.underline(c.bold(escapeLine(file)))}\n\n${blocks.join('\n\n')}`;
  });
  return `${sections.join('\n\n')}\n\n${c.bold(renderSummary(diagnostics))}\n`;
}
