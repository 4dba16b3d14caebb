// A small project whose KPI values are worked out by hand (tests/catalog/README
// in the comments below), for the catalog, its charts and `kpic report`.
//
// NPS per month, thresholds target >= 30, warn < 10, critical < 0:
//   Jan: 10 9 | 9 3      -> 3 promoters, 1 detractor of 4  ->  50   ok, target met
//   Feb: 9 7  | 5 2      -> 1 promoter, 2 detractors of 4  -> -25   critical
//   Mar: 10 9 8 | 6 4    -> 2 promoters, 2 detractors of 5 ->   0   warn (0 is not < 0)
//   Apr: 10 | 10 (data ends on Apr 10: incomplete)         -> 100
// (gold | silver). In March gold is 2/3*100 = 66.67 (ok), silver is -100 (critical).
// Latest complete period: March, 0, warn, off target since February (2 periods),
// up from -25. `nps_change` = nps - previous(nps): March 0 - (-25) = 25.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const FILES: Record<string, string> = {
  'kpic.yaml':
    'name: catalog-test\nmetrics: ["metrics/**/*.kpi"]\ndata:\n  engine: duckdb\n  root: data\ntimezone: UTC\n',
  'data/customers.csv':
    'customer_id,signup_date,tier\n1,2023-12-01,gold\n2,2023-12-01,gold\n3,2023-12-01,silver\n4,2023-12-01,silver\n',
  'data/surveys.csv': [
    'response_id,customer_id,responded_at,score',
    // The first answer is on the first day of January, so that January is a whole month of data (docs/time-analytics.md).
    '1,1,2024-01-01 10:00:00,10',
    '2,2,2024-01-06 10:00:00,9',
    '3,3,2024-01-07 10:00:00,9',
    '4,4,2024-01-08 10:00:00,3',
    '5,1,2024-02-05 10:00:00,9',
    '6,2,2024-02-06 10:00:00,7',
    '7,3,2024-02-07 10:00:00,5',
    '8,4,2024-02-08 10:00:00,2',
    '9,1,2024-03-05 10:00:00,10',
    '10,2,2024-03-06 10:00:00,9',
    '11,1,2024-03-07 10:00:00,8',
    '12,3,2024-03-08 10:00:00,6',
    '13,4,2024-03-09 10:00:00,4',
    '14,1,2024-04-09 10:00:00,10',
    '15,3,2024-04-10 10:00:00,10',
    '',
  ].join('\n'),
  'metrics/model.kpi': `customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier
}

source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  measure responses = count()
  measure promoters = count() where score >= 9
  measure detractors = count() where score <= 6
}
`,
  'metrics/nps.kpi': `kpi nps {
  title "Net Promoter Score <beta>"
  description "Promoters minus detractors, in points."
  owner "customer-success"
  perspective customer
  numerator promoters - detractors
  denominator responses
  scale 100
  segment by tier
  grain month
  direction higher
  target >= 30
  warn < 10
  critical < 0
  alert silver_critical {
    by tier
    when status critical
    accountable "vp-customer-success"
    informed "#cs-alerts"
    escalate after 2 periods
  }
}

kpi nps_change {
  title "NPS change"
  owner "customer-success"
  perspective customer
  value nps - previous(nps)
  grain month
  direction higher
}

kpi response_count {
  title "Survey responses"
  owner "research"
  perspective customer
  numerator responses
  grain month
  status draft
}
`,
};

/** The fixture project in a fresh temporary folder. */
export function fixtureProject(): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-catalog-')));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
