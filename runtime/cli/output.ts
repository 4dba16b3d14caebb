// Where the CLI writes, and whether in colour.
//
// Colour only when the stream is a terminal and NO_COLOR is unset (and no
// `--no-color`): piped output and CI logs stay plain text.

import type { Command } from 'commander';

export interface Output {
  /** Colour for what goes to stdout. */
  readonly color: boolean;
  /** Colour for what goes to stderr. */
  readonly colorErr: boolean;
  out(text: string): void;
  err(text: string): void;
}

/** The output settings of a command, from the global `--no-color` and the environment. */
export function outputOf(command: Command): Output {
  const { color } = command.optsWithGlobals<{ color?: boolean }>();
  const allowed = color !== false && (process.env['NO_COLOR'] ?? '') === '' && process.env['TERM'] !== 'dumb';
  return {
    color: allowed && process.stdout.isTTY === true,
    colorErr: allowed && process.stderr.isTTY === true,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}

/** Text ending with exactly one line break. */
export function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
