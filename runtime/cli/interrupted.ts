// Whether Ctrl-C (SIGINT) or SIGTERM has been seen in this process.
//
// A signal can arrive while synchronous work runs (loading and parsing the
// project), when no statement is running to interrupt. Every step that
// would change a file or start a query asks here first, so an interrupted
// command never renames an output into place or starts its query.

let seen = false;
let committing = false;

/** Called by the signal handler. A signal that comes once a command has begun to replace its files is too late. */
export function markInterrupted(): void {
  if (!committing) seen = true;
}

/**
 * The point of no return of a command that replaces several files (`fmt`):
 * stops here when a signal was seen; from here on, signals no longer count
 * and the command runs to its end (it exits normally, never 130 with files
 * replaced).
 */
export function beginCommit(): void {
  stopIfInterrupted();
  committing = true;
}

/** Resolves once pending events (a signal among them) have been handled. */
export function signalsHandled(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

export function wasInterrupted(): boolean {
  return seen;
}

/** Thrown where work stops because of an interrupt; the CLI exits 130. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** Stop here when an interrupt has been seen. */
export function stopIfInterrupted(): void {
  if (seen) throw new InterruptedError();
}
