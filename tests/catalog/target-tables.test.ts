// `kpic docs` on a project whose thresholds read a target table
// (tests/alerts/target-data.ts, worked out by hand there): the table is an
// input of its KPIs in the lineage, and each KPI page says which thresholds
// come from it and shows the statuses it gives.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../alerts/target-data.ts';
import { kpic } from '../cli/helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = project();
  const result = await kpic(dir, ['docs', '--out', 'site', '--values']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string) => readFileSync(join(dir, path), 'utf8');

describe('kpic docs with a target table', () => {
  it('draws the table as an input of each KPI whose thresholds read it, and lists it', () => {
    const lineage = read('site/lineage.html');
    // The table has no measure: without the edge it would not be on the page at all.
    expect(lineage).toContain('data-node="s:event_targets"');
    expect(lineage).toContain('<title>source event_targets (target table)</title>');
    expect(lineage).toContain('data-from="s:event_targets" data-to="k:events_vs_goal"');
    expect(lineage).toContain('data-from="s:event_targets" data-to="k:events_goal_only"');
    // The measure's own source is still drawn as before, not as a target table.
    expect(lineage).toContain('<title>source events</title>');
    expect(lineage).not.toContain('data-from="s:events" data-to="k:events_vs_goal"');
    expect(lineage).toContain(
      '<h2>Target tables</h2>\n<p>Sources the KPIs read their targets from, per period (thresholds such as <code>target &gt;= TABLE.COLUMN</code>).</p>',
    );
    expect(lineage).toMatch(
      /<td>event_targets<\/td><td><code>goal<\/code><\/td><td><a href="kpi\/events_goal_only\.html"><code>events_goal_only<\/code><\/a>, <a href="kpi\/events_vs_goal\.html"><code>events_vs_goal<\/code><\/a><\/td>/,
    );
  });

  it("says on the KPI page which thresholds come from the table, and shows the table's statuses", () => {
    const page = read('site/kpi/events_vs_goal.html');
    expect(page).toContain(
      '<tr><td>target</td><td><code>target &gt;= event_targets.goal</code></td><td>per period from table <code>event_targets.goal</code></td></tr>',
    );
    expect(page).toContain('<tr><td>target</td><td><code>target &gt;= 5</code></td><td>as written</td></tr>');
    expect(page).toContain(
      '<tr><td>warn</td><td><code>warn &lt; event_targets.goal</code></td><td>per period from table <code>event_targets.goal</code></td></tr>',
    );
    expect(page).toContain('<dt>targets from</dt><dd><code>event_targets.goal</code></dd>');
    // March, by hand: US 7 < its goal 8 (the row for every region) is warn; EU 9 is not.
    expect(page).toContain(
      '<td><code>region</code></td><td>US</td><td>7.0</td><td><span class="status status-warn">warn</span></td>',
    );
    expect(page).not.toMatch(/<td>EU<\/td><td>9\.0<\/td><td><span class="status status-warn">/);
  });

  it('marks target met per month from the table alone, and nothing for a month without a row', () => {
    const page = read('site/kpi/events_goal_only.html');
    // Totals by hand: Jan 21 >= 10, Feb 28 >= 12, Mar 16 >= 8; April (incomplete) has no row and no other target.
    const rows = [
      ...page.matchAll(
        /<tr><td>(2024-\d\d-01)[^<]*(?:<span[^>]*>[^<]*<\/span>)?<\/td><td><span class="num">(\d+)<\/span><\/td><td>.*?<\/td><td>(yes|no|)<\/td><\/tr>/g,
      ),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      ['2024-04-01', '9', ''],
      ['2024-03-01', '16', 'yes'],
      ['2024-02-01', '28', 'yes'],
      ['2024-01-01', '21', 'yes'],
    ]);
    expect(page).toContain('<dt>targets from</dt><dd><code>event_targets.goal</code></dd>');
  });
});
