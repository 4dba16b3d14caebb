-- kpi: nps | grain: none | segments: none
with
"surveys_rows" as (
  select
    "surveys"."responded_at" as "responded_at",
    "surveys"."nps" <= 6 as "detractors_where",
    "surveys"."nps" >= 9 as "promoters_where"
  from read_csv('/data/surveys.csv') as "surveys"
  where ("surveys"."nps" between 0 and 10) is true
),
"surveys_total" as (
  select
    count(*) filter (where "surveys_rows"."detractors_where") as "detractors",
    count(*) filter (where "surveys_rows"."promoters_where") as "promoters",
    count(*) as "responses"
  from "surveys_rows"
),
"measures" as (
  select
    coalesce("surveys_total"."detractors", 0) as "detractors",
    coalesce("surveys_total"."promoters", 0) as "promoters",
    coalesce("surveys_total"."responses", 0) as "responses"
  from "surveys_total"
),
"kpi_parts" as (
  select
    ("promoters" - "detractors") as "numerator",
    "responses" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "numerator",
    "denominator",
    cast("numerator" * 100 as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "numerator",
  "denominator",
  "value",
  case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null when (case when "denominator" < 0 then "numerator" * 100 > 0 * "denominator" else "numerator" * 100 < 0 * "denominator" end) then 'critical' when (case when "denominator" < 0 then "numerator" * 100 > 30 * "denominator" else "numerator" * 100 < 30 * "denominator" end) then 'warn' else 'ok' end as "status",
  case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null else (case when "denominator" < 0 then "numerator" * 100 <= 40 * "denominator" else "numerator" * 100 >= 40 * "denominator" end) end as "target_met"
from "kpi_values"
