// `kpic lint --format github`: GitHub Actions workflow commands, one per
// finding, which the runner turns into annotations on the pull request:
//   ::error file=metrics/a.kpi,line=12,col=5,endLine=12,endColumn=18,title=customer-reference::KPI `x` has ...
//
// Escaping follows the runner's rules: in the message `%`, CR and LF are
// percent-encoded; in properties `:` and `,` are as well, since they separate
// the properties. A line break left raw would end the command and let the
// rest of a message (a file name, a quoted value) start a workflow command of
// its own (`::error::all checks passed`, `::add-mask::`, `::stop-commands::`).
// Other control characters (ESC, BEL, bidirectional controls) are written as
// visible escapes (`\x1b`), as in every human output: the log viewer obeys them.

import { posix } from 'node:path';
import type { Diagnostic, Severity } from '../../../compiler/index.ts';
import { escapeControls } from '../../../compiler/index.ts';

const COMMANDS: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'notice' };

export interface GithubOptions {
  /** Prefix for file paths, so annotations land on repository paths when the project is a subfolder (`metrics/`). */
  readonly pathPrefix?: string;
}

/** One workflow command per finding, each on its own line. */
export function formatLintGithub(diagnostics: readonly Diagnostic[], options: GithubOptions = {}): string {
  return diagnostics.map((d) => `${formatCommand(d, options.pathPrefix ?? '')}\n`).join('');
}

function formatCommand(d: Diagnostic, prefix: string): string {
  const properties = [
    // An included file is `../../shared/x.kpi` from the project: `examples/saas/../../shared/x.kpi`
    // must become the repository path `shared/x.kpi` for the annotation to land on it.
    ['file', posix.normalize(`${prefix}${d.file}`)],
    ['line', String(d.span.start.line)],
    ['col', String(d.span.start.column)],
    ['endLine', String(d.span.end.line)],
    ['endColumn', String(d.span.end.column)],
    ['title', d.code],
  ]
    .map(([key, value]) => `${key}=${escapeProperty(value!)}`)
    .join(',');
  const message = d.help ? `${d.message}\nhint: ${d.help}` : d.message;
  return `::${COMMANDS[d.severity]} ${properties}::${escapeData(message)}`;
}

/** The message part of a workflow command: `%`, CR, LF percent-encoded, other controls as visible escapes. */
export function escapeData(text: string): string {
  return escapeControls(text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A'));
}

/** A property value of a workflow command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
