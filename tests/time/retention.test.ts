// Retention and churn between consecutive periods from activity alone:
// `count_distinct(x) retained` counts the values of the period before that
// are counted again in this one, `churned` those that are not.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_START } from '../../compiler/diagnostics.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns } from './data.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension plan
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure active_customers = count_distinct(customer_id)
  measure retained_customers = count_distinct(customer_id) retained
  measure churned_customers = count_distinct(customer_id) churned
  measure retained_long = count_distinct(customer_id) where duration > 25 retained
  measure churned_long = count_distinct(customer_id) where duration > 25 churned
}
kpi retained {
  numerator retained_customers
  grain month
}
kpi churned {
  numerator churned_customers
  grain month
}
kpi retention_rate {
  numerator retained_customers
  denominator retained_customers + churned_customers
  grain month
}
kpi logo_churn_rate {
  numerator churned_customers
  denominator retained_customers + churned_customers
  grain month
}
kpi long_retention {
  numerator retained_long
  denominator retained_long + churned_long
  grain month
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/model.kpi': MODEL }, DATA);
});
afterAll(() => project.close());

// Active by month (tests/time/data.ts): Jan c1 c2 | Feb c1 c3 | Mar c1 c2 c4.
// Feb: of {c1, c2}, c1 is retained and c2 churned. Mar: of {c1, c3}, c1 is
// retained and c3 churned; c2 comes back, so it is neither (it was not active in Feb).
describe('retained and churned', () => {
  it('counts, per month, who stays and who leaves', async () => {
    const retained = await project.run({ kpi: 'retained' });
    expect(pickColumns(retained.rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 0 },
      { period: '2024-02-01', value: 1 },
      { period: '2024-03-01', value: 1 },
    ]);
    const churned = await project.run({ kpi: 'churned' });
    expect(pickColumns(churned.rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 0 },
      { period: '2024-02-01', value: 1 },
      { period: '2024-03-01', value: 1 },
    ]);
  });

  it('gives retention and churn rates over the customers active in the month before', async () => {
    const { rows } = await project.run({ kpi: 'retention_rate' });
    // Jan: nobody was active before it -> 0 / 0 -> null. Feb 1 / 2, Mar 1 / 2.
    expect(pickColumns(rows, ['period', 'numerator', 'denominator', 'value'])).toEqual([
      { period: '2024-01-01', numerator: 0, denominator: 0, value: null },
      { period: '2024-02-01', numerator: 1, denominator: 2, value: 0.5 },
      { period: '2024-03-01', numerator: 1, denominator: 2, value: 0.5 },
    ]);
  });

  it('per segment: a customer is retained or churned within its segment', async () => {
    const { rows } = await project.run({ kpi: 'logo_churn_rate', by: [{ name: 'plan', span: FILE_START }] });
    // enterprise: Jan {c1 c2}, Feb {c1}, Mar {c1 c2} -> Feb churn 1/2, Mar 0/1.
    // starter: Jan {}, Feb {c3}, Mar {c4} -> Feb: no starter before it (no row); Mar c3 churned: 1/1.
    // Segment values come from the data: January has no month before it, so it
    // is one row with no segment value (as any period without data).
    expect(pickColumns(rows, ['period', 'plan', 'numerator', 'denominator', 'value'])).toEqual([
      { period: '2024-01-01', plan: null, numerator: 0, denominator: 0, value: null },
      { period: '2024-02-01', plan: 'enterprise', numerator: 1, denominator: 2, value: 0.5 },
      { period: '2024-03-01', plan: 'enterprise', numerator: 0, denominator: 1, value: 0 },
      { period: '2024-03-01', plan: 'starter', numerator: 1, denominator: 1, value: 1 },
    ]);
  });

  it('reads the month before --from, and stops at --to', async () => {
    const march = await project.run({ kpi: 'retention_rate', from: '2024-03-01' });
    expect(pickColumns(march.rows, ['period', 'numerator', 'denominator'])).toEqual([
      { period: '2024-03-01', numerator: 1, denominator: 2 },
    ]);
    const feb = await project.run({ kpi: 'churned', from: '2024-02-01', to: '2024-03-01' });
    expect(pickColumns(feb.rows, ['period', 'value'])).toEqual([{ period: '2024-02-01', value: 1 }]);
  });

  it("applies the measure's where to both months", async () => {
    // Sessions over 25: Jan {c1 (30, 150), c2 (60)}, Feb {} , Mar {c1 (200), c2 (40)}.
    // Feb: both churned (0 / 2); Mar: nobody was active in Feb -> 0 / 0.
    const { rows } = await project.run({ kpi: 'long_retention' });
    expect(pickColumns(rows, ['period', 'numerator', 'denominator'])).toEqual([
      { period: '2024-01-01', numerator: 0, denominator: 0 },
      { period: '2024-02-01', numerator: 0, denominator: 2 },
      { period: '2024-03-01', numerator: 0, denominator: 0 },
    ]);
  });

  it('agrees with hand-written SQL', async () => {
    const { rows } = await project.run({ kpi: 'retention_rate' });
    const hand = await project.db.all(`
      with active as (
        select distinct cast(date_trunc('month', "at") as date) as m, customer_id
        from read_csv('${project.db.root}/events.csv')
      )
      select cast(a.m + interval 1 month as date) as period,
             count(b.customer_id) as retained, count(*) - count(b.customer_id) as churned
      from active a left join active b on b.customer_id = a.customer_id and b.m = cast(a.m + interval 1 month as date)
      group by 1 having cast(a.m + interval 1 month as date) <= date '2024-03-01' order by 1`);
    const byPeriod = new Map(hand.map((h) => [h.period, h]));
    for (const row of rows.slice(1)) {
      const h = byPeriod.get(row.period)!;
      expect(Number(row.numerator)).toBe(Number(h.retained));
      expect(Number(row.denominator)).toBe(Number(h.retained) + Number(h.churned));
    }
  });

  it('needs a grain', () => {
    expect(project.diagnose({ kpi: 'retention_rate', grain: 'none' }).map((d) => d.code)).toContain(
      'retention-without-grain',
    );
  });
});
