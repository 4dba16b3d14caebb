// How a service call fails: a code a client can act on and the text a
// person reads (the compiler's diagnostics, rendered without colour). Never
// a stack trace: the MCP server and the HTTP API send `message` as it is.

import { renderDiagnostics } from '../../compiler/index.ts';
import { EngineError } from '../engine/engine-error.ts';
import { UsageError } from '../cli/errors.ts';
import { QueryTextError } from '../cli/query-flags.ts';

export type ServiceErrorCode =
  /** No KPI of that name (with a did-you-mean). */
  | 'unknown-kpi'
  /** No alert of that name (with a did-you-mean). */
  | 'unknown-alert'
  /** An argument is wrong: a grain, a date, a dimension, a `where` that is not a kpic predicate. */
  | 'invalid-argument'
  /** The KPI or a file it depends on has errors; `kpic check` shows them. */
  | 'kpi-error'
  /** The data breaks an assumption of the model (a repeated key behind a link). */
  | 'data-error'
  | 'timeout'
  /** The caller went away (or cancelled); the statement was interrupted. */
  | 'cancelled'
  /** Too many queries waiting: try again shortly. */
  | 'busy'
  | 'engine-error'
  | 'internal-error';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}

/**
 * Any failure as a `ServiceError`. The CLI's own errors keep their text
 * (`--grain: \`fortnight\` is not a grain`, with the hint); anything
 * unexpected keeps only its message.
 */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof UsageError) {
    const code = error.message.startsWith('unknown KPI') ? 'unknown-kpi' : 'invalid-argument';
    // `--grain: ...` names the CLI flag; here the argument has the same name without the dashes.
    const message = error.message.replace(/^--(by|grain|from|to|where|status)\b/, '$1');
    return new ServiceError(code, `${message}${error.hint ? `\nhint: ${error.hint}` : ''}`);
  }
  if (error instanceof QueryTextError) {
    return new ServiceError(
      'invalid-argument',
      renderDiagnostics(error.diagnostics, error.texts, { color: false }).trimEnd(),
    );
  }
  if (error instanceof EngineError) {
    if (error.kind === 'interrupted') {
      return new ServiceError(error.message === 'query cancelled' ? 'cancelled' : 'timeout', error.message);
    }
    return new ServiceError('engine-error', error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceError('internal-error', `internal error: ${message} (please report)`);
}
