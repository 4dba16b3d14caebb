-- kpi: repeat_rate | grain: none | segments: cohort
with
"customers_first_order_at" as (
  select
    "orders"."customer_id" as "customer_id",
    min("orders"."ordered_at") as "first_order_at"
  from read_csv('/data/orders.csv') as "orders"
  where "orders"."customer_id" is not null
  group by "orders"."customer_id"
),
"customers_order_count" as (
  select
    "orders"."customer_id" as "customer_id",
    count("orders"."order_id") as "order_count"
  from read_csv('/data/orders.csv') as "orders"
  where "orders"."customer_id" is not null
  group by "orders"."customer_id"
),
"customers_rows" as (
  select
    date_trunc('month', "customers_first_order_at"."first_order_at") as "cohort",
    "customers"."signup_date" as "signup_date",
    coalesce("customers_order_count"."order_count", 0) >= 2 as "repeat_customers_where"
  from read_csv('/data/customers.csv') as "customers"
  left join "customers_first_order_at" on "customers_first_order_at"."customer_id" = "customers"."customer_id"
  left join "customers_order_count" on "customers_order_count"."customer_id" = "customers"."customer_id"
),
"customers_total" as (
  select
    "customers_rows"."cohort",
    count(*) as "customer_count",
    count(*) filter (where "customers_rows"."repeat_customers_where") as "repeat_customers"
  from "customers_rows"
  group by "customers_rows"."cohort"
),
"segment_keys" as (
  select
    "customers_total"."cohort"
  from "customers_total"
),
"measures" as (
  select
    "segment_keys"."cohort",
    coalesce("customers_total"."customer_count", 0) as "customer_count",
    coalesce("customers_total"."repeat_customers", 0) as "repeat_customers"
  from "segment_keys"
  left join "customers_total" on "customers_total"."cohort" is not distinct from "segment_keys"."cohort"
),
"kpi_parts" as (
  select
    "cohort",
    "repeat_customers" as "numerator",
    "customer_count" as "denominator"
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
