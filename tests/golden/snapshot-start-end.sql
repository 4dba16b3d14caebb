-- kpi: active_ratio | grain: month | segments: none | range: 2024-01-01 to 2024-07-01
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
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from generate_series(timestamp '2024-01-01 00:00:00', timestamp '2024-06-01 00:00:00', interval '1 month') as "series"("s")
),
"subscriptions_at_end_by_month" as (
  select
    "periods"."period",
    count(distinct "subscriptions_rows"."customer_id") as "active_at_end"
  from "periods"
  inner join "subscriptions_rows" on "subscriptions_rows"."started_at" < least("periods"."period_end", date '2024-07-01') and ("subscriptions_rows"."ended_at" is null or "subscriptions_rows"."ended_at" >= least("periods"."period_end", date '2024-07-01'))
  group by "periods"."period"
),
"subscriptions_at_start_by_month" as (
  select
    "periods"."period",
    count(distinct "subscriptions_rows"."customer_id") as "active_at_start"
  from "periods"
  inner join "subscriptions_rows" on "subscriptions_rows"."started_at" <= "periods"."period" and ("subscriptions_rows"."ended_at" is null or "subscriptions_rows"."ended_at" > "periods"."period")
  group by "periods"."period"
),
"measures" as (
  select
    "periods"."period",
    coalesce("subscriptions_at_end_by_month"."active_at_end", 0) as "active_at_end",
    coalesce("subscriptions_at_start_by_month"."active_at_start", 0) as "active_at_start"
  from "periods"
  left join "subscriptions_at_end_by_month" on "subscriptions_at_end_by_month"."period" = "periods"."period"
  left join "subscriptions_at_start_by_month" on "subscriptions_at_start_by_month"."period" = "periods"."period"
),
"kpi_parts" as (
  select
    "period",
    "active_at_end" as "numerator",
    "active_at_start" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
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
