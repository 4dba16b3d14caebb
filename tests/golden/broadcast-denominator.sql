-- kpi: adoption | grain: none | segments: feature
with
"feature_usage_rows" as (
  select
    "feature_usage"."feature" as "feature",
    "feature_usage"."used_at" as "used_at",
    "feature_usage"."customer_id" as "customer_id"
  from read_csv('/data/feature_usage.csv') as "feature_usage"
),
"customers_rows" as (
  select
    "customers"."signup_date" as "signup_date"
  from read_csv('/data/customers.csv') as "customers"
),
"feature_usage_total" as (
  select
    "feature_usage_rows"."feature",
    count(distinct "feature_usage_rows"."customer_id") as "adopters"
  from "feature_usage_rows"
  group by "feature_usage_rows"."feature"
),
"customers_total" as (
  select
    count(*) as "customer_count"
  from "customers_rows"
),
"segment_keys" as (
  select
    "feature_usage_total"."feature"
  from "feature_usage_total"
),
"measures" as (
  select
    "segment_keys"."feature",
    coalesce("feature_usage_total"."adopters", 0) as "adopters",
    coalesce("customers_total"."customer_count", 0) as "customer_count"
  from "segment_keys"
  left join "feature_usage_total" on "feature_usage_total"."feature" is not distinct from "segment_keys"."feature"
  cross join "customers_total"
),
"kpi_parts" as (
  select
    "feature",
    "adopters" as "numerator",
    "customer_count" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "feature",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "feature",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "feature" nulls last
