// The registry of value tests: for every KPI shipped in `metrics/` or
// `examples/`, the test file that compares its values with hand-written SQL or
// hand-worked numbers. `tests/value-coverage.test.ts` reads it: a KPI in
// neither list below fails `npm test`, and so does a listed file that does not
// run the KPI (`kpi: '<name>'`) and compare it with a hand answer.

/** KPI name -> the test file (from the repository root) that checks its values. */
export const VALUE_TESTS: Readonly<Record<string, string>> = {
  account_health: 'tests/e2e/saas-health.test.ts',
  account_weekly_usage: 'tests/e2e/saas-events.test.ts',
  accounts_at_risk: 'tests/e2e/saas-health.test.ts',
  accounts_on_watch: 'tests/e2e/saas-health.test.ts',
  active_customers: 'tests/e2e/saas-usage.test.ts',
  active_subscriptions: 'tests/e2e/saas-subscriptions.test.ts',
  activity_churn: 'tests/time/saas.test.ts',
  activity_retention: 'tests/time/saas.test.ts',
  average_lifetime_value: 'tests/e2e/telco-churn.test.ts',
  average_order_value: 'tests/e2e/jaffle-shop.test.ts',
  ces: 'tests/e2e/saas-surveys.test.ts',
  churn_rate: 'tests/e2e/telco-churn.test.ts',
  cohort_retention: 'tests/time/saas.test.ts',
  csat: 'tests/e2e/saas-surveys.test.ts',
  customer_health: 'tests/e2e/saas-health.test.ts',
  expansion_rate: 'tests/e2e/saas-subscriptions.test.ts',
  feature_adoption: 'tests/e2e/saas-usage.test.ts',
  gross_revenue_retention: 'tests/time/saas.test.ts',
  healthy_accounts: 'tests/e2e/saas-health.test.ts',
  logo_churn: 'tests/e2e/saas-subscriptions.test.ts',
  logo_retention: 'tests/time/saas.test.ts',
  monthly_charges_per_customer: 'tests/e2e/telco-churn.test.ts',
  monthly_events: 'tests/e2e/saas-events.test.ts',
  monthly_events_change: 'tests/e2e/saas-events.test.ts',
  net_expansion: 'tests/time/saas.test.ts',
  net_revenue_retention: 'tests/time/saas.test.ts',
  new_customers_vs_plan: 'tests/e2e/saas-plan.test.ts',
  nps: 'tests/e2e/saas-surveys.test.ts',
  nps_trailing_quarter: 'tests/e2e/saas-surveys.test.ts',
  orders_per_customer: 'tests/e2e/jaffle-shop.test.ts',
  regional_nps: 'tests/e2e/saas-events.test.ts',
  repeat_customer_share: 'tests/e2e/jaffle-shop.test.ts',
  returned_order_rate: 'tests/e2e/jaffle-shop.test.ts',
  revenue_per_customer: 'tests/e2e/jaffle-shop.test.ts',
  senior_churn_rate: 'tests/e2e/telco-churn.test.ts',
  tickets_per_active_customer: 'tests/e2e/saas-usage.test.ts',
  time_to_first_response: 'tests/e2e/saas-usage.test.ts',
  time_to_value: 'tests/time/saas.test.ts',
  usage_drop: 'tests/e2e/saas-events.test.ts',
  weekly_active_customers: 'tests/e2e/saas-events.test.ts',
  weekly_events: 'tests/e2e/saas-events.test.ts',
  weekly_events_4w_average: 'tests/e2e/saas-events.test.ts',
};

/**
 * KPIs that have no value test yet: an open gap, listed so that it is visible
 * (README, "Tests") rather than hidden. Give one a value test, move it to
 * VALUE_TESTS; the meta-test fails while a KPI is in both lists.
 */
export const WITHOUT_VALUE_TEST: readonly string[] = [];
