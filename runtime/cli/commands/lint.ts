// `kpic lint [PATHS] --format pretty|json|sarif|github --max-warnings N`
//
// Lint needs no data: the project is parsed and resolved against an empty
// catalog (names of sources, measures, KPIs and dimensions are still
// checked; columns are not), so CI of a metrics repository lints without the
// warehouse. Exit codes: 0 clean, 1 error-level findings or more warnings
// than `--max-warnings`, 2 a usage or project-file problem.

import { appendAll } from '../../../compiler/index.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../../../compiler/index.ts';
import { dedupeDiagnostics, sortDiagnostics } from '../../../compiler/index.ts';
import { ALL_RULE_METAS, lintModel } from '../../../compiler/index.ts';
import { checkValueLiterals, valueLiteralsOfModel } from '../../../compiler/index.ts';
import { readSchemaSnapshot } from '../../project/schema-snapshot.ts';
import { snapshotValues } from '../../project/column-values.ts';
import { renderDiagnostics } from '../../../compiler/index.ts';
import { EMPTY_CATALOG } from '../../../compiler/index.ts';
import { resolveProject } from '../../../compiler/index.ts';
import { ProjectFileError } from '../../project/config.ts';
import { requireProjectRoot } from '../../project/files.ts';
import { forwardSlashes } from '../../project/paths.ts';
import { readProjectFiles } from '../../project/read-files.ts';
import { outputOf } from '../output.ts';
import { PACKAGE_JSON } from '../../package-root.ts';
import { UsageError } from '../errors.ts';
import { changedFilesSince } from '../../diff/git.ts';
import { formatLintGithub } from '../../format/lint/github.ts';
import { formatLintJson } from '../../format/lint/json.ts';
import { formatLintPretty } from '../../format/lint/pretty.ts';
import { formatLintSarif } from '../../format/lint/sarif.ts';
import { docsBaseUrl, docsPagePath, docsPageText } from '../../docs-links.ts';

export const LINT_FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintOptions {
  readonly cwd?: string;
  readonly projectDir?: string;
  readonly paths?: readonly string[];
  readonly format?: LintFormat;
  /** Fail when there are more warnings than this; `undefined`: any number. */
  readonly maxWarnings?: number;
  /** Colour for `pretty`; default: stdout is a terminal and NO_COLOR is unset. */
  readonly color?: boolean;
  /** `--changed-since REF`: report only findings in files changed since this git ref (and untracked files). */
  readonly changedSince?: string;
  /** `pretty`: end each finding with the path of its page (a terminal, not `--quiet`). */
  readonly docsLinks?: boolean;
  /** `sarif`: the base URL of a published copy of docs/ for `helpUri`; default: the installed package's docs as a file URL. */
  readonly docsUrl?: string;
}

export interface LintOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** `kpic lint` as a subcommand of the program. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('check the KPIs against the customer-centric lint rules (no data needed)')
    .argument('[paths...]', 'files or folders to report on (the whole project is still read)')
    .option('--format <format>', `output format: ${LINT_FORMATS.join(', ')}`, 'pretty')
    .option('--max-warnings <n>', 'fail when there are more than N warnings')
    .option('--changed-since <ref>', 'report only findings in files changed since this git ref (and untracked files)')
    .option(
      '--docs-url <url>',
      "sarif: the docs/ folder of a published kpic for each rule's helpUri (default: the installed package's)",
    )
    .action(
      async (
        paths: string[],
        options: { format: string; maxWarnings?: string; changedSince?: string; docsUrl?: string },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<{ project?: string }>();
        const outcome = await runLintCommand({
          paths,
          format: options.format,
          maxWarnings: options.maxWarnings,
          projectDir: globals.project,
          color: outputOf(command).color,
          changedSince: options.changedSince,
          docsLinks: outputOf(command).docsLinks,
          ...(options.docsUrl === undefined ? {} : { docsUrl: options.docsUrl }),
        });
        process.stdout.write(outcome.stdout);
        process.stderr.write(outcome.stderr);
        process.exitCode = outcome.exitCode;
      },
    );
}

/** Check the command line's words, then lint. */
export async function runLintCommand(args: {
  paths: readonly string[];
  format: string;
  maxWarnings: string | undefined;
  projectDir: string | undefined;
  cwd?: string;
  color?: boolean;
  changedSince?: string | undefined;
  docsLinks?: boolean;
  docsUrl?: string;
}): Promise<LintOutcome> {
  if (!(LINT_FORMATS as readonly string[]).includes(args.format)) {
    return usage(`unknown --format \`${args.format}\`: use one of ${LINT_FORMATS.join(', ')}.`);
  }
  let maxWarnings: number | undefined;
  if (args.maxWarnings !== undefined) {
    if (!/^\d+$/.test(args.maxWarnings.trim()))
      return usage(`--max-warnings wants a whole number of 0 or more, not \`${args.maxWarnings}\`.`);
    maxWarnings = Number(args.maxWarnings);
  }
  if (args.docsUrl !== undefined && !/^https?:\/\/[^\s/]+\S*$/.test(args.docsUrl))
    return usage(
      `--docs-url wants the absolute http(s) URL of a docs/ folder, e.g. https://github.com/ORG/kpic/blob/v1.0.0/docs, not \`${args.docsUrl}\`.`,
    );
  return lintProject({
    paths: args.paths,
    format: args.format as LintFormat,
    ...(maxWarnings === undefined ? {} : { maxWarnings }),
    ...(args.projectDir === undefined ? {} : { projectDir: args.projectDir }),
    ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
    ...(args.color === undefined ? {} : { color: args.color }),
    ...(args.changedSince === undefined ? {} : { changedSince: args.changedSince }),
    ...(args.docsLinks === undefined ? {} : { docsLinks: args.docsLinks }),
    ...(args.docsUrl === undefined ? {} : { docsUrl: args.docsUrl }),
  });
}

