-- kpi: events_monthly | grain: month | segments: none
with
"events_rows" as (
  select
    timezone('Europe/Berlin', cast("events"."happened_at" as timestamptz)) as "happened_at"
  from read_csv('/data/events.csv') as "events"
),
"events_by_month" as (
  select
    cast(date_trunc('month', "events_rows"."happened_at") as date) as "period",
    count(*) as "events"
  from "events_rows"
  group by cast(date_trunc('month', "events_rows"."happened_at") as date)
),
"period_bounds" as (
  select
    min("events_by_month"."period") as "first",
    max("events_by_month"."period") as "last"
  from "events_by_month"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(cast(date_trunc('month', "period_bounds"."first") as timestamp), cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"measures" as (
  select
    "periods"."period",
    coalesce("events_by_month"."events", 0) as "events"
  from "periods"
  left join "events_by_month" on "events_by_month"."period" = "periods"."period"
),
"kpi_parts" as (
  select
    "period",
    "events" as "numerator",
    cast(null as double) as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "numerator",
    "denominator",
    "numerator" as "value"
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
