// How the CLI fails: every failure maps to one exit code of cli.md.

/** Exit codes (cli.md): 0 ok, 1 error-level problems, 2 usage or project file, 3 data or engine at run time; 130 Ctrl-C. */
export const EXIT = { ok: 0, problems: 1, usage: 2, engine: 3, interrupted: 130 } as const;

/** A mistake in how kpic was called (a flag value, an unknown KPI name): exit code 2, no stack trace. */
export class UsageError extends Error {
  /** Printed after the message as `hint: ...`. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}
