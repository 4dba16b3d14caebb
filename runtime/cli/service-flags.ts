// The flags `kpic mcp` and `kpic serve` share: the per-query timeout, the
// row limit and the queue behind the running query (docs/mcp.md, docs/api.md).

import type { Command } from 'commander';
import { SERVICE_DEFAULTS } from '../service/service.ts';
import type { ServiceOptions } from '../service/service.ts';
import { UsageError } from './errors.ts';

export interface ServiceFlags {
  timeout?: string;
  maxRows?: string;
  maxQueue?: string;
}

export function addServiceOptions(command: Command): Command {
  return command
    .option(
      '--timeout <seconds>',
      `interrupt a query after this many seconds; 0 for none (default ${SERVICE_DEFAULTS.timeoutMs / 1000})`,
    )
    .option('--max-rows <n>', `rows returned at most per answer (default ${SERVICE_DEFAULTS.maxRows})`)
    .option(
      '--max-queue <n>',
      `queries that may wait behind the running one; more are refused as busy (default ${SERVICE_DEFAULTS.maxWaiting})`,
    );
}

export function serviceOptionsOf(flags: ServiceFlags): ServiceOptions {
  return {
    ...(flags.timeout === undefined ? {} : { timeoutMs: seconds('--timeout', flags.timeout) }),
    ...(flags.maxRows === undefined ? {} : { maxRows: count('--max-rows', flags.maxRows, 1) }),
    ...(flags.maxQueue === undefined ? {} : { maxWaiting: count('--max-queue', flags.maxQueue, 0) }),
  };
}

function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(value) || value > 86_400) {
    throw new UsageError(
      `${flag}: \`${text}\` is not a number of seconds from 0 to 86400`,
      `e.g. ${flag} 30 (0: no timeout)`,
    );
  }
  return Math.round(value * 1000);
}

/** A whole number from `min` to 1,000,000. */
export function count(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > 1_000_000) {
    throw new UsageError(
      `${flag}: \`${text}\` is not a whole number from ${min} to 1000000`,
      `e.g. ${flag} ${Math.max(min, 10)}`,
    );
  }
  return value;
}
