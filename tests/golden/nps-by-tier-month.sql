-- kpi: nps | grain: month | segments: tier
with
"surveys_rows" as (
  select
    "customers"."tier" as "tier",
    "surveys"."responded_at" as "responded_at",
    "surveys"."nps" <= 6 as "detractors_where",
    "surveys"."nps" >= 9 as "promoters_where"
  from read_csv('/data/surveys.csv') as "surveys"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "surveys"."customer_id"
  where ("surveys"."nps" between 0 and 10) is true
),
"surveys_by_month" as (
  select
    cast(date_trunc('month', "surveys_rows"."responded_at") as date) as "period",
    "surveys_rows"."tier",
    count(*) filter (where "surveys_rows"."detractors_where") as "detractors",
    count(*) filter (where "surveys_rows"."promoters_where") as "promoters",
    count(*) as "responses"
  from "surveys_rows"
  group by cast(date_trunc('month', "surveys_rows"."responded_at") as date), "surveys_rows"."tier"
),
"period_bounds" as (
  select
    min("surveys_by_month"."period") as "first",
    max("surveys_by_month"."period") as "last"
  from "surveys_by_month"
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
    "surveys_by_month"."period",
    "surveys_by_month"."tier"
  from "surveys_by_month"
),
"spine" as (
  select
    "periods"."period",
    "segment_keys"."tier"
  from "periods"
  left join "segment_keys" on "segment_keys"."period" = "periods"."period"
),
"measures" as (
  select
    "spine"."period",
    "spine"."tier",
    coalesce("surveys_by_month"."detractors", 0) as "detractors",
    coalesce("surveys_by_month"."promoters", 0) as "promoters",
    coalesce("surveys_by_month"."responses", 0) as "responses"
  from "spine"
  left join "surveys_by_month" on "surveys_by_month"."period" = "spine"."period" and "surveys_by_month"."tier" is not distinct from "spine"."tier"
),
"kpi_parts" as (
  select
    "period",
    "tier",
    ("promoters" - "detractors") as "numerator",
    "responses" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "tier",
    "numerator",
    "denominator",
    cast("numerator" * 100 as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "period",
  "tier",
  "numerator",
  "denominator",
  "value",
  case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null when (case when "tier" = 'silver' then (case when "denominator" < 0 then "numerator" * 100 > 60 * "denominator" else "numerator" * 100 < 60 * "denominator" end) else (case when "denominator" < 0 then "numerator" * 100 > 0 * "denominator" else "numerator" * 100 < 0 * "denominator" end) end) then 'critical' when (case when "denominator" < 0 then "numerator" * 100 > 30 * "denominator" else "numerator" * 100 < 30 * "denominator" end) then 'warn' else 'ok' end as "status",
  case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null else (case when "denominator" < 0 then "numerator" * 100 <= 40 * "denominator" else "numerator" * 100 >= 40 * "denominator" end) end as "target_met"
from "kpi_values"
order by "period", "tier" nulls last
