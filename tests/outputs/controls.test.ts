// Terminal injection: control characters in `.kpi` text are refused, and
// human formats show control characters (from a `.kpi` file or from the
// data) escaped, while CSV and JSON keep the data exact.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const ESC = '\x1b';
/** Erase the line, go to column 1, print a fake verdict, ring the bell. */
const FAKE = `${ESC}[2K${ESC}[1Gall good\x07`;
const SHOWN = '\\x1b[2K\\x1b[1Gall good\\x07';

const project = copyTemplate('kpic-controls-');
afterAll(() => project.cleanup());
const nps = join(project.dir, 'metrics/nps.kpi');
const original = readFileSync(nps, 'utf8');

describe('control characters in .kpi text', () => {
  it('are refused in strings and comments, and the diagnostics show them escaped', async () => {
    writeFileSync(
      nps,
      original
        .replace('title "Net Promoter Score"', `title "Net Promoter${FAKE}"`)
        .replace('kpi nps {', `kpi nps { # note\b${ESC}]0;pwned\x07`),
    );
    const r = await kpic(project.dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(ESC);
    expect(r.stdout + r.stderr).not.toContain('\x07');
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    // The frame shows the line with its escapes, the caret under the first one.
    expect(r.stdout).toContain(
      [
        'metrics/nps.kpi:2:22 error invalid-character',
        `  2 |   title "Net Promoter${SHOWN}"`,
        '    |                      ^^^^',
        '  control character U+001B ESCAPE: it can rewrite what a terminal shows',
      ].join('\n'),
    );
    expect(r.stdout).toContain('metrics/nps.kpi:1:17 error invalid-character');
    expect(r.stdout).toContain('control character U+0008 BACKSPACE');
    expect(r.stdout).toContain('control character U+0007 BELL');
  });

  it('list and explain show a title with control characters escaped', async () => {
    writeFileSync(nps, original.replace('title "Net Promoter Score"', `title "Net Promoter${FAKE}"`));
    const list = await kpic(project.dir, ['list']);
    expect(list.stdout).toContain(`Net Promoter${SHOWN}`);
    expect(list.stdout + list.stderr).not.toContain(ESC);
    const explain = await kpic(project.dir, ['explain', 'nps']);
    expect(explain.stdout.split('\n')[0]).toBe(`KPI nps: Net Promoter${SHOWN}`);
    expect(explain.stdout + explain.stderr).not.toContain(ESC);
    // JSON stays exact.
    const json = await kpic(project.dir, ['list', '--json']);
    expect((JSON.parse(json.stdout) as { title: string }[]).find((k) => k.title.startsWith('Net'))!.title).toBe(
      `Net Promoter${FAKE}`,
    );
  });

  it('a tab in a string and CRLF line ends are still fine', async () => {
    writeFileSync(
      nps,
      original.replace('title "Net Promoter Score"', 'title "Net\tPromoter Score"').replaceAll('\n', '\r\n'),
    );
    const r = await kpic(project.dir, ['check']);
    expect(r.stdout).not.toContain('invalid-character');
    expect(r.code).toBe(0);
    writeFileSync(nps, original);
  });
});

describe('control characters in the data', () => {
  it('table and markdown escape them; csv and json keep them exact', async () => {
    const customers = join(project.dir, 'data/customers.csv');
    const text = readFileSync(customers, 'utf8');
    // Tier `gold` becomes a value that clears the screen and retitles the terminal.
    const hostile = `gold${ESC}[2J${ESC}]0;owned\x07`;
    writeFileSync(customers, text.replaceAll(',gold,', `,"${hostile}",`));
    writeFileSync(nps, original);
    const table = await kpic(project.dir, ['run', 'nps', '--by', 'tier', '--grain', 'none']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain(ESC);
    expect(table.stdout).toContain('gold\\x1b[2J\\x1b]0;owned\\x07');
    const markdown = await kpic(project.dir, ['run', 'nps', '--by', 'tier', '--grain', 'none', '--format', 'markdown']);
    expect(markdown.stdout).not.toContain(ESC);
    expect(markdown.stdout).toContain('| gold\\x1b[2J\\x1b]0;owned\\x07 |');
    const csv = await kpic(project.dir, ['run', 'nps', '--by', 'tier', '--grain', 'none', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[1]!.startsWith(`${hostile},`)).toBe(true);
    const json = await kpic(project.dir, ['run', 'nps', '--by', 'tier', '--grain', 'none', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { tier: string }[])[0]!.tier).toBe(hostile);
    writeFileSync(customers, text);
  });
});
