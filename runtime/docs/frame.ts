// The frame of every catalog page, and the two files all pages share: one
// style sheet (light and dark themes, print) and one small script (search,
// filters, grouping, theme switch). Nothing is loaded from elsewhere: the
// catalog opens from a folder on disk, with no server and no network.

import { escapeHtml as e } from './html.ts';

export const STYLE_FILE = 'assets/catalog.css';
export const SCRIPT_FILE = 'assets/catalog.js';

/** A complete page; `depth` is how many folders below the catalog's root it lives. */
export function framePage(
  title: string,
  body: string,
  depth: number,
  current: 'scorecard' | 'lineage' | 'deprecated' | 'kpi',
): string {
  const up = '../'.repeat(depth);
  const link = (href: string, text: string, key: typeof current) =>
    `<a href="${up}${href}"${current === key ? ' aria-current="page"' : ''}>${text}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<link rel="stylesheet" href="${up}${STYLE_FILE}">
<script src="${up}${SCRIPT_FILE}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<nav aria-label="Catalog">${link('index.html', 'Scorecard', 'scorecard')}${link('lineage.html', 'Lineage', 'lineage')}${link('deprecated.html', 'Deprecated', 'deprecated')}</nav>
<button type="button" class="theme" data-theme-toggle aria-label="Switch between light and dark theme">Theme</button>
</header>
<main id="main">
${body}
</main>
</body>
</html>
`;
}

export const CATALOG_CSS = `:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de; --link: #0969da;
  --ok: #1a7f37; --warn: #9a6700; --critical: #cf222e; --none: #59636e;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --link: #4493f8;
    --ok: #3fb950; --warn: #d29922; --critical: #f85149; --none: #9198a1; }
}
:root[data-theme="dark"] { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --link: #4493f8;
  --ok: #3fb950; --warn: #d29922; --critical: #f85149; --none: #9198a1; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; }
header.top { display: flex; justify-content: space-between; align-items: center; padding: 1rem 0; border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
header.top nav a { margin-right: 1.25rem; } header.top nav a[aria-current="page"] { font-weight: 600; text-decoration: none; color: var(--fg); }
button, input, select { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .3rem .6rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: var(--panel); padding: 1rem; overflow-x: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.muted { color: var(--muted); }
.status { font-weight: 600; white-space: nowrap; }
.status::before { content: "\\25CF\\00A0"; }
.status-ok { color: var(--ok); } .status-warn { color: var(--warn); } .status-critical { color: var(--critical); }
.status-insufficient, .status-none { color: var(--none); } .status-insufficient::before, .status-none::before { content: "\\25CB\\00A0"; }
.lifecycle-draft { color: var(--warn); } .lifecycle-deprecated { color: var(--critical); } .lifecycle-active { color: var(--ok); }
.controls { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: 1rem 0; }
.controls label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .75rem; margin: .5rem 0 1.5rem; padding: 0; list-style: none; }
.tile { border: 1px solid var(--line); border-left: 6px solid var(--none); border-radius: 6px; padding: .6rem .75rem; background: var(--bg); }
.tile[data-status="ok"] { border-left-color: var(--ok); } .tile[data-status="warn"] { border-left-color: var(--warn); } .tile[data-status="critical"] { border-left-color: var(--critical); }
.headline .value { font-size: 28px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile h3 { font-size: 15px; margin: 0 0 .25rem; } .tile .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .meta { font-size: 13px; color: var(--muted); }
.trend { font-size: 14px; margin-left: .35rem; }
.spark svg { display: block; max-width: 100%; height: auto; color: var(--muted); }
figure.chart { margin: 0 0 1rem; } figure.chart svg { max-width: 100%; height: auto; color: var(--fg); }
figure.chart figcaption { font-size: 13px; color: var(--muted); }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.multiples figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.multiples figcaption { font-size: 14px; }
.lineage-graph { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.lineage-graph svg { color: var(--fg); }
.lineage-graph .node rect { fill: var(--panel); stroke: var(--line); } .lineage-graph .node text { fill: currentColor; font: 12px system-ui, sans-serif; }
.lineage-graph .edge { stroke: var(--muted); stroke-opacity: .5; fill: none; }
.lineage-graph a:focus-visible rect { stroke: var(--link); stroke-width: 3px; }
[hidden] { display: none !important; }
@media print {
  header.top, .controls, .skip, .theme { display: none; }
  body { max-width: none; color: #000; background: #fff; }
  details > summary { display: none; } details::details-content { content-visibility: visible; display: block; }
  .tile, figure, table { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** Search, filters and grouping of the scorecard, and the theme switch. Small, no dependencies, no network. */
export const CATALOG_JS = `(function () {
  'use strict';
  var root = document.documentElement;
  try { var saved = localStorage.getItem('kpic-theme'); if (saved) root.setAttribute('data-theme', saved); } catch (e) {}
  // Printing shows the folded parts (compiled SQL) too, in browsers without ::details-content.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.setAttribute('open', ''); d.setAttribute('data-printed-open', ''); });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-printed-open]').forEach(function (d) { d.removeAttribute('open'); d.removeAttribute('data-printed-open'); });
  });
  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.querySelector('[data-theme-toggle]');
    if (toggle) toggle.addEventListener('click', function () {
      var dark = root.getAttribute('data-theme') === 'dark' ||
        (!root.getAttribute('data-theme') && window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
      var next = dark ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('kpic-theme', next); } catch (e) {}
    });
    var search = document.getElementById('search');
    if (!search) return;
    var filters = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
    var group = document.getElementById('group');
    var count = document.getElementById('shown');
    function apply() {
      var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var wanted = {};
      filters.forEach(function (f) { if (f.value) wanted[f.getAttribute('data-filter')] = f.value; });
      var by = group ? group.value : 'perspective';
      document.querySelectorAll('[data-grouping]').forEach(function (g) { g.hidden = g.getAttribute('data-grouping') !== by; });
      var shown = 0;
      document.querySelectorAll('[data-grouping="' + by + '"] .tile').forEach(function (tile) {
        var text = tile.getAttribute('data-search') || '';
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        Object.keys(wanted).forEach(function (k) { if (tile.getAttribute('data-' + k) !== wanted[k]) ok = false; });
        tile.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll('[data-grouping="' + by + '"] section').forEach(function (s) {
        s.hidden = s.querySelectorAll('.tile:not([hidden])').length === 0;
      });
      if (count) count.textContent = shown + (shown === 1 ? ' KPI shown' : ' KPIs shown');
    }
    search.addEventListener('input', apply);
    filters.forEach(function (f) { f.addEventListener('change', apply); });
    if (group) group.addEventListener('change', apply);
    apply();
  });
})();
`;
