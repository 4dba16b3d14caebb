-- kpi: buyers_to_date | grain: month | segments: none | range: 2024-02-01 to 2024-04-01
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at",
    "orders"."customer_id" as "customer_id"
  from read_csv('/data/orders.csv') as "orders"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from generate_series(timestamp '2024-02-01 00:00:00', timestamp '2024-03-01 00:00:00', interval '1 month') as "series"("s")
),
"orders_cumulative_by_month" as (
  select
    "periods"."period",
    count(distinct "orders_rows"."customer_id") as "buyers_to_date"
  from "periods"
  inner join "orders_rows" on "orders_rows"."ordered_at" < "periods"."period_end"
  where "orders_rows"."ordered_at" < date '2024-04-01'
  group by "periods"."period"
),
"measures" as (
  select
    "periods"."period",
    coalesce("orders_cumulative_by_month"."buyers_to_date", 0) as "buyers_to_date"
  from "periods"
  left join "orders_cumulative_by_month" on "orders_cumulative_by_month"."period" = "periods"."period"
),
"kpi_parts" as (
  select
    "period",
    "buyers_to_date" as "numerator",
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
