// `data.engine: postgres`: kpic compiles for Postgres but does not run on it yet.

import { EngineError } from '../engine/engine-error.ts';
import type { Engine } from '../engine/engine.ts';

export const POSTGRES_UNSUPPORTED =
  '`data.engine: postgres` is not supported by `run` yet; use `kpic compile --dialect postgres` and run the SQL yourself';

/** An engine that refuses every statement with the message above (commands that need one check first and exit 2). */
export function unsupportedEngine(): Engine {
  const refuse = async (): Promise<never> => {
    throw new EngineError('refused', POSTGRES_UNSUPPORTED);
  };
  return { all: refuse, validate: refuse, describe: refuse, interrupt: () => undefined, close: async () => undefined };
}
