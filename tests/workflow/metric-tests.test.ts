// `kpic test`: fixture rows in, expected KPI values out, through the CLI.
// Every expected number below is worked out by hand in the comments.

import { describe, expect, it } from 'vitest';
import { kpic, templateRepo } from './helpers.ts';

const CUSTOMERS = `data:
  customers:
    - { customer_id: 1, tier: gold, region: EMEA, signup_date: 2024-01-01 }
    - { customer_id: 2, tier: silver, region: AMER, signup_date: 2024-01-01 }
`;

const PASSING = `${CUSTOMERS}kpi: nps
tests:
  - name: three answers in gold give 33.3
    query: { by: tier, grain: none }
    data:
      surveys:
        # gold: 10 promoter, 9 promoter, 4 detractor -> (2 - 1) / 3 * 100 = 33.3
        - { response_id: 1, customer_id: 1, responded_at: "2024-01-05 10:00:00", nps: 10 }
        - { response_id: 2, customer_id: 1, responded_at: "2024-01-06 10:00:00", nps: 9 }
        - { response_id: 3, customer_id: 1, responded_at: "2024-01-07 10:00:00", nps: 4 }
        # silver: one passive -> 0 / 1 = 0
        - { response_id: 4, customer_id: 2, responded_at: "2024-01-08 10:00:00", nps: 7 }
        # fails the check (0..10): excluded
        - { response_id: 5, customer_id: 2, responded_at: "2024-01-09 10:00:00", nps: 11 }
    expect:
      - { tier: gold, numerator: 1, denominator: 3, value: 33.3, status: ok, target_met: true }
      - { tier: silver, numerator: 0, denominator: 1, value: 0, status: warn, target_met: false }
  - name: zero responses in a month give a null value
    query: { by: none, grain: month, from: 2024-01-01, to: 2024-03-01 }
    data:
      surveys:
        - { response_id: 1, customer_id: 1, responded_at: "2024-02-05 10:00:00", nps: 10 }
    expect:
      # January has no answer: 0 / 0 is null, never an error.
      - { period: 2024-01-01, denominator: 0, value: null, status: null }
      - { period: 2024-02-01, denominator: 1, value: 100 }
  - name: new customers by region
    kpi: new_customers
    query: { grain: none }
    data:
      surveys: []
    expect:
      - { region: AMER, value: 1 }
      - { region: EMEA, value: 1 }
`;

describe.concurrent('kpic test', () => {
  it('passes tests whose expected values match, with a summary line', async () => {
    const repo = templateRepo();
    try {
      repo.write('tests/nps.test.yaml', PASSING);
      const run = await kpic(repo.project, ['test']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(
        [
          'PASS  tests/nps.test.yaml:7 three answers in gold give 33.3 (nps)',
          'PASS  tests/nps.test.yaml:22 zero responses in a month give a null value (nps)',
          'PASS  tests/nps.test.yaml:31 new customers by region (new_customers)',
          '',
          '3 tests: 3 passed (1 file)',
          '',
        ].join('\n'),
      );
      expect(run.code).toBe(0);
      const filtered = await kpic(repo.project, ['test', '--filter', 'NULL value']);
      expect(filtered.stdout).toContain('1 test: 1 passed (1 file)');
      const nothing = await kpic(repo.project, ['test', '--filter', 'no such test']);
      expect(nothing.code).toBe(2);
    } finally {
      repo.cleanup();
    }
  });

  it('fails with a diff of expected and actual rows, and exits 1', async () => {
    const repo = templateRepo();
    try {
      // 33.3 written as 33.4: outside half a unit of its last decimal.
      repo.write('tests/nps.test.yaml', PASSING.replace('value: 33.3,', 'value: 33.4,'));
      const run = await kpic(repo.project, ['test', 'tests/nps.test.yaml']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        [
          'FAIL  tests/nps.test.yaml:7 three answers in gold give 33.3 (nps)',
          '    expected (-) and actual (+) rows:',
          '      tier | numerator | denominator | value | status | target_met',
          '    - "gold" | 1 | 3 | 33.4 | "ok" | true',
          '    + "gold" | 1 | 3 | 33.3333333333 | "ok" | true',
        ].join('\n'),
      );
      expect(run.stdout).toMatch(/3 tests: 2 passed, 1 failed \(1 file\)\n$/);
    } finally {
      repo.cleanup();
    }
  });

  it('reports tests that cannot run and malformed files at their line', async () => {
    const repo = templateRepo();
    try {
      repo.write(
        'tests/broken.test.yaml',
        'kpi: nsp\ntests:\n  - name: typo\n    data: { surveys: [] }\n    expect: []\n  - name: bad key\n    expected: []\n',
      );
      const run = await kpic(repo.project, ['test']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('ERROR tests/broken.test.yaml:7 unknown key `expected` here');
      expect(run.stdout).toContain(
        'ERROR tests/broken.test.yaml:3 typo (nsp)\n    unknown KPI `nsp`; did you mean `nps`?',
      );
    } finally {
      repo.cleanup();
    }
  });

  it("runs the examples' tests", async () => {
    const run = await kpic(process.cwd(), ['--project', 'examples/jaffle_shop', 'test']);
    expect(run.stdout).toContain('2 tests: 2 passed (1 file)');
    expect(run.code).toBe(0);
  });
});
