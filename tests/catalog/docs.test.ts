// `kpic docs` and `kpic report` through the CLI on the hand-worked fixture
// (tests/catalog/fixture.ts): the values, statuses, breaches and changes the
// pages show are the numbers worked out by hand there.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';
import { fixtureProject } from './fixture.ts';

let project: { dir: string; cleanup: () => void };

const GIT = [
  '-c',
  'user.name=kpic test',
  '-c',
  'user.email=test@example.com',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'init.defaultBranch=main',
];

beforeAll(() => {
  project = fixtureProject();
  execFileSync('git', [...GIT, 'init', '-q'], { cwd: project.dir });
  execFileSync('git', [...GIT, 'add', '-A'], { cwd: project.dir });
  execFileSync('git', [...GIT, 'commit', '-q', '-m', 'NPS with bands for the review'], { cwd: project.dir });
});
afterAll(() => project.cleanup());

const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');

describe('kpic docs --values', () => {
  it('shows each KPI now, over time, by segment, with its lineage and history', async () => {
    const result = await kpic(project.dir, ['docs', '--out', 'site', '--values']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'wrote site: 3 KPI pages, index.html, lineage.html, deprecated.html, values of 2 active KPIs\n',
    );
    const nps = read('site/kpi/nps.html');
    // March is the latest complete period: 0, warn; February -25 before it; off target since February.
    expect(nps).toContain('<span class="value">0</span> in 2024-03-01 <span class="status status-warn">warn</span>');
    expect(nps).toContain('up from -25, better');
    expect(nps).toContain('Off target since 2024-02-01: 2 periods in a row.');
    expect(nps).toContain(
      '<td><code>tier</code></td><td>silver</td><td>-100</td><td><span class="status status-critical">critical</span></td>',
    );
    const points = [...nps.matchAll(/aria-label="period: ([^;"]+); value: ([^;"]+)/g)]
      .slice(0, 4)
      .map((m) => [m[1], Number(m[2])]);
    expect(points).toEqual([
      ['2024-01-01', 50],
      ['2024-02-01', -25],
      ['2024-03-01', 0],
      ['2024-04-01', 100],
    ]);
    expect(nps).toContain('period: 2024-04-01; value: 100; status: ok; incomplete period');
    expect(nps).toContain('data-segment="gold"');
    expect(nps).toContain('<dt>read by</dt><dd><a href="../kpi/nps_change.html"><code>nps_change</code></a></dd>');
    expect(nps).toContain('NPS with bands for the review');
    // RACI: responsible defaults to the owner.
    expect(nps).toContain(
      '<tr><td><code>silver_critical</code></td><td>customer-success</td><td>vp-customer-success</td><td>—</td><td>#cs-alerts</td><td>after 2 periods</td></tr>',
    );
    expect(nps).toMatch(/<details><summary>The default query/);
    // The title is text, never markup.
    expect(nps).toContain('Net Promoter Score &lt;beta&gt;');
    const change = read('site/kpi/nps_change.html');
    expect(change).toContain('<dt>reads</dt><dd><a href="../kpi/nps.html"><code>nps</code></a></dd>');
    // nps - previous(nps) in March: 0 - (-25).
    expect(change).toContain('<span class="value">25</span> in 2024-03-01');
    const index = read('site/index.html');
    expect(index).toContain('1 of the active KPIs is off target in their latest complete period.');
    expect(index).toContain('in breach: tier silver (critical)');
    // A draft is listed, not scored.
    expect(index).not.toContain('data-search="response_count');
    expect(index).toContain(
      '<h2>Drafts</h2>\n<p><a href="kpi/response_count.html"><code>response_count</code></a></p>',
    );
    const lineage = read('site/lineage.html');
    expect(lineage).toContain('data-from="s:surveys" data-to="m:promoters"');
    expect(lineage).toContain('data-from="m:promoters" data-to="k:nps"');
    expect(lineage).toContain('data-from="k:nps" data-to="k:nps_change"');
  });

  it('builds definitions only with no data at all, as in CI', async () => {
    const { dir, cleanup } = fixtureProject();
    try {
      rmSync(join(dir, 'data'), { recursive: true });
      const result = await kpic(dir, ['docs', '--out', 'site']);
      expect(result.code).toBe(0);
      const index = readFileSync(join(dir, 'site/index.html'), 'utf8');
      expect(index).toContain('Built without data');
      expect(existsSync(join(dir, 'site/assets/catalog.css'))).toBe(true);
      expect(readFileSync(join(dir, 'site/kpi/nps.html'), 'utf8')).not.toContain('<h2>Now</h2>');
    } finally {
      cleanup();
    }
  });
});

describe('kpic report', () => {
  it('writes the latest complete period of each active KPI in markdown', async () => {
    const result = await kpic(project.dir, ['report']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      '| Net Promoter Score &lt;beta&gt; (`nps`) | 2024-03-01 | 0 | +25 (+100.0%) | — | warn | no | customer-success |',
    );
    // March 25 against February -75: +100, +133.3%.
    expect(lines).toContain(
      '| NPS change (`nps_change`) | 2024-03-01 | 25 | +100 (+133.3%) | — | no status | — | customer-success |',
    );
    expect(lines).toContain(
      '- **Net Promoter Score &lt;beta&gt;** (owner customer-success): tier silver: -100, critical',
    );
    expect(result.stdout).not.toContain('response_count');
  });

  it('writes one self-contained HTML file with its charts inline', async () => {
    const result = await kpic(project.dir, ['report', '--format', 'html', '--out', 'review.html']);
    expect(result.code).toBe(0);
    const html = read('review.html');
    expect(html).toContain('<tr data-kpi="nps">');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
