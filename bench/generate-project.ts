// A generated metrics project for the benchmark: the canonical customer
// model of `metrics/model/` and `files` x `perFile` KPIs over its measures,
// varied in numerator, denominator, segments, grain and thresholds.

import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RATIOS: readonly (readonly [string, string | undefined, string])[] = [
  ['nps_promoters - nps_detractors', 'nps_responses', '100'],
  ['csat_satisfied', 'csat_responses', '100'],
  ['ces_score_total', 'ces_responses', '1'],
  ['churned_customers', 'customers_at_start', '1'],
  ['active_customers', 'customers_to_date', '1'],
  ['tickets_answered', 'tickets_opened', '100'],
  ['median_hours_to_first_response', undefined, '1'],
  ['mrr_at_end - mrr_at_start', 'mrr_at_start', '100'],
];
const SEGMENTS = ['tier', 'region', 'tier, region', 'industry'];
const GRAINS = ['month', 'week', 'quarter', 'day'];

/** Write the project to `dir` (replacing it) and return the number of KPIs written. */
export function generateProject(dir: string, modelDir: string, files = 100, perFile = 10): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'kpis'), { recursive: true });
  cpSync(modelDir, join(dir, 'model'), { recursive: true });
  writeFileSync(
    join(dir, 'kpic.yaml'),
    'name: bench\nmetrics: ["model/*.kpi", "kpis/**/*.kpi"]\ndata:\n  root: data\n',
  );
  let n = 0;
  for (let f = 0; f < files; f++) {
    const parts: string[] = [`# Generated benchmark file ${f}.`];
    for (let k = 0; k < perFile; k++, n++) parts.push(kpiText(n));
    writeFileSync(join(dir, 'kpis', `area-${String(f).padStart(3, '0')}.kpi`), `${parts.join('\n\n')}\n`);
  }
  return n;
}

function kpiText(n: number): string {
  const [numerator, denominator, scale] = RATIOS[n % RATIOS.length]!;
  const lines = [
    `kpi bench_kpi_${n} {`,
    `  title "Benchmark KPI ${n}"`,
    `  description "Generated KPI number ${n} over the canonical customer model."`,
    `  owner "team-${n % 7}"`,
    '  perspective customer',
    '  indicator lagging',
    `  numerator ${numerator}`,
    ...(denominator ? [`  denominator ${denominator}`] : []),
    `  scale ${scale}`,
    `  segment by ${SEGMENTS[n % SEGMENTS.length]}`,
    `  grain ${GRAINS[n % GRAINS.length]}`,
    '  direction higher',
    `  target >= ${40 + (n % 10)}`,
    `  warn < ${20 + (n % 10)}`,
    '  critical < 5',
    '}',
  ];
  return lines.join('\n');
}
