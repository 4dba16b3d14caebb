// kpic's SQL against hand-written PostgreSQL SQL for the same answer, on a
// live server (`KPIC_TEST_PG_URL`, see docs/postgres.md; skipped without it):
// the saas example generated at N events, loaded into tables, the standard
// library's KPIs pointed at them. Both run through kpic's PostgreSQL engine
// (same session settings: JIT off, read-only), median of at least 11 after a
// warm-up, alternating which of the two runs first. Figures are printed;
// nothing fails on a slow machine.

import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileQuery } from '../compiler/compile.ts';
import { FILE_START as NO_SPAN } from '../compiler/diagnostics.ts';
import { generate } from '../examples/saas/generate.ts';
import type { Value } from '../runtime/engine/engine.ts';
import { openProject } from '../runtime/project/open.ts';
import { ADMIN_URL, ensureReader, loadCsvs, postgresCopy, READER_ENV } from '../tests/support/postgres.ts';

interface PgBenchQuery {
  readonly kpi: string;
  readonly by: readonly string[] | 'none';
  readonly grain: 'month' | 'week';
  readonly hand: string;
}

const VALID_SURVEYS = `(survey_type = 'nps' and score between 0 and 10)
           or (survey_type = 'csat' and score between 1 and 5)
           or (survey_type = 'ces' and score between 1 and 7)`;

export const QUERIES: readonly PgBenchQuery[] = [
  {
    kpi: 'active_customers',
    by: ['tier'],
    grain: 'month',
    hand: `
      select date_trunc('month', e.occurred_at)::date as period, c.tier,
             count(distinct e.customer_id) as numerator, null as denominator,
             count(distinct e.customer_id)::float8 as value
      from events e left join customers c on c.customer_id = e.customer_id
      group by 1, 2 order by 1, 2`,
  },
  {
    kpi: 'active_customers',
    by: 'none',
    grain: 'week',
    hand: `
      select date_trunc('week', occurred_at)::date as period,
             count(distinct customer_id) as numerator, null as denominator,
             count(distinct customer_id)::float8 as value
      from events group by 1 order by 1`,
  },
  {
    kpi: 'nps',
    by: ['tier'],
    grain: 'month',
    hand: `
      with valid as (
        select s.responded_at, s.survey_type, s.score, c.tier from surveys s
        left join customers c on c.customer_id = s.customer_id
        where ${VALID_SURVEYS}
      ), counted as (
        select date_trunc('month', responded_at)::date as period, tier,
               count(*) filter (where survey_type = 'nps' and score >= 9) - count(*) filter (where survey_type = 'nps' and score <= 6) as numerator,
               count(*) filter (where survey_type = 'nps') as denominator
        from valid group by 1, 2
      )
      select period, tier, numerator, denominator, 100.0 * numerator / nullif(denominator, 0) as value
      from counted order by 1, 2`,
  },
  {
    kpi: 'csat',
    by: ['region'],
    grain: 'month',
    hand: `
      with valid as (
        select s.responded_at, s.survey_type, s.score, c.region from surveys s
        left join customers c on c.customer_id = s.customer_id
        where ${VALID_SURVEYS}
      ), counted as (
        select date_trunc('month', responded_at)::date as period, region,
               count(*) filter (where survey_type = 'csat' and score >= 4) as numerator,
               count(*) filter (where survey_type = 'csat') as denominator
        from valid group by 1, 2
      )
      select period, region, numerator, denominator,
             case when denominator < 10 then null else 100.0 * numerator / nullif(denominator, 0) end as value
      from counted order by 1, 2`,
  },
];

export async function benchPostgres(
  repo: string,
  work: string,
  options: { events: number; customers: number; repeats: number },
  helpers: {
    median(xs: readonly number[]): number;
    ms(x: number): string;
    sameAnswer(
      a: readonly (readonly Value[])[],
      aCols: readonly string[],
      b: readonly (readonly Value[])[],
      bCols: readonly string[],
    ): string;
  },
): Promise<void> {
  // At least 11: a median of 5 on a shared machine moved the ratio of the same two plans by ±0.3.
  const repeats = Math.max(11, options.repeats);
  console.log(
    `\n## PostgreSQL: kpic SQL vs hand-written SQL at ${options.events.toLocaleString('en')} events, median of ${repeats} after a warm-up, alternating which runs first`,
  );
  if (!ADMIN_URL) {
    console.log('skipped: KPIC_TEST_PG_URL is not set (eval "$(.ci/postgres.sh start)" starts a server)');
    return;
  }
  // A tree like the repository's: examples/saas (its KPI files) next to metrics/, data in CSV.
  const tree = join(work, 'pg-tree');
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, 'examples'), { recursive: true });
  cpSync(join(repo, 'metrics'), join(tree, 'metrics'), { recursive: true });
  cpSync(join(repo, 'examples', 'saas'), join(tree, 'examples', 'saas'), { recursive: true });
  const data = join(tree, 'examples', 'saas', 'data');
  rmSync(data, { recursive: true, force: true });
  const files = await generate({
    seed: 42,
    customers: options.customers,
    events: options.events,
    out: data,
    format: 'csv',
  });
  // The hand-made sales plan (a target table) is not generated: it is loaded as committed.
  copyFileSync(join(repo, 'examples', 'saas', 'data', 'signup-plan.csv'), join(data, 'signup-plan.csv'));
  files.push(join(data, 'signup-plan.csv'));
  const started = performance.now();
  await loadCsvs('bench_saas', files);
  await ensureReader(['bench_saas']);
  console.log(`loaded into PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const projectDir = postgresCopy(tree, 'saas', 'bench_saas');
  const project = await openProject({ projectDir });
  try {
    if (project.offline) throw new Error(project.offline);
    console.log('| KPI query | kpic | hand-written | ratio | same answer |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const q of QUERIES) {
      const by = q.by === 'none' ? 'none' : q.by.map((name) => ({ name, span: NO_SPAN }));
      const compiled = compileQuery(
        project.model,
        { kpi: q.kpi, by, grain: q.grain, dialect: 'postgres' },
        { dataRoot: project.dataRoot },
      ).value;
      if (!compiled) throw new Error(`${q.kpi} did not compile`);
      const kpicRows = await project.engine.all(compiled.sql);
      const handRows = await project.engine.all(q.hand);
      const same = helpers.sameAnswer(kpicRows.rows, kpicRows.columns, handRows.rows, handRows.columns);
      const kpicTimes: number[] = [];
      const handTimes: number[] = [];
      // Interleaved, and each goes first every other time: the second of a pair finds the
      // first one's pages and temp files warm, which in a fixed order favours one side.
      const time = async (sql: string, into: number[]) => {
        const start = performance.now();
        await project.engine.all(sql);
        into.push(performance.now() - start);
      };
      for (let i = 0; i < repeats; i++) {
        if (i % 2 === 0) {
          await time(compiled.sql, kpicTimes);
          await time(q.hand, handTimes);
        } else {
          await time(q.hand, handTimes);
          await time(compiled.sql, kpicTimes);
        }
      }
      const [k, h] = [helpers.median(kpicTimes), helpers.median(handTimes)];
      const label = `${q.kpi} --grain ${q.grain} --by ${q.by === 'none' ? 'none' : q.by.join(',')}`;
      console.log(`| ${label} | ${helpers.ms(k)} | ${helpers.ms(h)} | ${(k / h).toFixed(2)} | ${same} |`);
    }
    console.log(`(target: ratio at most 1.10; both through kpic's engine: JIT off, read-only; ${READER_ENV} role)`);
  } finally {
    await project.close();
  }
}
