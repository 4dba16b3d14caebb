// `kpic report` and `kpic alert` quote data values (a breaching segment's
// name) in Markdown, HTML and a text table, often printed to a terminal or
// a CI log; `kpic test` prints test names from a test file a pull request
// can change. A value holding
// escape sequences is shown escaped (`\x1b`), never obeyed; the HTML also
// keeps `<` as an entity.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const nps = join(project.dir, 'metrics/nps.kpi');
writeFileSync(
  nps,
  readFileSync(nps, 'utf8').replace(
    '  critical < 0\n',
    '  critical < 0\n  alert nps_critical {\n    by tier\n    when status critical\n    responsible "cs"\n  }\n',
  ),
);

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

describe('kpic alert with control characters in a watched segment', () => {
  it('table and markdown show them escaped, json keeps them exact', async () => {
    const table = await kpic(project.dir, ['alert', '--fail-on', 'none']);
    expect(table.stderr).not.toMatch(STACK_FRAME);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(RAW_CONTROL);
    expect(table.stdout).toContain('tier=silver\\x1b[2J\\x1b]0;owned\\x07|<b>  2024-02-01  -100');
    const markdown = await kpic(project.dir, ['alert', '--fail-on', 'none', '--format', 'markdown']);
    expect(markdown.stdout).not.toMatch(RAW_CONTROL);
    expect(markdown.stdout).toContain('| tier=silver\\x1b[2J\\x1b]0;owned\\x07\\|<b> | 2024-02-01 | -100 |');
    const json = await kpic(project.dir, ['alert', '--fail-on', 'none', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { breaches: { segments: Record<string, string> }[] };
    expect(parsed.breaches.map((b) => b.segments['tier'])).toEqual([HOSTILE]);
  });
});

describe('kpic docs --values with control characters in a segment', () => {
  it('every page shows them escaped', async () => {
    const r = await kpic(project.dir, ['docs', '--values', '--out', 'site']);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    const pages = readdirSync(join(project.dir, 'site'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.html'),
    );
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages)
      expect(readFileSync(join(project.dir, 'site', page), 'utf8'), page).not.toMatch(RAW_CONTROL);
    expect(readFileSync(join(project.dir, 'site/kpi/nps.html'), 'utf8')).toContain(
      '<td>silver\\x1b[2J\\x1b]0;owned\\x07|&lt;b&gt;</td>',
    );
  });
});

describe('kpic test with control characters in a test name and fixture values', () => {
  it('prints the name escaped; values are quoted', async () => {
    writeFileSync(
      join(project.dir, 'metrics/hostile.test.yaml'),
      [
        'data:',
        '  customers:',
        '    - { customer_id: 1, signup_date: 2024-01-01, tier: "gold\\e]0;owned\\a", region: EU }',
        '  surveys:',
        '    - { response_id: 1, customer_id: 1, responded_at: 2024-01-05, nps: 10 }',
        'tests:',
        '  - name: "one promoter\\e[2K\\rall good"',
        '    kpi: nps',
        '    expect:',
        '      - { period: 2024-01-01, tier: gold, numerator: 2, denominator: 1, value: 100 }',
        '',
      ].join('\n'),
    );
    const r = await kpic(project.dir, ['test', 'metrics/hostile.test.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('FAIL  metrics/hostile.test.yaml:7 one promoter\\x1b[2K\\rall good (nps)');
    expect(r.stdout).toContain('"gold\\u001b]0;owned\\u0007"');
  });
});
