-- kpi: orders_monthly | grain: quarter | segments: region
with
"orders_rows" as (
  select
    "customers"."region" as "region",
    "orders"."ordered_at" as "ordered_at"
  from read_csv('/data/orders.csv') as "orders"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "orders"."customer_id"
),
"orders_by_quarter" as (
  select
    cast(date_trunc('quarter', "orders_rows"."ordered_at") as date) as "period",
    "orders_rows"."region",
    count(*) as "order_count_all"
  from "orders_rows"
  group by cast(date_trunc('quarter', "orders_rows"."ordered_at") as date), "orders_rows"."region"
),
"period_bounds" as (
  select
    min("orders_by_quarter"."period") as "first",
    max("orders_by_quarter"."period") as "last"
  from "orders_by_quarter"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '3 months' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(cast(date_trunc('quarter', "period_bounds"."first") as timestamp), cast(date_trunc('quarter', "period_bounds"."last") as timestamp), interval '3 months') as "series"("s")
),
"segment_keys" as (
  select
    "orders_by_quarter"."period",
    "orders_by_quarter"."region"
  from "orders_by_quarter"
),
"spine" as (
  select
    "periods"."period",
    "segment_keys"."region"
  from "periods"
  left join "segment_keys" on "segment_keys"."period" = "periods"."period"
),
"measures" as (
  select
    "spine"."period",
    "spine"."region",
    coalesce("orders_by_quarter"."order_count_all", 0) as "order_count_all"
  from "spine"
  left join "orders_by_quarter" on "orders_by_quarter"."period" = "spine"."period" and "orders_by_quarter"."region" is not distinct from "spine"."region"
),
"kpi_parts" as (
  select
    "period",
    "region",
    "order_count_all" as "numerator",
    cast(null as double) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "region",
    "numerator",
    "denominator",
    "numerator" as "value"
  from "kpi_parts"
)
select
  "period",
  "region",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "period", "region" nulls last
