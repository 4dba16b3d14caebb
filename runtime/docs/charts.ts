// Charts of a KPI's values, rendered to static SVG at build time.
//
// Vega-Lite specifies the chart and Vega renders it headless (`toSVG`, no
// DOM, no canvas): the catalog's pages carry the finished SVG and no charting
// script, so they open from a folder, print, and load fast with hundreds of
// KPIs. Every mark carries an `aria-label` (Vega's `description` channel)
// with the numbers it shows: screen readers read the values, and tests read
// the points and bands from the rendered page.

import type { Kpi, Threshold, ValueFormat } from '../../compiler/index.ts';
import { showNumber } from './summary.ts';
import type { SeriesPoint } from './values.ts';

/** Colours of the threshold bands and statuses; the pages use the same names in CSS. */
export const LEVEL_COLOURS = { target: '#1a7f37', warn: '#bf8700', critical: '#cf222e' } as const;

/** A band of the chart: the values a threshold level applies to, between two bounds of the y axis. */
export interface Band {
  readonly level: Threshold['level'];
  readonly rule: string;
  readonly from: number;
  readonly to: number;
}

/** A threshold drawn as a line (`= x`, `!= x`): it has no band. */
export interface RuleLine {
  readonly level: Threshold['level'];
  readonly rule: string;
  readonly at: number;
}

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  /** Axes and labels; off for sparklines. */
  readonly axes: boolean;
  /** A shared y domain (small multiples of one KPI use the same scale). */
  readonly domain?: readonly [number, number];
}

/** The thresholds that apply to every segment (no `for`), as numbers. */
export function globalThresholds(kpi: Kpi): { level: Threshold['level']; op: Threshold['op']; value: number }[] {
  return kpi.thresholds
    .filter((t) => t.for === undefined && Number.isFinite(Number(t.value)))
    .map((t) => ({ level: t.level, op: t.op, value: Number(t.value) }));
}

/** The y domain that shows every value and every threshold, with a little room. */
export function domainOf(kpi: Kpi, points: readonly SeriesPoint[]): [number, number] {
  const numbers = [
    ...points.map((p) => p.value).filter((v): v is number => v !== null),
    ...globalThresholds(kpi).map((t) => t.value),
  ];
  if (numbers.length === 0) return [0, 1];
  let low = Math.min(...numbers);
  let high = Math.max(...numbers);
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    return [low - pad, high + pad];
  }
  const pad = (high - low) * 0.1;
  low -= pad;
  high += pad;
  return [low, high];
}

/** The bands and lines of the KPI's thresholds within `domain`. */
export function bandsOf(kpi: Kpi, domain: readonly [number, number]): { bands: Band[]; rules: RuleLine[] } {
  const bands: Band[] = [];
  const rules: RuleLine[] = [];
  for (const t of globalThresholds(kpi)) {
    const rule = `${t.op} ${valueLabel(t.value, kpi.format)}`;
    if (t.op === '=' || t.op === '!=') rules.push({ level: t.level, rule, at: t.value });
    else if (t.op === '<' || t.op === '<=')
      bands.push({ level: t.level, rule, from: domain[0], to: Math.min(t.value, domain[1]) });
    else bands.push({ level: t.level, rule, from: Math.max(t.value, domain[0]), to: domain[1] });
  }
  return { bands: bands.filter((b) => b.to > b.from), rules };
}

/** A number on the chart: in the KPI's `format` when it has one, else as it is. */
function valueLabel(value: number, format: ValueFormat | undefined): string {
  return format ? showNumber(value, format) : String(value);
}

/**
 * The y axis labels in the KPI's `format` (a Vega-Lite d3 format):
 * `format percent decimals 1` -> `.1%` (0.045 reads 4.5%), `format number
 * decimals 2` -> `,.2f`, `format currency "EUR"` -> `,.2f` and the unit after.
 */
function axisFormat(format: ValueFormat | undefined): Record<string, unknown> {
  if (!format) return {};
  switch (format.style) {
    case 'percent':
      return { format: format.decimals === undefined ? '~%' : `.${format.decimals}%` };
    case 'number':
      return format.decimals === undefined ? {} : { format: `,.${format.decimals}f` };
    case 'currency': {
      const digits = `,.${format.decimals ?? 2}f`;
      if (!format.currency) return { format: digits };
      return { labelExpr: `format(datum.value, '${digits}') + ' ${format.currency.replace(/['\\]/g, '')}'` };
    }
  }
}

function pointLabel(p: SeriesPoint, format: ValueFormat | undefined): string {
  const parts = [`period: ${p.period ?? 'all'}`, `value: ${p.value === null ? 'none' : valueLabel(p.value, format)}`];
  if (p.status) parts.push(`status: ${p.status}`);
  if (p.incomplete) parts.push('incomplete period');
  return parts.join('; ');
}

