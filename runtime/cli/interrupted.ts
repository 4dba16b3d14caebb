// Whether Ctrl-C (SIGINT) or SIGTERM has been seen in this process.
//
// A signal can arrive while synchronous work runs (loading and parsing the
// project), when no statement is running to interrupt. Every step that
// would change a file or start a query asks here first, so an interrupted
// command never renames an output into place or starts its query.

let seen = false;

/** Called by the signal handler. */
export function markInterrupted(): void {
  seen = true;
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
