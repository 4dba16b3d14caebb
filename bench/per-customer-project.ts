// A project whose KPI is evaluated per customer, for results of a given
// number of rows (the bench of result sizes and the million-row test).
//
// Customer i (1..n) has tier `t<i mod 7>` and one survey answer with
// nps = i mod 11; the KPI `promoter_flag` is promoters / responses * 100 by
// customer_id, so customer i's row is (i, 1 or 0, 1, 100 or 0): a promoter
// exactly when i mod 11 is 9 or 10. Status: ok at 100, critical at 0.

import { closeSync, cpSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const TEMPLATE = resolve(import.meta.dirname, '../runtime/cli/template');

/** Write the project to `dir` (replacing it) with `customers` customers. */
export function perCustomerProject(dir: string, customers: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(TEMPLATE, dir, { recursive: true });
  rmSync(join(dir, 'metrics'), { recursive: true, force: true });
  mkdirSync(join(dir, 'metrics'));
  writeLines(
    join(dir, 'data/customers.csv'),
    'customer_id,signup_date,tier,region',
    customers,
    (i) => `${i},2024-01-01,t${i % 7},EMEA`,
  );
  writeLines(
    join(dir, 'data/surveys.csv'),
    'response_id,customer_id,responded_at,nps',
    customers,
    (i) => `${i},${i},2024-01-05,${i % 11}`,
  );
  writeFileSync(
    join(dir, 'metrics/customers.kpi'),
    `customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier, region, customer_id
  measure signups = count()
}

source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  measure responses = count()
  measure promoters = count() where nps >= 9
}

kpi promoter_flag {
  title "Promoter"
  owner "customer-success"
  numerator promoters
  denominator responses
  scale 100
  segment by customer_id
  target >= 100
  critical < 50
}
`,
  );
}

/** A header and `n` generated lines, written in blocks (a million lines never held as one string). */
function writeLines(path: string, header: string, n: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header}\n`);
    for (let start = 1; start <= n; start += 10_000) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(start + 10_000, n + 1); i++) lines.push(line(i));
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}
