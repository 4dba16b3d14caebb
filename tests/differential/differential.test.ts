// Random models over random data: the compiled SQL on DuckDB must give the
// values of the plain-TypeScript reference evaluator (reference.ts).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBench } from './compare.ts';
import type { Bench } from './compare.ts';
import { caseArbitrary } from './model.ts';

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
  it('agrees on random models and data', async () => {
    let rows = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        rows += await bench.check(c);
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    console.log(`differential: ${RUNS} cases, ${rows} result rows compared in ${Date.now() - started} ms`);
    expect(rows).toBeGreaterThan(0);
  });
});
