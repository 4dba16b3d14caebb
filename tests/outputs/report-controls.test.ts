// `kpic report` quotes data values (a breaching segment's name) in Markdown
// and HTML, both often printed to a terminal or a CI log. A value holding
// escape sequences is shown escaped (`\x1b`), never obeyed; the HTML also
// keeps `<` as an entity.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const ESC = '\x1b';
/** Clear the screen, retitle the terminal, then a line break and markup. */
const HOSTILE = `silver${ESC}[2J${ESC}]0;owned\x07|<b>`;
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

const project = copyTemplate('kpic-report-controls-');
afterAll(() => project.cleanup());
const customers = join(project.dir, 'data/customers.csv');
writeFileSync(customers, readFileSync(customers, 'utf8').replaceAll(',silver,', `,"${HOSTILE}",`));

describe('kpic report with control characters in a breaching segment', () => {
  it('markdown shows them escaped', async () => {
    const r = await kpic(project.dir, ['report']);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    // The template's silver tier is at -100 in its latest month: critical.
    expect(r.stdout).toContain('tier silver\\x1b[2J\\x1b]0;owned\\x07\\|&lt;b&gt;: -100, critical');
  });

  it('html shows them escaped', async () => {
    const r = await kpic(project.dir, ['report', '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('tier silver\\x1b[2J\\x1b]0;owned\\x07|&lt;b&gt;');
    expect(r.stdout).not.toContain('<b>');
  });
});
