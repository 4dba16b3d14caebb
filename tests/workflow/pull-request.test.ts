// The CI workflow of docs/ci.md, as a new user meets it: a pull request adds
// a KPI without a customer reference, and lint on the changed files fails
// with an annotation on the KPI's line.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kpic, templateRepo } from './helpers.ts';

const CAMPAIGNS = `# Marketing's campaigns: nothing here links to the customer.
source campaigns from "campaigns.csv" {
  key campaign_id
  measure clicks = count()
}

kpi clicks_per_campaign {
  title "Clicks"
  description "Clicks on our campaigns."
  owner "marketing"
  numerator clicks
}
`;

describe.concurrent('a pull request that adds a KPI without a customer reference', () => {
  it('fails lint --changed-since with an annotation on the exact line', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/campaigns.kpi', CAMPAIGNS);
      repo.write('data/campaigns.csv', 'campaign_id\n1\n');
      const lint = await kpic(repo.project, ['lint', '--format', 'github', '--changed-since', 'HEAD']);
      expect(lint.code).toBe(1);
      // `kpi clicks_per_campaign` is line 7; the name starts at column 5.
      expect(lint.stdout).toMatch(
        /^::error file=metrics\/campaigns\.kpi,line=7,col=5,endLine=7,endColumn=24,title=customer-reference::KPI `clicks_per_campaign` has no customer reference/m,
      );
      // Only the changed file is reported.
      for (const line of lint.stdout.trim().split('\n')) expect(line).toContain('file=metrics/campaigns.kpi,');
    } finally {
      repo.cleanup();
    }
  });

  it('reports committed changes on a branch, and not the files the branch left alone', async () => {
    const repo = templateRepo();
    try {
      const base = readFileSync(join(repo.project, 'metrics/nps.kpi'), 'utf8');
      // A finding in an unchanged file (a KPI without owner) must not appear.
      repo.write('metrics/nps.kpi', base.replace('  owner "growth"\n', ''));
      repo.commit('new_customers loses its owner');
      repo.write('metrics/campaigns.kpi', CAMPAIGNS);
      repo.write('data/campaigns.csv', 'campaign_id\n1\n');
      repo.commit('campaigns');
      const lint = await kpic(repo.project, ['lint', '--format', 'github', '--changed-since', 'HEAD~1']);
      expect(lint.code).toBe(1);
      expect(lint.stdout).toContain('file=metrics/campaigns.kpi,line=7');
      expect(lint.stdout).not.toContain('missing-owner');
      const all = await kpic(repo.project, ['lint', '--format', 'github', '--changed-since', 'HEAD~2']);
      expect(all.stdout).toContain('title=missing-owner');
    } finally {
      repo.cleanup();
    }
  });

  it('is clean once the KPI reaches the customer', async () => {
    const repo = templateRepo();
    try {
      repo.write(
        'metrics/campaigns.kpi',
        CAMPAIGNS.replace('  key campaign_id\n', '  key campaign_id\n  customer customer_id\n').replace(
          'Clicks on our campaigns.',
          'Clicks by our customers.',
        ),
      );
      repo.write('data/campaigns.csv', 'campaign_id,customer_id\n1,1\n');
      const lint = await kpic(repo.project, ['lint', '--format', 'github', '--changed-since', 'HEAD']);
      expect(lint.stdout).not.toContain('::error');
      expect(lint.code).toBe(0);
    } finally {
      repo.cleanup();
    }
  });

  it('names repository paths when the project is a folder of the repository', async () => {
    const repo = templateRepo('kpis');
    try {
      repo.write('metrics/campaigns.kpi', CAMPAIGNS);
      const lint = await kpic(repo.dir, ['--project', 'kpis', 'lint', '--format', 'github', '--changed-since', 'HEAD']);
      expect(lint.code).toBe(1);
      expect(lint.stdout).toContain('::error file=kpis/metrics/campaigns.kpi,line=7,');
    } finally {
      repo.cleanup();
    }
  });

  it('refuses a ref that names no commit (exit 2)', async () => {
    const repo = templateRepo();
    try {
      const lint = await kpic(repo.project, ['lint', '--changed-since', 'no-such-branch']);
      expect(lint.code).toBe(2);
      expect(lint.stderr).toContain('no-such-branch: not a commit');
      const check = await kpic(repo.project, ['check', '--changed-since', 'no-such-branch']);
      expect(check.code).toBe(2);
    } finally {
      repo.cleanup();
    }
  });

  it('check --changed-since reports only the changed files', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/campaigns.kpi', CAMPAIGNS);
      repo.write('data/campaigns.csv', 'campaign_id\n1\n');
      const changed = await kpic(repo.project, ['check', '--changed-since', 'HEAD']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain('metrics/campaigns.kpi:7:5 error customer-reference');
      repo.commit('campaigns');
      const none = await kpic(repo.project, ['check', '--changed-since', 'HEAD']);
      expect(none.code).toBe(0);
      expect(none.stdout).not.toContain('customer-reference');
    } finally {
      repo.cleanup();
    }
  });
});
