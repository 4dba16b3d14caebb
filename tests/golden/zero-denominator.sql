-- kpi: solve_rate | grain: none | segments: tier
with
"tickets_rows" as (
  select
    "customers"."tier" as "tier",
    "tickets"."opened_at" as "opened_at",
    "tickets"."solved" as "tickets_solved_where"
  from read_csv('/data/tickets.csv') as "tickets"
  left join read_csv('/data/customers.csv') as "customers" on "customers"."customer_id" = "tickets"."customer_id"
),
"tickets_total" as (
  select
    "tickets_rows"."tier",
    count(*) as "tickets_opened",
    count(*) filter (where "tickets_rows"."tickets_solved_where") as "tickets_solved"
  from "tickets_rows"
  group by "tickets_rows"."tier"
),
"segment_keys" as (
  select
    "tickets_total"."tier"
  from "tickets_total"
),
"measures" as (
  select
    "segment_keys"."tier",
    coalesce("tickets_total"."tickets_opened", 0) as "tickets_opened",
    coalesce("tickets_total"."tickets_solved", 0) as "tickets_solved"
  from "segment_keys"
  left join "tickets_total" on "tickets_total"."tier" is not distinct from "segment_keys"."tier"
),
"kpi_parts" as (
  select
    "tier",
    "tickets_opened" as "numerator",
    "tickets_solved" as "denominator"
  from "measures"
),
"kpi_values" as (
  select
    "tier",
    "numerator",
    "denominator",
    cast("numerator" as double) / nullif("denominator", 0) as "value"
  from "kpi_parts"
)
select
  "tier",
  "numerator",
  "denominator",
  "value",
  cast(null as varchar) as "status",
  cast(null as boolean) as "target_met"
from "kpi_values"
order by "tier" nulls last
