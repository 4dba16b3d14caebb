// A small project for per-customer scores rolled up to tiers: a customer with
// no logins (a component with no rows), one with no survey answer, one with no
// rows at all (tests/language/customer-rollup.test.ts).

export const ROLLUP_DATA: Record<string, string> = {
  'customers.csv':
    'customer_id,tier,signup_date\nc1,gold,2023-12-01\nc2,gold,2023-12-01\nc3,silver,2023-12-01\nc4,silver,2023-12-01\nc5,silver,2023-12-01\n',
  // January: c1 10 logins, c2 4, c3 7, c4 none, c5 none. February: c1 2.
  'logins.csv': `login_id,customer_id,at\n${[
    ...Array.from({ length: 10 }, (_, i) => `l1_${i},c1,2024-01-${String(i + 2).padStart(2, '0')} 09:00:00`),
    ...Array.from({ length: 4 }, (_, i) => `l2_${i},c2,2024-01-${String(i + 2).padStart(2, '0')} 09:00:00`),
    ...Array.from({ length: 7 }, (_, i) => `l3_${i},c3,2024-01-${String(i + 2).padStart(2, '0')} 09:00:00`),
    'l1_f1,c1,2024-02-05 09:00:00',
    'l1_f2,c1,2024-02-06 09:00:00',
  ].join('\n')}\n`,
  // January: c1 5, c2 3, c4 4 (c4 answers but never logs in); c3 and c5 never answer.
  'surveys.csv':
    'response_id,customer_id,responded_at,csat\nr1,c1,2024-01-10 10:00:00,5\nr2,c2,2024-01-11 10:00:00,3\nr3,c4,2024-01-12 10:00:00,4\n',
};

export const ROLLUP_MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier
}
source logins from "logins.csv" {
  key login_id
  customer customer_id
  time at
  measure login_count = count()
}
source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  measure avg_csat = avg(csat)
}
kpi monthly_logins {
  numerator login_count
  grain month
}
kpi monthly_csat {
  numerator avg_csat
  grain month
}
kpi customer_health {
  value weighted_mean(score(coalesce(monthly_logins, 0), 0, 10), 3, score(monthly_csat, 1, 5), 1)
  grain month
  warn < 80
  critical < 60
}
kpi health_by_tier {
  value customer_mean(customer_health)
  segment by tier
  grain month
  warn < 80
  critical < 60
}
kpi at_risk_share {
  value customer_share(customer_health, critical)
  segment by tier
  grain month
}
kpi watch_share {
  value customer_share(customer_health, warn)
  segment by tier
  grain month
}
kpi healthy_share {
  value customer_share(customer_health, ok)
  segment by tier
  grain month
}
`;
