-- kpi: orders_trailing | grain: month | segments: none
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
),
"period_bounds" as (
  select
    min("orders_rows"."ordered_at") as "first",
    max("orders_rows"."ordered_at") as "last"
  from "orders_rows"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(cast(date_trunc('month', "period_bounds"."first") as timestamp), cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"orders_window_by_month" as (
  select
    "periods"."period",
    count(*) as "order_count_all"
  from "periods"
  inner join "orders_rows" on "orders_rows"."ordered_at" >= "periods"."period_end" - interval '2 months' and "orders_rows"."ordered_at" < "periods"."period_end"
  group by "periods"."period"
),
"measures" as (
  select
    "periods"."period",
    coalesce("orders_window_by_month"."order_count_all", 0) as "order_count_all"
  from "periods"
  left join "orders_window_by_month" on "orders_window_by_month"."period" = "periods"."period"
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
