// The data of the alert tests, worked out by hand.
//
// Weeks start on Monday. The data starts on Wednesday 2023-12-06 (W0 is
// partial) and ends on Wednesday 2024-01-31 (W8 is partial), so the latest
// complete week is W7 (2024-01-22).
//
//   week          W0    W1    W2    W3    W4    W5    W6    W7    W8
//   starts     12-04 12-11 12-18 12-25 01-01 01-08 01-15 01-22 01-29
//   a1 ent        20    20    20    20    20    20    20    13     5   W7 is 35% below avg(W3..W6) = 20
//   a2 ent         4     4     4     4     4     4     4     0     1   no events in W7: -100% against 4
//   a3 ent        10    10    10    10    10     5     5     5     2   W5 -50%, W6 -42.9%, W7 -33.3%: three weeks, escalates
//   a4 ent        10    10    10    10    10    10    10    10     2   steady; W8 is low only because it is partial
//   s1 starter     3     3     3     3     3     3     3     0     0   falls, but is not an enterprise account
//
// The second run adds the rest of W8 (a full week) and two days of W9, so
// the latest complete week is W8:
//   W8 (whole)    20     0     5     2     3
//   a1: avg(W4..W7) = 18.25, 20 is +9.6%: resolved. a2: avg 3, 0 is -100%: ongoing, 2 weeks.
//   a3: avg(W4..W7) = 6.25, 5 is -20%: resolved. a4: avg 10, 2 is -80%: new.

export const WEEKS = [
  '2023-12-04',
  '2023-12-11',
  '2023-12-18',
  '2023-12-25',
  '2024-01-01',
  '2024-01-08',
  '2024-01-15',
  '2024-01-22',
  '2024-01-29',
];

export const CUSTOMERS = 'customer_id,tier\na1,enterprise\na2,enterprise\na3,enterprise\na4,enterprise\ns1,starter\n';

const COUNTS: Record<string, number[]> = {
  a1: [20, 20, 20, 20, 20, 20, 20, 13, 5],
  a2: [4, 4, 4, 4, 4, 4, 4, 0, 1],
  a3: [10, 10, 10, 10, 10, 5, 5, 5, 2],
  a4: [10, 10, 10, 10, 10, 10, 10, 10, 2],
  s1: [3, 3, 3, 3, 3, 3, 3, 0, 0],
};

/** W8 whole, in the second run. */
const W8_WHOLE: Record<string, number> = { a1: 20, a2: 0, a3: 5, a4: 2, s1: 3 };

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * One event per count, on days the data covers: W0 from its Wednesday,
 * W8 (partial) up to its Wednesday, whole weeks Monday to Friday.
 */
export function events(second = false): string {
  const rows: string[] = ['event_id,customer_id,at'];
  let id = 0;
  for (const [customer, counts] of Object.entries(COUNTS)) {
    counts.forEach((count, week) => {
      const whole = second && week === 8;
      const n = whole ? W8_WHOLE[customer]! : count;
      for (let j = 0; j < n; j++) {
        const day = week === 0 ? 2 + (j % 3) : week === 8 && !whole ? j % 3 : j % 5;
        rows.push(`e${++id},${customer},${addDays(WEEKS[week]!, day)} 10:${String(j % 60).padStart(2, '0')}:00`);
      }
    });
  }
  // a1's events start on Wednesday 2023-12-06 and end on Wednesday 2024-01-31; the second run adds Tuesday 2024-02-06 (W9).
  if (second) rows.push(`e${++id},a4,2024-02-06 09:00:00`);
  return `${rows.join('\n')}\n`;
}

export const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  dimension tier
}

source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure event_count = count()
}

kpi weekly_events {
  title "Weekly events"
  owner "customer-success"
  numerator event_count
  grain week
  critical < 5
  alert enterprise_drop {
    by customer
    where tier = "enterprise"
    when change < -30% against average 4
    responsible "csm-team"
    accountable "cs-manager"
    informed "#cs-alerts"
    escalate after 3 periods
  }
}
`;
