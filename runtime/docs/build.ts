// Writing the KPI catalog to a folder, all at once.
//
// The pages are written to a temporary folder next to the target, which then
// takes the target's place: a reader never sees half a catalog, and a failed
// build leaves the previous one as it was. A folder that is not a kpic
// catalog (it has no `.kpic-docs` marker) is never replaced.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../cli/errors.ts';
import { WriteError } from '../cli/write-atomic.ts';
import type { Kpi, Model } from '../../compiler/index.ts';
import { nameKey } from '../../compiler/index.ts';
import { domainOf, trendChart } from './charts.ts';
import { CATALOG_CSS, CATALOG_JS, SCRIPT_FILE, STYLE_FILE } from './frame.ts';
import { lineageOf } from './graph.ts';
import { kpiPage } from './html.ts';
import { renderKpiPage } from './kpi-page.ts';
import { renderLineagePage } from './lineage-page.ts';
import type { CatalogInput, KpiCharts } from './pages.ts';
import { renderDeprecated } from './pages.ts';
import { renderScorecard } from './scorecard.ts';
import { latestComplete } from './values.ts';
import type { KpiValues } from './values.ts';

const MARKER = '.kpic-docs';

/** The catalog's files, path -> HTML. */
export function renderCatalog(input: CatalogInput): Map<string, string> {
  const files = new Map<string, string>();
  const graph = lineageOf(input.model);
  files.set('index.html', renderScorecard(input));
  files.set('lineage.html', renderLineagePage(input.name, input.model, graph));
  files.set('deprecated.html', renderDeprecated(input));
  files.set(STYLE_FILE, CATALOG_CSS);
  files.set(SCRIPT_FILE, CATALOG_JS);
  for (const kpi of input.model.kpis.values()) files.set(kpiPage(kpi.name), renderKpiPage(input, kpi, graph));
  files.set(MARKER, 'This folder is written by `kpic docs`; it is replaced as a whole on every run.\n');
  return files;
}

/** The charts of every KPI that has values: its trend, its sparkline, and small multiples per segment. */
export async function renderCharts(
  model: Model,
  values: ReadonlyMap<string, KpiValues>,
): Promise<Map<string, KpiCharts>> {
  const charts = new Map<string, KpiCharts>();
  for (const [key, v] of values) {
    const kpi = model.kpis.get(key);
    if (!kpi || v.error || v.total.length === 0) continue;
    charts.set(key, await chartsOf(kpi, v));
  }
  return charts;
}

async function chartsOf(kpi: Kpi, values: KpiValues): Promise<KpiCharts> {
  const trend = await trendChart(kpi, values.total, { width: 640, height: 220, axes: true });
  const spark = await trendChart(
    kpi,
    values.total.filter((p) => !p.incomplete),
    { width: 200, height: 34, axes: false },
  );
  const multiples: { dimension: string; charts: { segment: string; svg: string; status: string }[]; more: number }[] =
    [];
  for (const { dimension, series, more } of values.segments) {
    const domain = domainOf(
      kpi,
      series.flatMap((s) => s.points),
    );
    const list: { segment: string; svg: string; status: string }[] = [];
    for (const { segment, points } of series) {
      const svg = await trendChart(kpi, points, { width: 190, height: 90, axes: true, domain });
      list.push({ segment, svg, status: latestComplete(points).latest?.status ?? 'none' });
    }
    multiples.push({ dimension, charts: list, more });
  }
  return { trend, spark, multiples };
}

/** The KPIs `kpic docs --values` computes: the active ones (drafts and deprecated KPIs keep definitions only). */
export function kpisWithValues(model: Model): Kpi[] {
  return [...model.kpis.values()]
    .filter((k) => k.status === 'active')
    .sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));
}

/** Write `files` as the folder `out`, replacing a previous catalog there. */
export function writeCatalog(out: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(out);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
    if (readdirSync(target).length > 0 && !existsSync(join(target, MARKER))) {
      throw new UsageError(
        `--out ${out} is a folder that kpic docs did not write; it will not be replaced`,
        'give an empty or new folder, e.g. --out site/kpis',
      );
    }
  }
  const existed = existsSync(target);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw new WriteError(out, error, existed, 'catalog');
  }
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = join(dirname(target), `.${basename(target)}.${stamp}.tmp`);
  const old = join(dirname(target), `.${basename(target)}.${stamp}.old`);
  try {
    for (const [path, text] of files) {
      mkdirSync(dirname(join(temp, path)), { recursive: true });
      writeFileSync(join(temp, path), text);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    // A read-only folder or a full disk: one line naming the folder, the previous catalog in place.
    if ((error as NodeJS.ErrnoException | undefined)?.code !== undefined)
      throw new WriteError(out, error, existed, 'catalog');
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
