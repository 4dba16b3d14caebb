-- kpi: orders_monthly | grain: none | segments: none | range: 2024-01-20 10:00:00 to 2024-03-02 10:00:00
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
),
"orders_total" as (
  select
    count(*) as "order_count_all"
  from "orders_rows"
  where "orders_rows"."ordered_at" >= timestamp '2024-01-20 10:00:00' and "orders_rows"."ordered_at" < timestamp '2024-03-02 10:00:00'
),
"measures" as (
  select
    coalesce("orders_total"."order_count_all", 0) as "order_count_all"
  from "orders_total"
),
"kpi_parts" as (
  select
    "order_count_all" as "numerator",
    cast(null as double) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "numerator",
    "denominator",
    "numerator" as "value"
  from "kpi_parts"
)
select
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
