// `lineage.html`: sources -> measures -> KPIs -> derived KPIs, drawn as a
// layered graph (one column per kind, an edge per use), and the same facts
// as a table for readers and screen readers: which KPIs use each measure.
//
// The layout is fixed columns in declaration order, sorted by name: a graph
// of a thousand KPIs is long but never tangled into an unreadable ball, and
// the page stays static SVG.

import type { Model } from '../../compiler/index.ts';
import { framePage } from './frame.ts';
import type { Lineage } from './graph.ts';
import { targetTablesOf } from './graph.ts';
import { escapeHtml as e, kpiPage, table } from './html.ts';

const COLUMN_WIDTH = 210;
const COLUMN_GAP = 70;
const ROW_HEIGHT = 26;
const BOX_HEIGHT = 20;
const TOP = 30;

interface Node {
  readonly id: string;
  readonly label: string;
  readonly column: number;
  readonly href?: string;
  readonly title: string;
}

function truncate(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The graph's nodes per column and its edges (node ids). */
export function lineageGraph(model: Model, graph: Lineage): { nodes: Node[]; edges: [string, string][] } {
  const nodes: Node[] = [];
  const edges: [string, string][] = [];
  const sorted = <T>(map: ReadonlyMap<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const usedSources = new Set<string>();
  for (const [, m] of model.measures) usedSources.add(m.source);
  for (const [key] of graph.targetUsers) usedSources.add(key);
  for (const [key, source] of sorted(model.sources)) {
    if (!usedSources.has(key)) continue;
    const title = graph.targetUsers.has(key) ? `source ${source.name} (target table)` : `source ${source.name}`;
    nodes.push({ id: `s:${key}`, label: source.name, column: 0, title });
  }
  for (const [key, m] of sorted(model.measures)) {
    nodes.push({
      id: `m:${key}`,
      label: m.name,
      column: 1,
      title: `measure ${m.name} of ${model.sources.get(m.source)?.name ?? m.source}`,
    });
    edges.push([`s:${m.source}`, `m:${key}`]);
  }
  for (const [key, kpi] of sorted(model.kpis)) {
    const derived = kpi.value !== undefined;
    nodes.push({
      id: `k:${key}`,
      label: kpi.name,
      column: derived ? 3 : 2,
      href: kpiPage(kpi.name),
      title: `KPI ${kpi.title ?? kpi.name} (${kpi.status})`,
    });
    for (const measure of kpi.measures) edges.push([`m:${measure}`, `k:${key}`]);
    for (const input of graph.reads.get(key) ?? []) edges.push([`k:${input}`, `k:${key}`]);
    // A target table its thresholds read: straight from the source to the KPI.
    for (const source of new Set(targetTablesOf(kpi).map((t) => t.source))) edges.push([`s:${source}`, `k:${key}`]);
  }
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, edges: edges.filter(([a, b]) => ids.has(a) && ids.has(b)) };
}

function svgOf(nodes: readonly Node[], edges: readonly [string, string][]): string {
  const rows = [0, 0, 0, 0];
  const place = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const row = rows[node.column]!;
    rows[node.column] = row + 1;
    place.set(node.id, { x: node.column * (COLUMN_WIDTH + COLUMN_GAP), y: TOP + row * ROW_HEIGHT });
  }
  const width = 4 * COLUMN_WIDTH + 3 * COLUMN_GAP + 2;
  const height = TOP + Math.max(1, ...rows) * ROW_HEIGHT + 10;
  const headings = ['sources', 'measures', 'KPIs', 'derived KPIs'].map(
    (h, i) =>
      `<text x="${i * (COLUMN_WIDTH + COLUMN_GAP)}" y="16" font-weight="600" fill="currentColor" font-family="system-ui, sans-serif" font-size="13">${h}</text>`,
  );
  const lines = edges.map(([from, to]) => {
    const a = place.get(from)!;
    const b = place.get(to)!;
    const x1 = a.x + COLUMN_WIDTH;
    const y1 = a.y + BOX_HEIGHT / 2;
    const y2 = b.y + BOX_HEIGHT / 2;
    if (a.x === b.x) {
      // A derived KPI read by another: out of the right edge and back into it.
      const out = x1 + Math.min(COLUMN_GAP - 10, 20 + Math.abs(y2 - y1) / 4);
      return `<path class="edge" data-from="${e(from)}" data-to="${e(to)}" d="M${x1},${y1} C${out},${y1} ${out},${y2} ${x1},${y2}"/>`;
    }
    const x2 = b.x;
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    return `<path class="edge" data-from="${e(from)}" data-to="${e(to)}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}"/>`;
  });
  const boxes = nodes.map((node) => {
    const { x, y } = place.get(node.id)!;
    const box = `<rect x="${x}" y="${y}" width="${COLUMN_WIDTH}" height="${BOX_HEIGHT}" rx="4"/><text x="${x + 6}" y="${y + 14}">${e(truncate(node.label))}</text><title>${e(node.title)}</title>`;
    const inner = node.href ? `<a href="${e(node.href)}" aria-label="${e(node.title)}">${box}</a>` : box;
    return `<g class="node" data-node="${e(node.id)}">${inner}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Lineage: ${nodes.length} nodes, ${edges.length} edges">\n${headings.join('')}\n${lines.join('\n')}\n${boxes.join('\n')}\n</svg>`;
}

/** The target tables and the KPIs whose thresholds read them (none: no section). */
function targetSection(model: Model, graph: Lineage): string[] {
  const rows = [...graph.targetUsers.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([source, keys]) => {
      const kpis = keys.map((k) => model.kpis.get(k)!).filter(Boolean);
      const columns = new Set(
        kpis.flatMap((k) =>
          targetTablesOf(k)
            .filter((t) => t.source === source)
            .map((t) => t.column),
        ),
      );
      return [
        e(model.sources.get(source)?.name ?? source),
        [...columns].map((c) => `<code>${e(c)}</code>`).join(', '),
        kpis.map((k) => `<a href="${kpiPage(k.name)}"><code>${e(k.name)}</code></a>`).join(', '),
      ];
    });
  if (rows.length === 0) return [];
  return [
    '<h2>Target tables</h2>',
    '<p>Sources the KPIs read their targets from, per period (thresholds such as <code>target &gt;= TABLE.COLUMN</code>).</p>',
    table(['source', 'column', 'targets of'], rows),
  ];
}

export function renderLineagePage(projectName: string, model: Model, graph: Lineage): string {
  const { nodes, edges } = lineageGraph(model, graph);
  const rows = [...model.measures.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, m]) => {
      const users = (graph.measureUsers.get(key) ?? []).map((k) => model.kpis.get(k)!).filter(Boolean);
      return [
        e(model.sources.get(m.source)?.name ?? m.source),
        `<code>${e(m.name)}</code>`,
        users.map((k) => `<a href="${kpiPage(k.name)}"><code>${e(k.name)}</code></a>`).join(', ') ||
          '<span class="muted">no KPI</span>',
      ];
    });
  const body = [
    `<h1>${e(projectName)}: lineage</h1>`,
    "<p>Where each KPI comes from: the data sources, the measures counted on them, the KPIs built from the measures, the derived KPIs built from other KPIs, and the target tables whose rows set a KPI's thresholds per period (an edge from the source straight to the KPI). Select a KPI to open its page.</p>",
    `<div class="lineage-graph">${svgOf(nodes, edges)}</div>`,
    '<h2>Which KPIs use each measure</h2>',
    table(['source', 'measure', 'used by'], rows),
    ...targetSection(model, graph),
  ];
  return framePage(`${projectName}: lineage`, body.join('\n'), 0, 'lineage');
}
