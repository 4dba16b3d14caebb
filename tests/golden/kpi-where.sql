-- kpi: emea_orders | grain: month | segments: none
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "orders"."customer_id"
  where ("customers"."region" = 'EMEA') is true
),
"orders_by_month" as (
  select
    cast(date_trunc('month', "orders_rows"."ordered_at") as date) as "period",
    count(*) as "order_count_all"
  from "orders_rows"
  group by cast(date_trunc('month', "orders_rows"."ordered_at") as date)
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
"measures" as (
  select
    "periods"."period",
    coalesce("orders_by_month"."order_count_all", 0) as "order_count_all"
  from "periods"
  left join "orders_by_month" on "orders_by_month"."period" = "periods"."period"
),
"kpi_parts" as (
  select
    "period",
    "order_count_all" as "numerator",
    cast(null as double) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "numerator",
    "denominator",
    "numerator" as "value"
  from "kpi_parts"
)
select
  "period",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "period"
