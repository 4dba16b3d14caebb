// `kpic diff --base REF` on a temporary git repository: parts changed and
// their classification, impact, the version rule, the three formats, and
// `--values` against numbers worked out by hand.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic, templateRepo } from './helpers.ts';
import type { Repo } from './helpers.ts';

function edit(repo: Repo, path: string, from: string, to: string): void {
  const text = readFileSync(join(repo.project, path), 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  repo.write(path, text.replace(from, to));
}

describe.concurrent('kpic diff', () => {
  it('fails on a breaking change to an active KPI without a version increase, and passes with one', async () => {
    const repo = templateRepo();
    try {
      edit(
        repo,
        'metrics/customers.kpi',
        'measure promoters = count() where nps >= 9',
        'measure promoters = count() where nps >= 8',
      );
      const text = await kpic(repo.project, ['diff', '--base', 'HEAD']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('~ nps (metrics/nps.kpi:1) active, version 1 BREAKING\n');
      expect(text.stdout).toContain(
        'measure promoters  promoters = count() where nps >= 9 -> promoters = count() where nps >= 8  [breaking]',
      );
      expect(text.stdout).toContain('measure promoters changed (where); KPIs nps');
      expect(text.stdout).toContain('metrics/nps.kpi:1:5 error breaking-change-without-version');
      expect(text.stdout).toContain('hint: add `version 2` to the KPI');
      // new_customers reads only `signups`: untouched.
      expect(text.stdout).not.toContain('new_customers');

      edit(repo, 'metrics/nps.kpi', '  scale 100\n', '  scale 100\n  version 2\n');
      const bumped = await kpic(repo.project, ['diff', '--base', 'HEAD']);
      expect(bumped.code).toBe(0);
      expect(bumped.stdout).toContain('~ nps (metrics/nps.kpi:1) active, version 1 -> 2 BREAKING');
      expect(bumped.stdout).not.toContain('error');
    } finally {
      repo.cleanup();
    }
  });

  it('classifies each part of a KPI and lists what depends on a changed source', async () => {
    const repo = templateRepo();
    try {
      edit(repo, 'metrics/nps.kpi', 'owner "growth"', 'owner "marketing"');
      edit(repo, 'metrics/nps.kpi', 'target >= 30', 'target >= 35');
      edit(repo, 'metrics/nps.kpi', 'segment by tier\n', 'segment by tier, region\n');
      edit(repo, 'metrics/customers.kpi', 'check nps between 0 and 10', 'check nps between 1 and 10');
      const json = await kpic(repo.project, ['diff', '--base', 'HEAD', '--format', 'json']);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as {
        base: string;
        kpis: {
          name: string;
          change: string;
          breaking: boolean;
          parts: { part: string; breaking: boolean; before?: string; after?: string }[];
        }[];
        definitions: { kind: string; name: string; parts: string[]; measures: string[]; kpis: string[] }[];
        findings: { code: string; kpi: string; line: number }[];
      };
      expect(report.base).toBe('HEAD');
      const nps = report.kpis.find((k) => k.name === 'nps')!;
      expect(nps.parts).toEqual([
        { part: 'segments', breaking: true, before: 'tier', after: 'tier, region' },
        {
          part: 'thresholds',
          breaking: false,
          before: 'target >= 30; warn < 10; critical < 0',
          after: 'target >= 35; warn < 10; critical < 0',
        },
        { part: 'source surveys', breaking: true, after: 'checks' },
      ]);
      const growth = report.kpis.find((k) => k.name === 'new_customers')!;
      expect(growth).toMatchObject({
        change: 'changed',
        breaking: false,
        parts: [{ part: 'owner', breaking: false, before: 'growth', after: 'marketing' }],
      });
      expect(report.definitions).toEqual([
        expect.objectContaining({
          kind: 'source',
          name: 'surveys',
          parts: ['checks'],
          measures: ['detractors', 'promoters', 'responses'],
          kpis: ['nps'],
        }),
      ]);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'breaking-change-without-version', kpi: 'nps', line: 1 }),
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('writes a markdown report for a pull-request comment, with added and removed KPIs', async () => {
    const repo = templateRepo();
    try {
      const text = readFileSync(join(repo.project, 'metrics/nps.kpi'), 'utf8');
      const start = text.indexOf('kpi new_customers');
      repo.write(
        'metrics/nps.kpi',
        `${text.slice(0, start)}kpi nps_gold {\n  title "NPS | gold"\n  numerator promoters\n  denominator responses\n  where tier = "gold"\n}\n`,
      );
      const md = await kpic(repo.project, ['diff', '--base', 'HEAD', '--format', 'markdown']);
      expect(md.code).toBe(0);
      expect(md.stdout).toMatch(
        /^### kpic diff against `HEAD`\n\n0 KPIs changed, 1 added, 1 removed; 0 with breaking changes\n/,
      );
      expect(md.stdout).toContain('> **Warning** `metrics/nps.kpi:18` KPI `new_customers` was active and is removed');
      expect(md.stdout).toContain(
        '| KPI | change | status | breaking | what changed |\n| --- | --- | --- | --- | --- |\n',
      );
      expect(md.stdout).toContain('| `new_customers` | removed | active | no |  |');
      expect(md.stdout).toContain('| `nps_gold` | added | active | no |  |');
    } finally {
      repo.cleanup();
    }
  });

  it('--values runs the old and the new definition: NPS of March moves from 25 to 50', async () => {
    const repo = templateRepo();
    try {
      edit(repo, 'metrics/customers.kpi', 'where nps >= 9', 'where nps >= 8');
      edit(repo, 'metrics/nps.kpi', '  scale 100\n', '  scale 100\n  version 2\n');
      const values = await kpic(repo.project, ['diff', '--base', 'HEAD', '--values']);
      expect(values.code).toBe(0);
      // March 2024: responses 108 (8), 109 (9), 110 (5), 111 (10); 112 (11) fails the check.
      // Before: promoters 109, 111; detractors 110: (2 - 1) / 4 * 100 = 25.
      // After (>= 8): promoters 108, 109, 111: (3 - 1) / 4 * 100 = 50.
      expect(values.stdout).toContain('latest values (base -> working tree):\n  nps 2024-03-01: 25 -> 50\n');
    } finally {
      repo.cleanup();
    }
  });

  it('says nothing changed when nothing did, and refuses a bad ref', async () => {
    const repo = templateRepo();
    try {
      const same = await kpic(repo.project, ['diff', '--base', 'HEAD']);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain('no changes to the metric definitions');
      const bad = await kpic(repo.project, ['diff', '--base', 'nope']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--base nope: not a commit in this repository');
      const missing = await kpic(repo.project, ['diff']);
      expect(missing.code).toBe(2);
    } finally {
      repo.cleanup();
    }
  });
});
