// The shop: a small customer dataset shared by the planner tests. Every
// number the tests expect is worked out by hand from these rows.

import { csv } from './duckdb.ts';

export const SHOP_DATA: Record<string, string> = {
  'customers.csv': csv('customer_id,tier,region,signup_date', [
    [1, 'gold', 'EMEA', '2024-01-03'],
    [2, 'silver', 'AMER', '2024-01-10'],
    [3, 'gold', 'AMER', '2024-02-01'],
    [4, 'silver', 'EMEA', '2024-02-15'],
    [5, 'bronze', null, '2024-03-01'],
  ]),
  'orders.csv': csv('order_id,customer_id,ordered_at,amount', [
    [101, 1, '2024-01-05 10:00:00', 100],
    [102, 1, '2024-02-07 10:00:00', 50],
    [103, 2, '2024-01-20 10:00:00', 80],
    [104, 3, '2024-02-10 10:00:00', 120],
    [105, 3, '2024-03-02 10:00:00', 30],
    [106, 4, '2024-03-05 10:00:00', 60],
  ]),
  // Order 101 is paid in two parts: joining orders to payments would count it twice.
  'payments.csv': csv('payment_id,order_id,paid_at,amount', [
    [1, 101, '2024-01-05 11:00:00', 60],
    [2, 101, '2024-01-06 09:00:00', 40],
    [3, 103, '2024-01-21 10:00:00', 80],
    [4, 104, '2024-02-11 10:00:00', 100],
    [5, 105, '2024-03-03 10:00:00', 30],
  ]),
  'surveys.csv': csv('response_id,customer_id,responded_at,nps', [
    [1, 1, '2024-01-05 10:00:00', 10],
    [2, 2, '2024-01-06 10:00:00', 3],
    [3, 3, '2024-01-07 10:00:00', 9],
    [4, 4, '2024-01-08 10:00:00', 7],
    [5, 1, '2024-02-03 10:00:00', 11],
    [6, 2, '2024-02-04 10:00:00', null],
    [7, 3, '2024-02-05 10:00:00', 2],
    [8, 4, '2024-02-06 10:00:00', 9],
    [9, 4, '2024-02-07 10:00:00', 10],
  ]),
  'subscriptions.csv': csv('subscription_id,customer_id,started_at,ended_at', [
    [1, 1, '2024-01-01', '2024-02-15'],
    [2, 2, '2024-01-15', '2024-03-25'],
    [3, 3, '2024-03-10', '2024-03-20'],
    [4, 4, '2024-05-01', null],
  ]),
  'feature_usage.csv': csv('usage_id,customer_id,feature,used_at', [
    [1, 1, 'export', '2024-01-05 10:00:00'],
    [2, 1, 'export', '2024-01-09 10:00:00'],
    [3, 2, 'export', '2024-02-01 10:00:00'],
    [4, 3, 'share', '2024-02-02 10:00:00'],
  ]),
  'tickets.csv': csv('ticket_id,customer_id,opened_at,minutes,solved', [
    [1, 1, '2024-01-02 10:00:00', 30, 'true'],
    [2, 3, '2024-01-03 10:00:00', 50, 'false'],
    [3, 5, '2024-01-04 10:00:00', null, 'false'],
    [4, 4, '2024-01-05 10:00:00', null, 'true'],
  ]),
};

export const SHOP_SOURCES = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier, region
  dimension first_order_at = min(orders.ordered_at)
  dimension order_count = count(orders.order_id)
  dimension cohort = date_trunc("month", first_order_at)
  measure customer_count = count()
  measure repeat_customers = count() where order_count >= 2
}

source orders from "orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  measure order_total = sum(amount)
  measure order_count_all = count()
  measure buyers = count_distinct(customer_id)
  measure buyers_to_date = count_distinct(customer_id) cumulative
}

source payments from "payments.csv" {
  key payment_id
  join orders on order_id
  time paid_at
  measure paid_total = sum(amount)
}

source surveys from "surveys.csv" {
  key response_id
  customer customer_id
  time responded_at
  check nps between 0 and 10 as nps_range
  measure responses = count()
  measure promoters = count() where nps >= 9
  measure detractors = count() where nps <= 6
}

source subscriptions from "subscriptions.csv" {
  key subscription_id
  customer customer_id
  valid from started_at to ended_at
  measure active_at_start = count_distinct(customer_id) at period start
  measure active_at_end = count_distinct(customer_id) at period end
}

source feature_usage from "feature_usage.csv" {
  key usage_id
  customer customer_id
  time used_at
  dimension feature
  measure adopters = count_distinct(customer_id)
}

source tickets from "tickets.csv" {
  key ticket_id
  customer customer_id
  time opened_at
  measure tickets_opened = count()
  measure tickets_solved = count() where solved
  measure avg_minutes = avg(minutes)
}
`;
