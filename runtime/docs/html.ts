// Small HTML helpers for the KPI catalog: escaping and the page frame.
// Every text from a `.kpi` file passes through `escapeHtml`; pages carry no
// script and load nothing from elsewhere, so the catalog can be served as
// plain files from anywhere.

import { createHash } from 'node:crypto';
import { escapeControls } from '../../compiler/index.ts';

/** Control characters but the tab and the line feed, which HTML shows as white space. */
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe inside HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  // Control characters (ESC, BEL, bidirectional controls) from a title or a data value are shown, never
  // obeyed: the page may be printed to a terminal (`kpic report --format html`), and a browser hides them.
  return text
    .replace(HIDDEN_CONTROLS, escapeControls)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** File names longer than this are shortened: most file systems allow 255 bytes, and `.html` needs 5. */
const MAX_PAGE_NAME = 200;

/**
 * A file name for a KPI page: lower-cased name (names are identifiers,
 * compared without case). A name too long for a file name (up to 255
 * letters are valid) keeps its first 180 letters and gets `-` and 16 hex
 * digits of its SHA-256: the same name always gives the same file.
 */
export function kpiPage(name: string): string {
  const base = encodeURIComponent(name.toLowerCase());
  const short =
    base.length <= MAX_PAGE_NAME
      ? base
      : `${base.slice(0, 180)}-${createHash('sha256').update(name.toLowerCase()).digest('hex').slice(0, 16)}`;
  return `kpi/${short}.html`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f2328; }
nav { margin-bottom: 1.5rem; } nav a { margin-right: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; }
.status-draft { color: #9a6700; } .status-deprecated { color: #cf222e; } .status-active { color: #1a7f37; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
`;

/** A complete page; `depth` is how many folders below the catalog's root it lives. */
export function page(title: string, body: string, depth: number): string {
  const up = '../'.repeat(depth);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<nav><a href="${up}index.html">All KPIs</a><a href="${up}deprecated.html">Deprecated</a></nav>
${body}
</body>
</html>
`;
}

/** A table from header cells and rows of ready HTML. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${tr}\n</tbody>\n</table>`;
}
