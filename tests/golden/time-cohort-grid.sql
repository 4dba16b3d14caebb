-- kpi: cohort_retention | grain: month | cohort by signup_date | segments: none
with
"events_rows" as (
  select
    cast(date_trunc('month', "customers"."signup_date") as date) as "cohort",
    date_diff('month', cast(date_trunc('month', "customers"."signup_date") as date), cast(date_trunc('month', "events"."at") as date)) as "periods_since",
    "events"."at" as "at",
    "events"."customer_id" as "customer_id"
  from read_csv('/data/events.csv') as "events"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "events"."customer_id"
),
"customers_rows" as (
  select
    cast(date_trunc('month', "customers"."signup_date") as date) as "cohort",
    "customers"."signup_date" as "signup_date"
  from read_csv('/data/customers.csv') as "customers"
),
"events_total" as (
  select
    "events_rows"."cohort",
    "events_rows"."periods_since",
    count(distinct "events_rows"."customer_id") as "active_customers"
  from "events_rows"
  group by "events_rows"."cohort", "events_rows"."periods_since"
),
"customers_total" as (
  select
    "customers_rows"."cohort",
    count(*) as "cohort_size"
  from "customers_rows"
  group by "customers_rows"."cohort"
),
"cohort_keys" as (
  select distinct
    "events_total"."cohort"
  from "events_total"
  union
  select distinct
    "customers_total"."cohort"
  from "customers_total"
),
"cohort_bounds" as (
  select
    max("last") as "last"
  from (
    select
      max("events_rows"."at") as "last"
    from "events_rows"
    union all
    select
      max("customers_rows"."cohort") as "last"
    from "customers_rows"
  ) as "data_bounds"
),
"cohort_grid" as (
  select
    "cohort_keys"."cohort",
    unnest(generate_series(0, date_diff('month', "cohort_keys"."cohort", (select cast(date_trunc('month', "cohort_bounds"."last") as date) from "cohort_bounds")))) as "periods_since"
  from "cohort_keys"
  where "cohort_keys"."cohort" is not null
),
"cohort_spine" as (
  select
    "cohort_grid"."cohort",
    "cohort_grid"."periods_since",
    cast("cohort_grid"."cohort" + "cohort_grid"."periods_since" * interval '1 month' as date) as "period"
  from "cohort_grid"
),
"measures" as (
  select
    "cohort_spine"."cohort",
    "cohort_spine"."periods_since",
    "cohort_spine"."period",
    coalesce("events_total"."active_customers", 0) as "active_customers",
    coalesce("customers_total"."cohort_size", 0) as "cohort_size"
  from "cohort_spine"
  left join "events_total" on "events_total"."cohort" is not distinct from "cohort_spine"."cohort" and "events_total"."periods_since" is not distinct from "cohort_spine"."periods_since"
  left join "customers_total" on "customers_total"."cohort" is not distinct from "cohort_spine"."cohort"
),
"kpi_parts" as (
  select
    "cohort",
    "periods_since",
    "period",
    "active_customers" as "numerator",
    "cohort_size" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "cohort",
    "periods_since",
    "numerator",
    "denominator",
    cast("numerator" * 100 as double) / nullif("denominator", 0) as "value",
    coalesce(cast("period" + interval '1 month' as date) > (select cast("cohort_bounds"."last" as date) + 1 from "cohort_bounds"), false) as "incomplete"
  from "kpi_parts"
),
"kpi_results" as (
  select
    "cohort",
    "periods_since",
    "numerator",
    "denominator",
    "value",
    case when "value" is null or "value" in (cast('NaN' as double), cast('Infinity' as double), cast('-Infinity' as double)) then null when (case when "denominator" < 0 then "numerator" * 100 > 60 * "denominator" else "numerator" * 100 < 60 * "denominator" end) then 'warn' else 'ok' end as "status",
    cast(null as boolean) as "target_met",
    "incomplete"
  from "kpi_values"
)
select
  "cohort",
  "periods_since",
  "numerator",
  "denominator",
  "value",
  "status",
  "target_met",
  "incomplete"
from "kpi_results"
order by "cohort" nulls last, "periods_since" nulls last
