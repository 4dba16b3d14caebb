-- kpi: retention_rate | grain: month | segments: plan | range: 2024-02-01 to ...
with
"sets_rows" as (
  select
    "customers"."plan" as "plan",
    "sets"."at" as "at",
    "sets"."customer_id" as "customer_id"
  from read_csv('/data/events.csv') as "sets"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "sets"."customer_id"
),
"period_bounds" as (
  select
    min("sets_rows"."at") as "first",
    max("sets_rows"."at") as "last"
  from "sets_rows"
),
"periods" as (
  select
    cast("series"."s" as date) as "period",
    cast("series"."s" + interval '1 month' as date) as "period_end"
  from "period_bounds"
  cross join generate_series(timestamp '2024-02-01 00:00:00', cast(date_trunc('month', "period_bounds"."last") as timestamp), interval '1 month') as "series"("s")
),
"sets_members_by_month" as (
  select distinct
    cast(date_trunc('month', "sets_rows"."at") as date) as "period",
    "sets_rows"."plan",
    "sets_rows"."customer_id" as "member"
  from "sets_rows"
  where "sets_rows"."customer_id" is not null and "sets_rows"."at" >= date '2024-01-01'
),
"sets_churned_customers_by_month" as (
  select
    cast("before"."period" + interval '1 month' as date) as "period",
    "before"."plan",
    count(*) - count("after"."member") as "churned_customers"
  from "sets_members_by_month" as "before"
  left join "sets_members_by_month" as "after" on "after"."period" = cast("before"."period" + interval '1 month' as date) and "after"."member" = "before"."member" and "after"."plan" is not distinct from "before"."plan"
  group by cast("before"."period" + interval '1 month' as date), "before"."plan"
),
"sets_retained_customers_by_month" as (
  select
    cast("before"."period" + interval '1 month' as date) as "period",
    "before"."plan",
    count("after"."member") as "retained_customers"
  from "sets_members_by_month" as "before"
  left join "sets_members_by_month" as "after" on "after"."period" = cast("before"."period" + interval '1 month' as date) and "after"."member" = "before"."member" and "after"."plan" is not distinct from "before"."plan"
  group by cast("before"."period" + interval '1 month' as date), "before"."plan"
),
"segment_keys" as (
  select
    "sets_churned_customers_by_month"."period",
    "sets_churned_customers_by_month"."plan"
  from "sets_churned_customers_by_month"
  union
  select
    "sets_retained_customers_by_month"."period",
    "sets_retained_customers_by_month"."plan"
  from "sets_retained_customers_by_month"
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
    coalesce("sets_churned_customers_by_month"."churned_customers", 0) as "churned_customers",
    coalesce("sets_retained_customers_by_month"."retained_customers", 0) as "retained_customers"
  from "spine"
  left join "sets_churned_customers_by_month" on "sets_churned_customers_by_month"."period" = "spine"."period" and "sets_churned_customers_by_month"."plan" is not distinct from "spine"."plan"
  left join "sets_retained_customers_by_month" on "sets_retained_customers_by_month"."period" = "spine"."period" and "sets_retained_customers_by_month"."plan" is not distinct from "spine"."plan"
),
"kpi_parts" as (
  select
    "period",
    "plan",
    "retained_customers" as "numerator",
    ("retained_customers" + "churned_customers") as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "period",
    "plan",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "period",
  "plan",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "period", "plan" nulls last
