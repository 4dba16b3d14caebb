// Hand-written SQL for the benchmark's KPI queries: what an analyst would
// write for the same answer, without kpic. Each query returns the columns
// (period, segment?, numerator, denominator, value) so that the benchmark
// can check both give the same rows before it compares their speed.
//
// `root` is the absolute folder of the generated Parquet files.

export interface BenchQuery {
  readonly kpi: string;
  readonly by: readonly string[] | 'none';
  readonly grain: 'month' | 'week';
  /** Hand-written SQL for the same answer. */
  readonly hand: (root: string) => string;
}

const file = (root: string, table: string) => `read_parquet('${root}/${table}.parquet')`;

export const BENCH_QUERIES: readonly BenchQuery[] = [
  {
    kpi: 'active_customers',
    by: ['tier'],
    grain: 'month',
    hand: (root) => `
      select date_trunc('month', e.occurred_at)::date as period, c.tier,
             count(distinct e.customer_id) as numerator, null as denominator,
             count(distinct e.customer_id)::double as value
      from ${file(root, 'events')} e
      left join ${file(root, 'customers')} c on c.customer_id = e.customer_id
      group by all order by 1, 2`,
  },
  {
    kpi: 'active_customers',
    by: 'none',
    grain: 'week',
    hand: (root) => `
      select date_trunc('week', occurred_at)::date as period,
             count(distinct customer_id) as numerator, null as denominator,
             count(distinct customer_id)::double as value
      from ${file(root, 'events')}
      group by all order by 1`,
  },
  {
    kpi: 'nps',
    by: ['tier'],
    grain: 'month',
    hand: (root) => `
      with valid as (
        select s.*, c.tier from ${file(root, 'surveys')} s
        left join ${file(root, 'customers')} c on c.customer_id = s.customer_id
        where (survey_type = 'nps' and score between 0 and 10)
           or (survey_type = 'csat' and score between 1 and 5)
           or (survey_type = 'ces' and score between 1 and 7)
      )
      select date_trunc('month', responded_at)::date as period, tier,
             count(*) filter (where survey_type = 'nps' and score >= 9) - count(*) filter (where survey_type = 'nps' and score <= 6) as numerator,
             count(*) filter (where survey_type = 'nps') as denominator,
             100.0 * numerator / nullif(denominator, 0) as value
      from valid group by all order by 1, 2`,
  },
  {
    kpi: 'csat',
    by: ['region'],
    grain: 'month',
    hand: (root) => `
      with valid as (
        select s.*, c.region from ${file(root, 'surveys')} s
        left join ${file(root, 'customers')} c on c.customer_id = s.customer_id
        where (survey_type = 'nps' and score between 0 and 10)
           or (survey_type = 'csat' and score between 1 and 5)
           or (survey_type = 'ces' and score between 1 and 7)
      )
      select date_trunc('month', responded_at)::date as period, region,
             count(*) filter (where survey_type = 'csat' and score >= 4) as numerator,
             count(*) filter (where survey_type = 'csat') as denominator,
             case when denominator < 10 then null else 100.0 * numerator / nullif(denominator, 0) end as value
      from valid group by all order by 1, 2`,
  },
  {
    kpi: 'time_to_first_response',
    by: ['channel'],
    grain: 'month',
    hand: (root) => `
      select date_trunc('month', opened_at)::date as period, channel,
             median(date_diff('hour', opened_at, first_response_at)) as numerator, null as denominator,
             case when count(*) < 5 then null else median(date_diff('hour', opened_at, first_response_at)) end as value
      from ${file(root, 'tickets')}
      where first_response_at is null or first_response_at >= opened_at
      group by all order by 1, 2`,
  },
  {
    kpi: 'logo_churn',
    by: 'none',
    grain: 'month',
    hand: (root) => `
      with subs as (
        select * from ${file(root, 'subscriptions')}
        where mrr >= 0 and (ended_at is null or ended_at >= started_at)
      ),
      months as (
        select m::date as period from generate_series(
          (select date_trunc('month', least(min(started_at), min(ended_at))) from subs),
          (select date_trunc('month', greatest(max(started_at), least(max(ended_at), current_date))) from subs),
          interval 1 month) t(m)
      ),
      churned as (
        select date_trunc('month', ended_at)::date as period, count(distinct customer_id) as n
        from subs where not renewed group by 1
      ),
      at_start as (
        select period, count(distinct customer_id) as n
        from months join subs on started_at <= period and (ended_at is null or ended_at > period)
        group by 1
      )
      select months.period, coalesce(churned.n, 0) as numerator, coalesce(at_start.n, 0) as denominator,
             case when coalesce(at_start.n, 0) < 20 then null else coalesce(churned.n, 0)::double / nullif(at_start.n, 0) end as value
      from months left join churned using (period) left join at_start using (period)
      order by 1`,
  },
];
