// `kpic docs --out DIR`: the static catalog, the deprecated archive, escaping,
// and the folder replaced as a whole (never a folder kpic did not write).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic, templateRepo } from './helpers.ts';

const RETIRED = `kpi old_nps {
  title "NPS <v1> & co"
  description "The first NPS, counted on all answers."
  owner "customer-success"
  numerator promoters
  denominator responses
  status deprecated
  replaced_by nps
  version 3
}
`;

describe.concurrent('kpic docs', () => {
  it('writes a scorecard, a page per KPI, the lineage and the deprecated archive', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/old.kpi', RETIRED);
      const docs = await kpic(repo.project, ['docs', '--out', 'site']);
      expect(docs.code).toBe(0);
      expect(docs.stdout).toBe('wrote site: 3 KPI pages, index.html, lineage.html, deprecated.html\n');
      const index = readFileSync(join(repo.project, 'site/index.html'), 'utf8');
      expect(index).toContain('<p>3 KPIs: 2 active, 0 draft, 1 deprecated.');
      // Active KPIs are tiles, grouped by perspective and (hidden until chosen) by owner.
      expect(index).toContain('<h2>Customer outcomes</h2>');
      expect(index.indexOf('<h2>customer-success</h2>')).toBeLessThan(index.indexOf('<h2>growth</h2>'));
      expect(index).toContain('<h3><a href="kpi/nps.html">Net Promoter Score</a></h3>');
      expect(index).not.toContain('<h3><a href="kpi/old_nps.html">');
      const archive = readFileSync(join(repo.project, 'site/deprecated.html'), 'utf8');
      expect(archive).toContain(
        '<td><a href="kpi/old_nps.html"><code>old_nps</code></a></td><td>NPS &lt;v1&gt; &amp; co</td><td>customer-success</td><td><a href="kpi/nps.html"><code>nps</code></a></td><td>3</td>',
      );
      expect(archive).not.toContain('kpi/new_customers.html');
      const nps = readFileSync(join(repo.project, 'site/kpi/nps.html'), 'utf8');
      expect(nps).toContain('<h1>Net Promoter Score <small><code>nps</code></small></h1>');
      expect(nps).toContain('numerator   = promoters - detractors\ndenominator = responses\nscale       = 100');
      expect(nps).toContain(
        '<td><code>promoters</code></td><td><code>measure promoters = count() where nps &gt;= 9</code></td><td>surveys</td><td>customer</td><td><a href="../kpi/old_nps.html"><code>old_nps</code></a></td>',
      );
      expect(nps).toContain(
        '<td><code>promoters</code></td><td><code>file:surveys.csv</code></td><td><code>surveys</code> → customer <code>customer_id</code> → customers</td>',
      );
      expect(nps).toContain('<td>target</td><td><code>target &gt;= 30</code></td>');
      expect(nps).toContain('-- kpi: nps | grain: month | segments: tier');
      expect(nps).toContain('read_csv(&#39;data/surveys.csv&#39;)');
    } finally {
      repo.cleanup();
    }
  });

  it('replaces its own previous catalog and refuses any other folder', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/old.kpi', RETIRED);
      expect((await kpic(repo.project, ['docs', '--out', 'site'])).code).toBe(0);
      expect(existsSync(join(repo.project, 'site/kpi/old_nps.html'))).toBe(true);
      repo.write('metrics/old.kpi', '');
      expect((await kpic(repo.project, ['docs', '--out', 'site'])).code).toBe(0);
      expect(existsSync(join(repo.project, 'site/kpi/old_nps.html'))).toBe(false);
      expect(readFileSync(join(repo.project, 'site/deprecated.html'), 'utf8')).toContain(
        '<p>No KPI is deprecated.</p>',
      );
      mkdirSync(join(repo.project, 'notes'));
      writeFileSync(join(repo.project, 'notes/todo.txt'), 'mine\n');
      const refused = await kpic(repo.project, ['docs', '--out', 'notes']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('is a folder that kpic docs did not write');
      expect(readFileSync(join(repo.project, 'notes/todo.txt'), 'utf8')).toBe('mine\n');
    } finally {
      repo.cleanup();
    }
  });

  it('kpic list --status deprecated lists the archive', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/old.kpi', RETIRED);
      const list = await kpic(repo.project, ['list', '--json', '--status', 'deprecated']);
      expect(list.code).toBe(0);
      expect((JSON.parse(list.stdout) as { name: string }[]).map((k) => k.name)).toEqual(['old_nps']);
    } finally {
      repo.cleanup();
    }
  });
});
