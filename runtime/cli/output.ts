// Where the CLI writes, and whether in colour.
//
// Colour only when the stream is a terminal and NO_COLOR is unset (and no
// `--no-color`): piped output and CI logs stay plain text.

import type { Command } from 'commander';
import type { Ora } from 'ora';

export interface Output {
  /** Colour for what goes to stdout. */
  readonly color: boolean;
  /** Colour for what goes to stderr. */
  readonly colorErr: boolean;
  /** A diagnostic's `docs:` line on stdout / stderr: only on a terminal, and not under `--quiet`. */
  readonly docsLinks: boolean;
  readonly docsLinksErr: boolean;
  out(text: string): void;
  err(text: string): void;
  /**
   * A spinner with the elapsed time on stderr while `work` runs, when
   * `showProgress` says so. A function label is read again at every tick,
   * so a long loop can show how far it is (`running tests 3/12: nps`).
   */
  progress<T>(label: ProgressLabel, work: () => Promise<T>): Promise<T>;
}

/** What a spinner says: fixed text, or text read again at every tick. */
export type ProgressLabel = string | (() => string);

/** The spinner's text: the label and the seconds elapsed, `running tests 3/12: nps (4.2 s)`. */
export function progressText(label: ProgressLabel, elapsedMs: number): string {
  return `${typeof label === 'function' ? label() : label} (${(elapsedMs / 1000).toFixed(1)} s)`;
}

/** Progress shows only on a terminal, and not under `--quiet`: logs and pipes get none. */
export function showProgress(stderrIsTTY: boolean, quiet: boolean): boolean {
  return stderrIsTTY && !quiet;
}

/** A diagnostic's `docs:` line (the path of its page) is for a person at a terminal: not in pipes, logs or under `--quiet`. */
export function showDocsLinks(isTTY: boolean, quiet: boolean): boolean {
  return isTTY && !quiet;
}

/** Steps shorter than this show no spinner at all. */
const PROGRESS_DELAY_MS = 1000;

/** The output settings of a command, from the global `--no-color` and the environment. */
export function outputOf(command: Command): Output {
  const { color, quiet } = command.optsWithGlobals<{ color?: boolean; quiet?: boolean }>();
  const allowed = color !== false && (process.env['NO_COLOR'] ?? '') === '' && process.env['TERM'] !== 'dumb';
  const colorErr = allowed && process.stderr.isTTY === true;
  return {
    color: allowed && process.stdout.isTTY === true,
    colorErr,
    docsLinks: showDocsLinks(process.stdout.isTTY === true, quiet === true),
    docsLinksErr: showDocsLinks(process.stderr.isTTY === true, quiet === true),
    out: (text) => void process.stdout.write(text),
    // --quiet drops notes; errors and warnings are always printed.
    err: (text) => void process.stderr.write(quiet === true ? withoutNotes(text) : text),
    progress: (label, work) => (showProgress(colorErr, quiet === true) ? withSpinner(label, work, colorErr) : work()),
  };
}

/** Text ending with exactly one line break. */
export function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function withoutNotes(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((l) => !l.startsWith('note: '))
    .join('');
}

async function withSpinner<T>(label: ProgressLabel, work: () => Promise<T>, color: boolean): Promise<T> {
  const start = performance.now();
  // The spinner package (and its tables) is loaded only once a command has run for PROGRESS_DELAY_MS:
  // most commands end sooner and never pay for it.
  let spinner: Ora | undefined;
  let loading = false;
  let done = false;
  const seconds = () => progressText(label, performance.now() - start);
  const tick = setInterval(() => {
    if (performance.now() - start < PROGRESS_DELAY_MS) return;
    if (spinner) {
      if (!spinner.isSpinning) spinner.start(seconds());
      else spinner.text = seconds();
      return;
    }
    if (loading) return;
    loading = true;
    void import('ora').then(
      ({ default: ora }) => {
        if (done) return;
        spinner = ora({ stream: process.stderr, color: color ? 'cyan' : false, discardStdin: false });
        spinner.start(seconds());
      },
      () => undefined,
    );
  }, 100);
  try {
    return await work();
  } finally {
    done = true;
    clearInterval(tick);
    if (spinner?.isSpinning) spinner.stop();
  }
}
