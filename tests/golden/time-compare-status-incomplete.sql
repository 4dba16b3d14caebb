-- kpi: logins | grain: month | segments: plan | range: 2024-02-01 to ...
with
"events_rows" as (
  select
    "customers"."plan" as "plan",
    "events"."at" as "at"
  from read_csv('/data/events.csv') as "events"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "events"."customer_id"
),
"period_bounds" as (
  select
    min("events_rows"."at") as "first",
    max("events_rows"."at") as "last"
  from "events_rows"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(timestamp '2024-01-01 00:00:00', cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"events_by_month" as (
  select
    cast(date_trunc('month', "events_rows"."at") as date) as "period",
    "events_rows"."plan",
    count(*) as "login_count"
  from "events_rows"
  where "events_rows"."at" >= date '2024-01-01'
  group by cast(date_trunc('month', "events_rows"."at") as date), "events_rows"."plan"
),
"segment_keys" as (
  select
    "events_by_month"."period",
    "events_by_month"."plan"
  from "events_by_month"
),
"spine" as (
  select
    "periods"."period",
    "segment_keys"."plan"
  from "periods"
  left join "segment_keys" on "segment_keys"."period" = "periods"."period"
),
"measures" as (
  select
    "spine"."period",
    "spine"."plan",
    coalesce("events_by_month"."login_count", 0) as "login_count"
  from "spine"
  left join "events_by_month" on "events_by_month"."period" = "spine"."period" and "events_by_month"."plan" is not distinct from "spine"."plan"
),
"kpi_parts" as (
  select
    "period",
    "plan",
    "login_count" as "numerator",
    cast(null as double) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "plan",
    "numerator",
    "denominator",
    "numerator" as "value",
    (coalesce(cast("period" + interval '1 month' as date) > (select cast("period_bounds"."last" as date) + 1 from "period_bounds"), false) or coalesce("period" < (select cast("period_bounds"."first" as date) from "period_bounds"), false)) as "incomplete"
  from "kpi_parts"
),
"kpi_compared" as (
  select
    "this_period"."period",
    "this_period"."plan",
    "this_period"."numerator",
    "this_period"."denominator",
    "this_period"."value",
    "previous_period"."value" as "previous_value",
    "this_period"."value" - "previous_period"."value" as "change",
    cast("this_period"."value" - "previous_period"."value" as double) / nullif(abs("previous_period"."value"), 0) as "change_pct",
    "this_period"."incomplete"
  from "kpi_values" as "this_period"
  left join "kpi_values" as "previous_period" on "previous_period"."period" = cast("this_period"."period" - interval '1 month' as date) and "previous_period"."plan" is not distinct from "this_period"."plan"
),
"kpi_results" as (
  select
    "period",
    "plan",
    "numerator",
    "denominator",
    "value",
    "previous_value",
    "change",
    "change_pct",
    case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null when "value" < 2 then 'critical' else 'ok' end as "status",
    cast(null as boolean) as "target_met",
    "incomplete"
  from "kpi_compared"
)
select
  "period",
  "plan",
  "numerator",
  "denominator",
  "value",
  "previous_value",
  "change",
  "change_pct",
  "status",
  "target_met",
  "incomplete"
from "kpi_results"
where "period" >= date '2024-02-01' and "status" in ('critical')
order by "period", "plan" nulls last
