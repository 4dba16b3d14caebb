// Bounded concurrency for the engine: one query runs at a time (the
// project's engine has one connection), at most `maxWaiting` wait behind it,
// and the next one is refused at once (`busy`) instead of piling up.
//
// A waiting caller that goes away leaves the queue without running; a
// running one is interrupted through the `AbortSignal` it was given.

import { ServiceError } from './errors.ts';

export interface GateStats {
  readonly running: number;
  readonly waiting: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly refused: number;
}

export interface Gate {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  stats(): GateStats;
}

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal | undefined;
}

export function createGate(maxWaiting: number): Gate {
  const waiting: Waiter[] = [];
  let running = 0;
  const counts = { completed: 0, failed: 0, cancelled: 0, refused: 0 };

  const next = () => {
    while (running === 0 && waiting.length > 0) {
      const waiter = waiting.shift()!;
      if (waiter.signal?.aborted) continue;
      running = 1;
      waiter.start();
    }
  };

  const admit = (signal: AbortSignal | undefined): Promise<void> =>
    new Promise((start, refuse) => {
      if (running === 0 && waiting.length === 0) {
        running = 1;
        start();
        return;
      }
      if (waiting.length >= maxWaiting) {
        counts.refused += 1;
        refuse(
          new ServiceError(
            'busy',
            `busy: a query is running and ${waiting.length} wait${waiting.length === 1 ? 's' : ''}; try again shortly`,
          ),
        );
        return;
      }
      const waiter: Waiter = { start, signal };
      waiting.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const at = waiting.indexOf(waiter);
          if (at < 0) return;
          waiting.splice(at, 1);
          counts.cancelled += 1;
          refuse(new ServiceError('cancelled', 'query cancelled'));
        },
        { once: true },
      );
    });

  return {
    async run(task, signal) {
      if (signal?.aborted) throw new ServiceError('cancelled', 'query cancelled');
      await admit(signal);
      try {
        const value = await task();
        counts.completed += 1;
        return value;
      } catch (error) {
        if (signal?.aborted) counts.cancelled += 1;
        else counts.failed += 1;
        throw error;
      } finally {
        running = 0;
        next();
      }
    },
    stats: () => ({ running, waiting: waiting.length, ...counts }),
  };
}
