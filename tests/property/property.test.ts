// The property checks with a bounded number of cases for CI; `npm run fuzz`
// runs the same properties with as many cases as asked.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { properties } from './properties.ts';

/** Cases per property in CI; KPIC_PROPERTY_RUNS raises it locally. */
const RUNS = Number(process.env['KPIC_PROPERTY_RUNS'] ?? 120);
const SEED = process.env['KPIC_SEED'] === undefined ? undefined : Number(process.env['KPIC_SEED']);

describe('compiler properties', () => {
  for (const { name, arbitrary, check } of properties()) {
    it(name, () => {
      const started = Date.now();
      fc.assert(
        fc.property(arbitrary, (value) => check(value as never)),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      console.log(`property: ${name}: ${RUNS} cases in ${Date.now() - started} ms`);
    });
  }
});
