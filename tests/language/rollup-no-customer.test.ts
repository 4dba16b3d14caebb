// customer_mean / customer_share over rows that are no customer's value
// (time-analytics.md): a customer held back by min_sample (`insufficient`,
// no value) is not in the share's denominator, and events whose customer
// link is null or dangles are no customer. Found by the differential test
// (tests/differential/); the expected numbers are worked out by hand.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_START as SPAN } from '../../compiler/diagnostics.ts';
import { openProject, type Project } from '../sql/harness.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure n = count()
}
kpi events_per_customer {
  numerator n
  critical < 0
}
kpi sampled {
  numerator n
  denominator n
  min_sample 2
  critical < 2
}
kpi mean_events {
  value customer_mean(events_per_customer)
}
kpi critical_share {
  value customer_share(sampled, critical)
}
kpi ok_share {
  value customer_share(sampled, ok)
}
`;

// c1: 2 events, c2: 1 event; e4 has no customer, e5 links to c9 (no such customer).
const DATA: Record<string, string> = {
  'customers.csv': 'customer_id,signup_date\nc1,2024-01-01\nc2,2024-01-01\n',
  'events.csv':
    'event_id,customer_id,at\ne1,c1,2024-01-02 09:00:00\ne2,c1,2024-01-03 09:00:00\ne3,c2,2024-01-04 09:00:00\ne4,,2024-01-05 09:00:00\ne5,c9,2024-01-06 09:00:00\n',
};

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'm.kpi': MODEL }, DATA);
});
afterAll(() => project?.close());

describe('customer roll-ups leave out what is no customer', () => {
  it('the per-customer rows hold the rows without a customer (the input the roll-up reads)', async () => {
    const { rows } = await project.run({ kpi: 'events_per_customer', by: [{ name: 'customer', span: SPAN }] });
    expect(rows.map((r) => [r.customer, Number(r.value)])).toEqual([
      ['c1', 2],
      ['c2', 1],
      [null, 2],
    ]);
  });

  it('customer_mean: the mean of c1 (2) and c2 (1) is 1.5, not (2 + 1 + 2) / 3', async () => {
    const { rows } = await project.run({ kpi: 'mean_events' });
    expect(rows.map((r) => r.value)).toEqual([1.5]);
  });

  it('customer_share: c2 is insufficient (1 event < min_sample 2): c1 alone, critical 1 of 1, ok 0 of 1', async () => {
    const critical = await project.run({ kpi: 'critical_share' });
    const ok = await project.run({ kpi: 'ok_share' });
    expect(critical.rows.map((r) => r.value)).toEqual([1]);
    expect(ok.rows.map((r) => r.value)).toEqual([0]);
  });
});