/** The Vega-Lite specification of a KPI's trend (exported for tests and for readers of the docs). */
export function trendSpec(kpi: Kpi, points: readonly SeriesPoint[], options: ChartOptions): Record<string, unknown> {
  const domain = options.domain ?? domainOf(kpi, points);
  const { bands, rules } = bandsOf(kpi, domain);
  const rows = points.map((p, i) => ({
    x: p.period ?? 'all',
    order: i,
    value: p.value,
    state: p.incomplete ? 'incomplete' : (p.status ?? 'none'),
    label: pointLabel(p, kpi.format),
  }));
  const x = {
    field: 'x',
    type: 'ordinal',
    sort: { field: 'order' },
    axis: options.axes ? { title: null, labelAngle: -45, labelOverlap: true } : null,
  };
  const y = {
    type: 'quantitative',
    scale: { domain: [...domain], nice: false, zero: false },
    axis: options.axes ? { title: null, tickCount: 5, ...axisFormat(kpi.format) } : null,
  };
  const layer: Record<string, unknown>[] = [];
  if (bands.length > 0) {
    layer.push({
      data: {
        values: bands.map((b) => ({
          ...b,
          label: `${b.level} band: ${b.rule} (from ${valueLabel(b.from, kpi.format)} to ${valueLabel(b.to, kpi.format)})`,
        })),
      },
      mark: { type: 'rect', opacity: 0.14 },
      encoding: {
        x: { value: 0 },
        x2: { value: 'width' },
        y: { ...y, field: 'from' },
        y2: { field: 'to' },
        color: {
          field: 'level',
          type: 'nominal',
          scale: { domain: Object.keys(LEVEL_COLOURS), range: Object.values(LEVEL_COLOURS) },
          legend: null,
        },
        description: { field: 'label' },
      },
    });
  }
  if (rules.length > 0) {
    layer.push({
      data: { values: rules.map((r) => ({ ...r, label: `${r.level} line: ${r.rule}` })) },
      mark: { type: 'rule', strokeDash: [4, 3] },
      encoding: {
        x: { value: 0 },
        x2: { value: 'width' },
        y: { ...y, field: 'at' },
        color: {
          field: 'level',
          type: 'nominal',
          scale: { domain: Object.keys(LEVEL_COLOURS), range: Object.values(LEVEL_COLOURS) },
          legend: null,
        },
        description: { field: 'label' },
      },
    });
  }
  layer.push({
    data: { values: rows.filter((r) => r.value !== null) },
    mark: { type: 'line', strokeWidth: options.axes ? 2 : 1.5, color: '#0969da' },
    encoding: { x, y: { ...y, field: 'value' }, description: { value: `${kpi.name} over time` } },
  });
  if (options.axes) {
    layer.push({
      data: { values: rows.filter((r) => r.value !== null) },
      mark: { type: 'point', filled: true, size: 42, opacity: 1 },
      encoding: {
        x,
        y: { ...y, field: 'value' },
        shape: {
          field: 'state',
          type: 'nominal',
          scale: {
            domain: ['ok', 'warn', 'critical', 'insufficient', 'none', 'incomplete'],
            range: ['circle', 'triangle-down', 'diamond', 'square', 'circle', 'circle'],
          },
          legend: null,
        },
        color: {
          field: 'state',
          type: 'nominal',
          scale: {
            domain: ['ok', 'warn', 'critical', 'insufficient', 'none', 'incomplete'],
            range: ['#0969da', LEVEL_COLOURS.warn, LEVEL_COLOURS.critical, '#6e7781', '#0969da', '#afb8c1'],
          },
          legend: null,
        },
        description: { field: 'label' },
      },
    });
  } else if (rows.some((r) => r.value !== null)) {
    // A sparkline marks only its last point.
    layer.push({
      data: { values: rows.filter((r) => r.value !== null).slice(-1) },
      mark: { type: 'point', filled: true, size: 14, color: '#0969da' },
      encoding: { x, y: { ...y, field: 'value' }, description: { field: 'label' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width,
    height: options.height,
    background: null,
    padding: options.axes ? 5 : 1,
    config: {
      view: { stroke: null },
      axis: {
        labelColor: 'currentColor',
        domainColor: '#8c959f',
        tickColor: '#8c959f',
        gridColor: '#8c959f',
        gridOpacity: 0.25,
        labelFont: 'system-ui, sans-serif',
      },
    },
    encoding: { x },
    // Bands colour by threshold level, points by status: two scales, not one merged.
    resolve: { scale: { color: 'independent', shape: 'independent' } },
    layer,
  };
}

type VegaModules = { vega: typeof import('vega'); compile: typeof import('vega-lite').compile };
let modules: Promise<VegaModules> | undefined;

/** Vega is loaded on the first chart only: commands that draw nothing never pay for it. */
function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, compile: vl.compile }));
  return modules;
}

/** A chart as SVG text, from a Vega-Lite specification. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const { vega, compile } = await loadVega();
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The trend of a KPI with its threshold bands, as SVG. */
export function trendChart(kpi: Kpi, points: readonly SeriesPoint[], options: ChartOptions): Promise<string> {
  return renderSvg(trendSpec(kpi, points, options));
}
