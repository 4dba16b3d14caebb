// The differential test's random models on PostgreSQL: the same cases as on
// DuckDB (differential.test.ts), run through a project configured for
// `engine: postgres` over the case's data loaded into tables, against the
// same reference answers. Needs KPIC_TEST_PG_URL (a server to load tables
// into; `.ci/postgres.sh start` gives one); skipped with the reason without
// it, a failure when CI=true.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../support/postgres.ts';
import { openPostgresBench } from './compare.ts';
import type { Bench } from './compare.ts';
import { CONSTRUCTS, caseArbitrary, constructsOf } from './model.ts';

/** Fewer cases than on DuckDB (each loads its tables and opens a connection); KPIC_DIFFERENTIAL_PG_RUNS raises it. */
const RUNS = Number(process.env['KPIC_DIFFERENTIAL_PG_RUNS'] ?? 40);
const SEED = process.env['KPIC_SEED'] === undefined ? undefined : Number(process.env['KPIC_SEED']);
const skip = skipReason();

let bench: Bench | undefined;
beforeAll(async () => {
  if (!skip) bench = await openPostgresBench('KPIC_TEST_PG_URL');
});
afterAll(async () => {
  await bench?.close();
});

describe.skipIf(skip !== undefined)('differential: kpic on PostgreSQL against the reference evaluator', () => {
  it(
    'agrees on random models and data',
    async () => {
      let rows = 0;
      const seen = new Map<string, number>();
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (c) => {
          rows += await bench!.check(c);
          for (const construct of constructsOf(c)) seen.set(construct, (seen.get(construct) ?? 0) + 1);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      const tally = [...seen].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${name} ${n}`);
      console.log(
        `differential on PostgreSQL: ${RUNS} cases, ${rows} result rows compared in ${Date.now() - started} ms\ncases per construct: ${tally.join(', ')}; not reached: ${CONSTRUCTS.filter((n) => !seen.has(n)).join(', ') || 'none'}`,
      );
      expect(rows).toBeGreaterThan(0);
    },
    // A generous budget on a shared, busy machine: 5 s per case, at least 10 minutes.
    Math.max(600_000, RUNS * 5_000),
  );
});
