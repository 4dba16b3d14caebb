-- kpi: logins_per_active_change | grain: month | segments: plan | range: 2024-02-01 to ...
with
"events_rows" as (
  select
    "customers"."plan" as "plan",
    "events"."at" as "at"
  from read_csv('/data/events.csv') as "events"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "events"."customer_id"
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
  cross join generate_series(timestamp '2024-01-01 00:00:00', cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
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
    "numerator" as "value"
  from "kpi_parts"
),
"events_rows_2" as (
  select
    "customers"."plan" as "plan",
    "events"."at" as "at",
    "events"."customer_id" as "customer_id"
  from read_csv('/data/events.csv') as "events"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "events"."customer_id"
),
"events_by_month_2" as (
  select
    cast(date_trunc('month', "events_rows_2"."at") as date) as "period",
    "events_rows_2"."plan",
    count(distinct "events_rows_2"."customer_id") as "active_customers"
  from "events_rows_2"
  where "events_rows_2"."at" >= date '2024-01-01'
  group by cast(date_trunc('month', "events_rows_2"."at") as date), "events_rows_2"."plan"
),
"period_bounds_2" as (
  select
    min("events_by_month_2"."period") as "first",
    max("events_by_month_2"."period") as "last"
  from "events_by_month_2"
),
"periods_2" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds_2"
  cross join generate_series(timestamp '2024-01-01 00:00:00', cast(date_trunc('month', "period_bounds_2"."last") as timestamp), interval '1 month') as "series"("s")
),
"segment_keys_2" as (
  select
    "events_by_month_2"."period",
    "events_by_month_2"."plan"
  from "events_by_month_2"
),
"spine_2" as (
  select
    "periods_2"."period",
    "segment_keys_2"."plan"
  from "periods_2"
  left join "segment_keys_2" on "segment_keys_2"."period" = "periods_2"."period"
),
"measures_2" as (
  select
    "spine_2"."period",
    "spine_2"."plan",
    coalesce("events_by_month_2"."active_customers", 0) as "active_customers"
  from "spine_2"
  left join "events_by_month_2" on "events_by_month_2"."period" = "spine_2"."period" and "events_by_month_2"."plan" is not distinct from "spine_2"."plan"
),
"kpi_parts_2" as (
  select
    "period",
    "plan",
    "active_customers" as "numerator",
    cast(null as double) as "denominator"
  from "measures_2"
),
"kpi_values_2" as (
  select
    "period",
    "plan",
    "numerator",
    "denominator",
    "numerator" as "value"
  from "kpi_parts_2"
),
"derived_keys" as (
  select
    "kpi_values"."period",
    "kpi_values"."plan"
  from "kpi_values"
  union
  select
    "kpi_values_2"."period",
    "kpi_values_2"."plan"
  from "kpi_values_2"
  union
  select
    cast("kpi_values"."period" + interval '1 month' as date) as "period",
    "kpi_values"."plan"
  from "kpi_values"
  union
  select
    cast("kpi_values_2"."period" + interval '1 month' as date) as "period",
    "kpi_values_2"."plan"
  from "kpi_values_2"
),
"derived_periods" as (
  select
    "period"
  from (
    select
      "kpi_values"."period"
    from "kpi_values"
    union all
    select
      "kpi_values_2"."period"
    from "kpi_values_2"
  ) as "input_periods"
  where "period" >= date '2024-02-01'
  group by "period"
),
"derived_spine" as (
  select
    "derived_keys"."period",
    "derived_keys"."plan"
  from "derived_keys"
  inner join "derived_periods" on "derived_periods"."period" = "derived_keys"."period"
),
"logins_per_active_change_values" as (
  select
    "derived_spine"."period",
    "derived_spine"."plan",
    cast(null as double) as "numerator",
    cast(null as double) as "denominator",
    (cast("logins"."value" as double) / nullif("active"."value", 0) - cast("logins_previous_1"."value" as double) / nullif("active_previous_1"."value", 0)) as "value"
  from "derived_spine"
  left join "kpi_values" as "logins" on "logins"."period" = "derived_spine"."period" and "logins"."plan" is not distinct from "derived_spine"."plan"
  left join "kpi_values_2" as "active" on "active"."period" = "derived_spine"."period" and "active"."plan" is not distinct from "derived_spine"."plan"
  left join "kpi_values" as "logins_previous_1" on "logins_previous_1"."period" = cast("derived_spine"."period" - interval '1 month' as date) and "logins_previous_1"."plan" is not distinct from "derived_spine"."plan"
  left join "kpi_values_2" as "active_previous_1" on "active_previous_1"."period" = cast("derived_spine"."period" - interval '1 month' as date) and "active_previous_1"."plan" is not distinct from "derived_spine"."plan"
)
select
  "period",
  "plan",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "logins_per_active_change_values"
order by "period", "plan" nulls last
