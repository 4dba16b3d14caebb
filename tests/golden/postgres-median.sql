-- kpi: median_order | grain: month | segments: tier
with
"orders_rows" as (
  select
    "customers"."tier" as "tier",
    "orders"."ordered_at" as "ordered_at",
    "orders"."amount" as "amount"
  from "sales"."orders" as "orders"
  left join "sales"."customers" as "customers" on "customers"."customer_id" = "orders"."customer_id"
),
"orders_by_month" as (
  select
    cast(date_trunc('month', "orders_rows"."ordered_at") as date) as "period",
    "orders_rows"."tier",
    percentile_cont(0.5) within group (order by "orders_rows"."amount") as "median_amount"
  from "orders_rows"
  group by cast(date_trunc('month', "orders_rows"."ordered_at") as date), "orders_rows"."tier"
),
"period_bounds" as (
  select
    min("orders_by_month"."period") as "first",
    max("orders_by_month"."period") as "last"
  from "orders_by_month"
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
    "orders_by_month"."median_amount" as "median_amount"
  from "spine"
  left join "orders_by_month" on "orders_by_month"."period" = "spine"."period" and coalesce(cast("orders_by_month"."tier" as text), '') = coalesce(cast("spine"."tier" as text), '') and "orders_by_month"."tier" is not distinct from "spine"."tier"
),
"kpi_parts" as (
  select
    "period",
    "tier",
    "median_amount" as "numerator",
    cast(null as double precision) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "tier",
    "numerator",
    "denominator",
    "numerator" as "value"
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
