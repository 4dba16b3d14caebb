// The data of the target-table tests (tests/alerts/target-table.test.ts and
// tests/postgres/targets.test.ts), worked out by hand.
//
// Events per region and month (the data covers 2024-01-01 to 2024-04-10, so
// April is incomplete and March is the latest complete month):
//
//   month   EU  US  total   targets.csv (month, region, goal)
//   Jan     12   9     21   2024-01-01, (any), 10
//   Feb     15  13     28   2024-02-01, (any), 12   and   2024-02-01, EU, 20
//   Mar      9   7     16   2024-03-15, (any), 8    (any date in the month)
//   Apr      3   6      9   no row: the KPI's `target >= 5` applies, or nothing
//
// target_met per region: Jan EU 12>=10 yes, US 9>=10 no; Feb EU 15>=20 no (its
// own row wins), US 13>=12 yes; Mar EU 9>=8 yes, US 7>=8 no; Apr EU 3>=5 no,
// US 6>=5 yes. `warn < event_targets.goal` has no fallback: April is ok.
// The total (no region) uses only the rows without a region: 21>=10, 28>=12,
// 16>=8, and April has no target.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MODEL = `customer customers from "customers.csv" {
  key customer_id
  dimension region
}

source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure event_count = count()
}

source event_targets from "targets.csv" {
  time month
  dimension region
}

kpi events_vs_goal {
  owner "sales-ops"
  numerator event_count
  format number decimals 1
  grain month
  segment by region
  target >= event_targets.goal
  target >= 5
  warn < event_targets.goal
  alert below_goal {
    by region
    when status warn
  }
}

kpi events_goal_only {
  owner "sales-ops"
  numerator event_count
  grain month
  target >= event_targets.goal
}
`;

const COUNTS: Record<string, number[]> = { c1: [12, 15, 9, 3], c2: [9, 13, 7, 6] };

export function events(): string {
  const rows = ['event_id,customer_id,at'];
  let id = 0;
  for (const [customer, counts] of Object.entries(COUNTS)) {
    counts.forEach((n, month) => {
      for (let j = 0; j < n; j++) {
        // April runs to the 10th only; the data starts at 2024-01-01 00:00 (c1's first event).
        const day = 1 + (j % (month === 3 ? 10 : 28));
        rows.push(
          `e${++id},${customer},2024-0${month + 1}-${String(day).padStart(2, '0')} 00:${String(j).padStart(2, '0')}:00`,
        );
      }
    });
  }
  return `${rows.join('\n')}\n`;
}

export function project(model = MODEL): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-targets-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'kpic.yaml'), 'name: targets\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
  writeFileSync(join(dir, 'model.kpi'), model);
  writeFileSync(join(dir, 'data', 'customers.csv'), 'customer_id,region\nc1,EU\nc2,US\n');
  writeFileSync(
    join(dir, 'data', 'targets.csv'),
    'month,region,goal\n2024-01-01,,10\n2024-02-01,,12\n2024-02-01,EU,20\n2024-03-15,,8\n',
  );
  writeFileSync(join(dir, 'data', 'events.csv'), events());
  return dir;
}
