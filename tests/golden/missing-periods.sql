-- kpi: orders_monthly | grain: month | segments: none | range: 2024-01-01 to 2024-06-01
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from generate_series(timestamp '2024-01-01 00:00:00', timestamp '2024-05-01 00:00:00', interval '1 month') as "series"("s")
),
"orders_by_month" as (
  select
    cast(date_trunc('month', "orders_rows"."ordered_at") as date) as "period",
    count(*) as "order_count_all"
  from "orders_rows"
  where "orders_rows"."ordered_at" >= date '2024-01-01' and "orders_rows"."ordered_at" < date '2024-06-01'
  group by cast(date_trunc('month', "orders_rows"."ordered_at") as date)
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
