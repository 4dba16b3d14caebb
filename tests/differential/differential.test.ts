// Random models over random data: the compiled SQL on DuckDB must give the
// values of the plain-TypeScript reference evaluator (reference.ts).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBench } from './compare.ts';
import type { Bench } from './compare.ts';
import { CONSTRUCTS, caseArbitrary, constructsOf } from './model.ts';

/** Cases in CI; KPIC_DIFFERENTIAL_RUNS raises it locally (`npm run fuzz` runs thousands). */
const RUNS = Number(process.env['KPIC_DIFFERENTIAL_RUNS'] ?? 150);
const SEED = process.env['KPIC_SEED'] === undefined ? undefined : Number(process.env['KPIC_SEED']);

let bench: Bench;
beforeAll(async () => {
  bench = await openBench();
});
afterAll(async () => {
  await bench?.close();
});

describe('differential: compiled SQL on DuckDB against the reference evaluator', () => {
  it(
    'agrees on random models and data',
    async () => {
      let rows = 0;
      const seen = new Map<string, number>();
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (c) => {
          rows += await bench.check(c);
          for (const construct of constructsOf(c)) seen.set(construct, (seen.get(construct) ?? 0) + 1);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      const tally = [...seen].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${name} ${n}`);
      console.log(
        `differential: ${RUNS} cases, ${rows} result rows compared in ${Date.now() - started} ms\ncases per construct: ${tally.join(', ')}`,
      );
      expect(rows).toBeGreaterThan(0);
      // The cases reach every construct the generator knows (a construct no case exercises tests nothing).
      if (RUNS >= 100) expect(CONSTRUCTS.filter((name) => !seen.has(name))).toEqual([]);
      // A generous budget on a shared, busy machine: 2 s per case, at least 10 minutes.
    },
    Math.max(600_000, RUNS * 2_000),
  );
});