/** Lint a project and render the report; never throws for a user's mistake. */
export async function lintProject(options: LintOptions): Promise<LintOutcome> {
  let loaded: LoadedProject;
  try {
    loaded = loadProject(options);
  } catch (error) {
    if (!(error instanceof ProjectFileError)) throw error;
    const frames =
      error.diagnostics.length > 0 ? renderDiagnostics(error.diagnostics, error.texts, { color: false }) : '';
    return { exitCode: 2, stdout: '', stderr: `kpic lint: ${error.message}\n${frames}` };
  }
  let diagnostics = loaded.diagnostics;
  if (options.changedSince !== undefined) {
    // The whole project is still resolved (a KPI needs its sources); only the report is narrowed.
    try {
      const changed = changedFilesSince(loaded.root, options.changedSince);
      diagnostics = diagnostics.filter((d) => changed.has(d.file));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return usage(`${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`);
    }
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warn').length;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  const stdout = render(options, loaded, diagnostics);
  const stderr = tooManyWarnings
    ? `kpic lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${options.maxWarnings}.\n`
    : '';
  return { exitCode: errors > 0 || tooManyWarnings ? 1 : 0, stdout, stderr };
}

function render(options: LintOptions, loaded: LoadedProject, diagnostics: readonly Diagnostic[]): string {
  switch (options.format ?? 'pretty') {
    case 'json':
      return formatLintJson(diagnostics);
    case 'sarif':
      return formatLintSarif(diagnostics, {
        version: kpicVersion(),
        rules: ALL_RULE_METAS,
        docsBase: docsBaseUrl(options.docsUrl),
        pageText: docsPageText,
      });
    case 'github': {
      // Annotations name repository paths; CI runs from the repository root, which may hold the project in a folder.
      // A project outside the working folder keeps project-relative paths.
      const prefix = forwardSlashes(relative(resolve(options.cwd ?? process.cwd()), loaded.root));
      const inside = prefix !== '' && !prefix.startsWith('../') && prefix !== '..' && !isAbsolute(prefix);
      return formatLintGithub(diagnostics, { pathPrefix: inside ? `${prefix}/` : '' });
    }
    case 'pretty': {
      const color = options.color ?? (process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '');
      return formatLintPretty(diagnostics, loaded.texts, {
        color,
        fileCount: loaded.fileCount,
        docs: options.docsLinks === true ? docsPagePath : undefined,
      });
    }
  }
}

interface LoadedProject {
  readonly root: string;
  readonly texts: ReadonlyMap<string, string>;
  readonly fileCount: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * kpic.yaml, the `.kpi` files, the model against an empty catalog, and the
 * findings: problems of the project file, of reading and parsing, of names
 * (a rule cannot judge what does not resolve), and the lint rules'.
 */
function loadProject(options: LintOptions): LoadedProject {
  const cwd = resolve(options.cwd ?? process.cwd());
  const root =
    options.projectDir === undefined
      ? requireProjectRoot(cwd, { optional: (options.paths?.length ?? 0) > 0 })
      : resolve(cwd, options.projectDir);
  if (options.projectDir !== undefined && !isFolder(root)) {
    throw new ProjectFileError(`--project ${options.projectDir}: no such folder (${root})`);
  }
  const read = readProjectFiles(root, { cwd, ...(options.paths ? { paths: options.paths } : {}) });
  const { config, spans, texts, files } = read;
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const resolved = resolveProject(files, EMPTY_CATALOG, { timezone: config.timezone });
  appendAll(diagnostics, resolved.diagnostics);
  appendAll(diagnostics, lintModel(resolved.value, { rules: config.lint.rules, spans: spans.rules }));
  // Without an engine, literals are checked against the values the schema snapshot stores, if any.
  const snapshot = readSchemaSnapshot(root).snapshot;
  if (snapshot) {
    const literals = valueLiteralsOfModel(resolved.value);
    appendAll(diagnostics, checkValueLiterals(resolved.value, literals, snapshotValues(resolved.value, snapshot)));
  }
  const wanted = read.requested;
  const reported = wanted ? diagnostics.filter((d) => wanted.has(d.file) || d.file === 'kpic.yaml') : diagnostics;
  return {
    root,
    texts,
    fileCount: wanted?.size ?? files.length,
    diagnostics: sortDiagnostics(dedupeDiagnostics(reported)),
  };
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function usage(message: string): LintOutcome {
  return { exitCode: 2, stdout: '', stderr: `kpic lint: ${message}\n` };
}

function readPackage(): { version?: string; homepage?: string; repository?: string | { url?: string } } {
  return JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: string };
}

function kpicVersion(): string {
  return readPackage().version ?? '0.0.0';
}
