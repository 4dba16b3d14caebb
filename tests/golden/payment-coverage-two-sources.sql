-- kpi: payment_coverage | grain: month | segments: tier
with
"orders_rows" as (
  select
    "customers"."tier" as "tier",
    "orders"."ordered_at" as "ordered_at",
    "orders"."amount" as "amount"
  from read_csv('/data/orders.csv') as "orders"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "orders"."customer_id"
),
"payments_rows" as (
  select
    "customers"."tier" as "tier",
    "payments"."paid_at" as "paid_at",
    "payments"."amount" as "amount"
  from read_csv('/data/payments.csv') as "payments"
  left join read_csv('/data/orders.csv') as "orders" on "orders"."order_id" = "payments"."order_id"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "orders"."customer_id"
),
"orders_by_month" as (
  select
    cast(date_trunc('month', "orders_rows"."ordered_at") as date) as "period",
    "orders_rows"."tier",
    sum("orders_rows"."amount") as "order_total"
  from "orders_rows"
  group by cast(date_trunc('month', "orders_rows"."ordered_at") as date), "orders_rows"."tier"
),
"payments_by_month" as (
  select
    cast(date_trunc('month', "payments_rows"."paid_at") as date) as "period",
    "payments_rows"."tier",
    sum("payments_rows"."amount") as "paid_total"
  from "payments_rows"
  group by cast(date_trunc('month', "payments_rows"."paid_at") as date), "payments_rows"."tier"
),
"period_bounds" as (
  select
    min("first") as "first",
    max("last") as "last"
  from (
    select
      min("orders_by_month"."period") as "first",
      max("orders_by_month"."period") as "last"
    from "orders_by_month"
    union all
    select
      min("payments_by_month"."period") as "first",
      max("payments_by_month"."period") as "last"
    from "payments_by_month"
  ) as "data_bounds"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(cast(date_trunc('month', "period_bounds"."first") as timestamp), cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"segment_keys" as (
  select
    "orders_by_month"."period",
    "orders_by_month"."tier"
  from "orders_by_month"
  union
  select
    "payments_by_month"."period",
    "payments_by_month"."tier"
  from "payments_by_month"
),
"spine" as (
  select
    "periods"."period",
    "segment_keys"."tier"
  from "periods"
  left join "segment_keys" on "segment_keys"."period" = "periods"."period"
),
"measures" as (
  select
    "spine"."period",
    "spine"."tier",
    coalesce("orders_by_month"."order_total", 0) as "order_total",
    coalesce("payments_by_month"."paid_total", 0) as "paid_total"
  from "spine"
  left join "orders_by_month" on "orders_by_month"."period" = "spine"."period" and "orders_by_month"."tier" is not distinct from "spine"."tier"
  left join "payments_by_month" on "payments_by_month"."period" = "spine"."period" and "payments_by_month"."tier" is not distinct from "spine"."tier"
),
"kpi_parts" as (
  select
    "period",
    "tier",
    "paid_total" as "numerator",
    "order_total" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "tier",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "period",
  "tier",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "period", "tier" nulls last
