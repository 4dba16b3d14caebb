-- kpi: orders_per_buyer | grain: none | segments: cohort
with
"buyers_first_order_at" as (
  select
    "orders"."customer_id" as "customer_id",
    min("orders"."ordered_at") as "first_order_at"
  from read_csv('/data/orders.csv') as "orders"
  where "orders"."customer_id" is not null
  group by "orders"."customer_id"
),
"buyers_keys" as (
  select distinct
    "orders"."customer_id" as "customer_id"
  from read_csv('/data/orders.csv') as "orders"
  where "orders"."customer_id" is not null
),
"buyers_rows" as (
  select
    date_trunc('month', "buyers_first_order_at"."first_order_at") as "cohort"
  from "buyers_keys" as "buyers"
  left join "buyers_first_order_at" on "buyers_first_order_at"."customer_id" = "buyers"."customer_id"
),
"orders_rows" as (
  select
    date_trunc('month', "buyers_first_order_at"."first_order_at") as "cohort",
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
  left join "buyers_keys" as "buyers" on "buyers"."customer_id" = "orders"."customer_id"
  left join "buyers_first_order_at" on "buyers_first_order_at"."customer_id" = "buyers"."customer_id"
),
"buyers_overall" as (
  select
    "buyers_rows"."cohort",
    count(*) as "buyer_count"
  from "buyers_rows"
  group by "buyers_rows"."cohort"
),
"orders_total" as (
  select
    "orders_rows"."cohort",
    count(*) as "order_count"
  from "orders_rows"
  group by "orders_rows"."cohort"
),
"segment_keys" as (
  select
    "buyers_overall"."cohort"
  from "buyers_overall"
  union
  select
    "orders_total"."cohort"
  from "orders_total"
),
"measures" as (
  select
    "segment_keys"."cohort",
    coalesce("buyers_overall"."buyer_count", 0) as "buyer_count",
    coalesce("orders_total"."order_count", 0) as "order_count"
  from "segment_keys"
  left join "buyers_overall" on "buyers_overall"."cohort" is not distinct from "segment_keys"."cohort"
  left join "orders_total" on "orders_total"."cohort" is not distinct from "segment_keys"."cohort"
),
"kpi_parts" as (
  select
    "cohort",
    "order_count" as "numerator",
    "buyer_count" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "cohort",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "cohort",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "cohort" nulls last
