// `.kpi` texts used by several tests.

export const EXAMPLE = `# Every KPI must reach this entity: it is the customer.
customer customers from "data/customers.csv" {
  key customer_id
  time signup_date
  dimension tier, region
  measure customer_count = count()
}

source surveys from "data/surveys.csv" {
  key response_id
  customer customer_id            # the link to the customer entity
  time responded_at
  check nps between 0 and 10      # rows failing a check are excluded and counted

  measure responses  = count()
  measure promoters  = count() where nps >= 9
  measure detractors = count() where nps <= 6
}

source subscriptions from "data/subscriptions.parquet" {
  key subscription_id
  customer customer_id
  valid from started_at to ended_at         # a state that holds over an interval
  measure active_at_start = count_distinct(customer_id) at period start
  measure churned = count_distinct(customer_id) where not renewed time ended_at
}

kpi nps {
  title "Net Promoter Score"
  description "Share of promoters minus share of detractors, in points."
  owner "customer-success"
  perspective customer
  indicator lagging
  numerator promoters - detractors
  denominator responses
  scale 100
  segment by tier, region
  grain month
  direction higher
  target >= 40
  warn < 30
  critical < 10
  critical < 20 for region = "EMEA"       # a segment's own threshold
}

kpi logo_churn {
  title "Monthly logo churn"
  owner "customer-success"
  perspective customer
  numerator churned
  denominator active_at_start
  grain month
  direction lower
  warn > 2%
  critical > 5%
}
`;

/** The aggregated-dimension example, with a fact source of orders. */
export const COHORTS = `customer customers from "data/customers.csv" {
  key customer_id
  time signup_date
  dimension tier
  dimension first_order_at = min(orders.ordered_at)
  dimension order_count = count(orders.order_id)
  dimension early_orders = count(orders.order_id) where orders.ordered_at >= signup_date
  dimension cohort = date_trunc("month", first_order_at)
  measure repeat_customers = count() where order_count >= 2
  measure customers_total = count()
}

source orders from "data/orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  dimension months_since_first = date_diff("month", customers.cohort, ordered_at)
  measure revenue = sum(amount) where status = "paid"
  measure order_total = count()
}

kpi repeat_rate {
  numerator repeat_customers
  denominator customers_total
  segment by cohort
}

kpi revenue_per_order {
  numerator orders.revenue
  denominator order_total
  segment by months_since_first, tier
}
`;
