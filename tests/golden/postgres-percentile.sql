-- kpi: p90_order | grain: none | segments: none
with
"orders_rows" as (
  select
    "orders"."ordered_at" as "ordered_at",
    "orders"."amount" as "amount"
  from "sales"."orders" as "orders"
),
"orders_total" as (
  select
    count(*) as "order_count",
    percentile_cont(0.9) within group (order by "orders_rows"."amount") as "p90_amount"
  from "orders_rows"
),
"measures" as (
  select
    coalesce("orders_total"."order_count", 0) as "order_count",
    "orders_total"."p90_amount" as "p90_amount"
  from "orders_total"
),
"kpi_parts" as (
  select
    cast("p90_amount" as double precision) / nullif("order_count", 0) as "numerator",
    cast(null as double precision) as "denominator"
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
