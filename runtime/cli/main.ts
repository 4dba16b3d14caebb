// The kpic command line: one commander program, one file per command.
//
// Every way out is an exit code of cli.md, and no stack trace reaches a user:
// usage and project-file errors exit 2, engine failures 3, anything
// unexpected is an "internal error" (exit 3) with the stack shown only under
// KPIC_DEBUG=1. Ctrl-C interrupts the running query and exits 130.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { renderDiagnostics } from '../../compiler/index.ts';
import { EngineError } from '../engine/engine-error.ts';
import { ProjectFileError } from '../project/config.ts';
import { EXIT, UsageError } from './errors.ts';
import { QueryTextError } from './query-flags.ts';
import { currentEngine } from './session.ts';
import { markInterrupted, wasInterrupted } from './interrupted.ts';
import { WriteError } from './write-atomic.ts';
import { PACKAGE_JSON } from '../package-root.ts';
import { docsPagePath } from '../docs-links.ts';
import { showDocsLinks } from './output.ts';

const VERSION = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

/**
 * Each command's module, loaded when it is needed: a command's code (and
 * what only it uses: charts, servers, the test runner) is not even read
 * when another command runs. The order is the order of `--help`.
 */
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  init: () => import('./commands/init.ts'),
  check: () => import('./commands/check.ts'),
  lint: () => import('./commands/lint.ts'),
  list: () => import('./commands/list.ts'),
  explain: () => import('./commands/explain.ts'),
  compile: () => import('./commands/compile.ts'),
  run: () => import('./commands/run.ts'),
  fmt: () => import('./commands/fmt.ts'),
  test: () => import('./commands/test.ts'),
  schema: () => import('./commands/schema.ts'),
  diff: () => import('./commands/diff.ts'),
  docs: () => import('./commands/docs.ts'),
  report: () => import('./commands/report.ts'),
  mcp: () => import('./commands/mcp.ts'),
  serve: () => import('./commands/serve.ts'),
  alert: () => import('./commands/alert.ts'),
  completion: () => import('./commands/completion.ts'),
};

/**
 * The program; errors are thrown, not exited on. With `argv`, a command
 * named there is the only one registered (its options, help and action are
 * the same); `completion`, help, no command or an unknown one register them
 * all, so that lists and suggestions are whole.
 */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('kpic')
    .description('a compiler for customer-centric KPIs')
    .version(VERSION, '-V, --version')
    .option('--project <dir>', 'the project folder (default: the nearest folder with a kpic.yaml)')
    .option('--no-color', 'plain output, without colour')
    .option('-q, --quiet', 'no progress and no notes on stderr (errors and warnings still)')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  const named = argv === undefined ? undefined : commandNamed(argv.slice(2));
  const names =
    named === VERSION_ONLY ? [] : named !== undefined && named !== 'completion' ? [named] : Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const module of modules) module.register(program);
  return program;
}

/** `kpic --version`: no command is needed to print it. */
const VERSION_ONLY = '--version';

/** The command the arguments name (the first operand after the global options), if it is one of kpic's. */
function commandNamed(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--project') i++;
    else if (arg === '-V' || arg === '--version') return VERSION_ONLY;
    else if (arg === '-h' || arg === '--help' || arg === '--') return undefined;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return undefined;
}

/** Run kpic with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // `kpic compile nps | head -3`: the reader went away; that is not an error.
  // Any other write error (a full disk, a closed file) must not pass for success with an empty file.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    process.stderr.write(
      `error: cannot write the output: ${error.code ?? error.message}${error.code === 'ENOSPC' ? ' (no space left on the device)' : ''}\n`,
    );
    process.exit(EXIT.engine);
  });
  const interrupts = watchInterrupts();
  try {
    process.exitCode = 0;
    await (await createProgram(argv)).parseAsync([...argv]);
    if (interrupts.seen()) {
      process.stderr.write('interrupted\n');
      return EXIT.interrupted;
    }
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (interrupts.seen()) {
      process.stderr.write('interrupted\n');
      return EXIT.interrupted;
    }
    return reportFailure(error);
  } finally {
    interrupts.stop();
  }
}

function reportFailure(error: unknown): number {
  const color =
    process.stderr.isTTY === true && (process.env['NO_COLOR'] ?? '') === '' && !process.argv.includes('--no-color');
  if (error instanceof CommanderError) {
    // Help and --version "fail" with exit code 0; every other parse error is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
    return EXIT.usage;
  }
  if (error instanceof ProjectFileError || error instanceof QueryTextError) {
    if (error.diagnostics.length > 0)
      process.stderr.write(
        renderDiagnostics(error.diagnostics, error.texts, {
          color,
          docs: showDocsLinks(process.stderr.isTTY === true, quietAsked()) ? docsPagePath : undefined,
        }),
      );
    else process.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  // A file that could not be written (a read-only folder, a full disk): one line, nothing replaced.
  if (error instanceof WriteError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT.engine;
  }
  if (error instanceof EngineError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT.engine;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`internal error: ${message} (please report)\n`);
  if (process.env['KPIC_DEBUG'] === '1' && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  return EXIT.engine;
}

/** `--quiet` or `-q` on the command line (read directly: the failure may come before commander parsed it). */
function quietAsked(): boolean {
  return process.argv.includes('--quiet') || process.argv.includes('-q');
}

/**
 * First Ctrl-C: interrupt the running statement and let the command unwind
 * (files are closed, `--out` is left untouched). A second one exits at once.
 */
function watchInterrupts(): { seen(): boolean; stop(): void } {
  let count = 0;
  let repeat: ReturnType<typeof setInterval> | undefined;
  const onSignal = () => {
    count += 1;
    markInterrupted();
    if (count > 1 && wasInterrupted()) process.exit(EXIT.interrupted);
    // A signal between two statements (or while the project loads) finds
    // nothing running: the interrupt is repeated until the command ends, so
    // no later statement runs to its end.
    currentEngine()?.interrupt();
    repeat = setInterval(() => currentEngine()?.interrupt(), 50);
    repeat.unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    seen: () => wasInterrupted(),
    stop: () => {
      if (repeat) clearInterval(repeat);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    },
  };
}
