// Engine failures, apart from the engine itself: commands that never open
// the engine (lint, fmt, list, --version) still recognise its errors without
// loading the native DuckDB module, which takes a noticeable part of a start.

/** Why a statement did not run: refused by the sandbox, interrupted, or failed in the engine. */
export class EngineError extends Error {
  readonly kind: 'refused' | 'interrupted' | 'failed';
  constructor(kind: 'refused' | 'interrupted' | 'failed', message: string) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
  }
}

/** DuckDB's message without the trailing SQL excerpt, which repeats the statement. */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const message = text.split('\n\nLINE ')[0]!.trim();
  // A CSV error is followed by DuckDB's suggestions and a dump of the detected dialect: the first paragraph says it.
  return /CSV|sniffing/.test(message) ? message.split(/\n\s*\n|\nPossible (?:fixes|solutions):/)[0]!.trim() : message;
}
