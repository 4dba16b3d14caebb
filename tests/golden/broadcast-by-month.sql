-- kpi: adoption | grain: month | segments: feature
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
"feature_usage_by_month" as (
  select
    cast(date_trunc('month', "feature_usage_rows"."used_at") as date) as "period",
    "feature_usage_rows"."feature",
    count(distinct "feature_usage_rows"."customer_id") as "adopters"
  from "feature_usage_rows"
  group by cast(date_trunc('month', "feature_usage_rows"."used_at") as date), "feature_usage_rows"."feature"
),
"customers_by_month" as (
  select
    cast(date_trunc('month', "customers_rows"."signup_date") as date) as "period",
    count(*) as "customer_count"
  from "customers_rows"
  group by cast(date_trunc('month', "customers_rows"."signup_date") as date)
),
"period_bounds" as (
  select
    min("first") as "first",
    max("last") as "last"
  from (
    select
      min("feature_usage_by_month"."period") as "first",
      max("feature_usage_by_month"."period") as "last"
    from "feature_usage_by_month"
    union all
    select
      min("customers_by_month"."period") as "first",
      max("customers_by_month"."period") as "last"
    from "customers_by_month"
  ) as "data_bounds"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(cast(date_trunc('month', "period_bounds"."first") as timestamp), cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"segment_keys" as (
  select
    "feature_usage_by_month"."period",
    "feature_usage_by_month"."feature"
  from "feature_usage_by_month"
),
"spine" as (
  select
    "periods"."period",
    "segment_keys"."feature"
  from "periods"
  left join "segment_keys" on "segment_keys"."period" = "periods"."period"
),
"measures" as (
  select
    "spine"."period",
    "spine"."feature",
    coalesce("feature_usage_by_month"."adopters", 0) as "adopters",
    coalesce("customers_by_month"."customer_count", 0) as "customer_count"
  from "spine"
  left join "feature_usage_by_month" on "feature_usage_by_month"."period" = "spine"."period" and "feature_usage_by_month"."feature" is not distinct from "spine"."feature"
  left join "customers_by_month" on "customers_by_month"."period" = "spine"."period"
),
"kpi_parts" as (
  select
    "period",
    "feature",
    "adopters" as "numerator",
    "customer_count" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "feature",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "period",
  "feature",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "period", "feature" nulls last
