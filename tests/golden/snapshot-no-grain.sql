-- kpi: active_ratio | grain: none | segments: none | range: 2024-01-20 to 2024-03-01
with
"subscriptions_rows" as (
  select
    "subscriptions"."started_at" as "started_at",
    "subscriptions"."ended_at" as "ended_at",
    "subscriptions"."customer_id" as "customer_id"
  from read_csv('/data/subscriptions.csv') as "subscriptions"
),
"periods" as (
  select
    date '2024-01-20' as "period",
    date '2024-03-01' as "period_end"
),
"subscriptions_at_end" as (
  select
    count(distinct "subscriptions_rows"."customer_id") as "active_at_end"
  from "periods"
  inner join "subscriptions_rows" on "subscriptions_rows"."started_at" < least("periods"."period_end", date '2024-03-01') and ("subscriptions_rows"."ended_at" is null or "subscriptions_rows"."ended_at" >= least("periods"."period_end", date '2024-03-01'))
),
"subscriptions_at_start" as (
  select
    count(distinct "subscriptions_rows"."customer_id") as "active_at_start"
  from "periods"
  inner join "subscriptions_rows" on "subscriptions_rows"."started_at" <= "periods"."period" and ("subscriptions_rows"."ended_at" is null or "subscriptions_rows"."ended_at" > "periods"."period")
),
"measures" as (
  select
    coalesce("subscriptions_at_end"."active_at_end", 0) as "active_at_end",
    coalesce("subscriptions_at_start"."active_at_start", 0) as "active_at_start"
  from "subscriptions_at_end"
  cross join "subscriptions_at_start"
),
"kpi_parts" as (
  select
    "active_at_end" as "numerator",
    "active_at_start" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
