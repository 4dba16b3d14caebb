// `kpic fmt [PATHS] [--check]`: one canonical layout for `.kpi` files.
//
// The layout is `formatFile`'s (compiler/syntax/format.ts), which re-parses
// its own output and gives nothing back unless the AST and every comment
// survive; so fmt never drops or moves a comment, and a file whose comments
// it cannot place is left untouched and reported. A file is written to a
// temporary file next to it, then renamed over it. Every file is formatted
// and written to its temporary file first, with signals handled between
// files; only then are all renamed, in one go: a Ctrl-C before that point
// leaves every file byte-identical (exit 130), one after it is too late and
// the run ends normally.

import { appendAll } from '../../../compiler/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../../../compiler/index.ts';
import { formatFile, MAX_FILE_BYTES } from '../../../compiler/index.ts';
import { findRootFolder } from '../../diff/definitions.ts';
import { unifiedDiff } from '../../diff/text-diff.ts';
import { DEFAULT_CONFIG, parseConfig, ProjectFileError } from '../../project/config.ts';
import { expandPaths, findProjectFiles, MAX_CONFIG_BYTES } from '../../project/files.ts';
import { projectBoundary, readTextInside } from '../../project/safe-read.ts';
import { projectPath } from '../../project/paths.ts';
import { readKpiText } from '../../project/read.ts';
import { EXIT, UsageError } from '../errors.ts';
import { beginCommit, signalsHandled, stopIfInterrupted } from '../interrupted.ts';
import { outputOf } from '../output.ts';
import { printDiagnostics } from '../report.ts';
import { openAtomic, OutsideWriteError } from '../write-atomic.ts';
import type { AtomicFile } from '../write-atomic.ts';

export function register(program: Command): void {
  program
    .command('fmt')
    .description('format .kpi files in the one canonical layout (comments kept)')
    .argument('[paths...]', 'files or folders to format (default: every .kpi file of the project)')
    .option('--check', 'write nothing; list the files that would change with a diff, and exit 1 if any would')
    .action(async (paths: string[], flags: { check?: boolean }, command: Command) => {
      const output = outputOf(command);
      const { project } = command.optsWithGlobals<{ project?: string }>();
      const cwd = process.cwd();
      const root = findRootFolder(cwd, project, { optional: paths.length > 0 });
      const boundary = projectBoundary(root);
      const targets = listTargets(cwd, root, paths, boundary);
      const problems: Diagnostic[] = [];
      const texts = new Map<string, string>();
      const changed: string[] = [];
      const written: { file: AtomicFile; shown: string }[] = [];
      let committed = 0;
      try {
        for (const { absolute, shown } of targets) {
          // A signal is seen only when the event loop turns: let it, between files.
          await signalsHandled();
          stopIfInterrupted();
          const read = readKpiText(absolute, shown, boundary);
          if ('diagnostic' in read) {
            problems.push(read.diagnostic);
            continue;
          }
          texts.set(shown, read.text);
          const formatted = formatFile(read.text, shown);
          if (formatted.value === undefined) {
            appendAll(problems, formatted.diagnostics);
            continue;
          }
          // A byte-order mark is dropped by reading; writing without it is part of the canonical layout.
          const raw = readTextInside(absolute, boundary, MAX_FILE_BYTES, shown);
          if ('refused' in raw) continue; // it changed since it was read: left alone
          const original = raw.text;
          if (formatted.value === original) continue;
          changed.push(shown);
          if (flags.check) output.out(`would reformat ${shown}\n${unifiedDiff(original, formatted.value, shown)}`);
          else {
            // The real path read (and checked to lie inside the project) is the one written: a symlinked
            // folder cannot send the write elsewhere, and the file keeps its mode.
            try {
              const file = openAtomic(raw.real, { inside: boundary });
              written.push({ file, shown });
              file.write(formatted.value);
            } catch (error) {
              if (!(error instanceof OutsideWriteError)) throw error;
              problems.push(outsideDiagnostic(shown, error.message));
              changed.pop();
              continue;
            }
          }
        }
        if (written.length > 0) {
          await signalsHandled();
          // From here every file is renamed into place; a signal seen now is too late to stop that.
          beginCommit();
          for (const { file, shown } of written) {
            file.commit();
            committed += 1;
            output.out(`formatted ${shown}\n`);
          }
        }
      } finally {
        // Interrupted or failed before the renames: no temporary file stays, no file changes.
        for (const { file } of written.slice(committed)) file.abort();
      }
      printDiagnostics(output, problems, texts, 'err');
      const failed = new Set(problems.map((d) => d.file)).size;
      output.out(`${summary(targets.length, changed.length, failed, flags.check === true)}\n`);
      process.exitCode = failed > 0 || (flags.check && changed.length > 0) ? EXIT.problems : EXIT.ok;
    });
}

function summary(total: number, changed: number, failed: number, check: boolean): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const parts = [
    check ? `${files(changed)} would be reformatted` : `${files(changed)} reformatted`,
    `${files(total - changed - failed)} already formatted`,
  ];
  if (failed > 0) parts.push(`${files(failed)} not formatted (see the errors above)`);
  const hint = check && changed > 0 ? '; run `kpic fmt` to fix' : '';
  return `${parts.join(', ')}${hint}`;
}

/** The files to format: those named (folders give their `.kpi` files), else the project's. */
function listTargets(
  cwd: string,
  root: string,
  paths: readonly string[],
  boundary: string,
): { absolute: string; shown: string }[] {
  let files: string[];
  if (paths.length > 0) {
    const expanded = expandPaths(cwd, paths, boundary);
    if (expanded.missing.length > 0) throw new UsageError(`no such file or folder: ${expanded.missing.join(', ')}`);
    const notKpi = expanded.files.filter((f) => !f.endsWith('.kpi'));
    if (notKpi.length > 0)
      throw new UsageError(
        `not a .kpi file: ${notKpi.map((f) => projectPath(cwd, f)).join(', ')}`,
        'kpic fmt formats only .kpi files.',
      );
    files = expanded.files;
  } else {
    const configPath = join(root, 'kpic.yaml');
    const read = existsSync(configPath)
      ? readTextInside(configPath, boundary, MAX_CONFIG_BYTES, 'kpic.yaml')
      : undefined;
    if (read && 'refused' in read) throw new ProjectFileError(read.refused.message);
    const parsed = read ? parseConfig(read.text) : { config: DEFAULT_CONFIG, spans: { include: [], rules: new Map() } };
    // Only the project's own files: included libraries are formatted in their own repositories.
    files = findProjectFiles(root, { ...parsed.config, include: [] }, parsed.spans, 'kpic.yaml', boundary)
      .files as string[];
  }
  return [...new Set(files)]
    .map((absolute) => ({ absolute, shown: projectPath(paths.length > 0 ? cwd : root, absolute) }))
    .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
}

/** A file whose real path left the project between its read and its write. */
function outsideDiagnostic(file: string, reason: string): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return {
    code: 'unsafe-path',
    severity: 'error',
    message: `${file} was not formatted: ${reason}`,
    file,
    span: { start: at, end: at },
    help: 'replace the link by the file itself, inside the project.',
  };
}
