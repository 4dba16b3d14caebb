// `kpic fmt` and `kpic fmt --check` through the CLI: the listing and diff,
// exit codes, idempotence, comments kept, atomic writes, refusals.

import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic, templateRepo } from './helpers.ts';

const UGLY = `# The campaign KPI.
kpi  clicks{grain month   # a trailing comment
  # an own-line comment
  numerator    signups
title 'Clicks'}
`;

const PRETTY = `# The campaign KPI.
kpi clicks {
  grain month  # a trailing comment
  # an own-line comment
  numerator signups
  title "Clicks"
}
`;

describe.concurrent('kpic fmt', () => {
  it('--check lists the files that would change with a diff, exits 1, and writes nothing', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/ugly.kpi', UGLY);
      const check = await kpic(repo.project, ['fmt', '--check']);
      expect(check.code).toBe(1);
      expect(check.stdout).toContain(
        'would reformat metrics/ugly.kpi\n--- a/metrics/ugly.kpi\n+++ b/metrics/ugly.kpi\n@@ -1,5 +1,7 @@\n',
      );
      expect(check.stdout).toContain('-kpi  clicks{grain month   # a trailing comment\n');
      expect(check.stdout).toContain('+kpi clicks {\n+  grain month  # a trailing comment\n');
      expect(check.stdout).toMatch(/1 file would be reformatted, 2 files already formatted; run `kpic fmt` to fix\n$/);
      expect(readFileSync(join(repo.project, 'metrics/ugly.kpi'), 'utf8')).toBe(UGLY);
    } finally {
      repo.cleanup();
    }
  });

  it('writes the canonical layout keeping every comment, and is idempotent', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/ugly.kpi', UGLY);
      chmodSync(join(repo.project, 'metrics/ugly.kpi'), 0o640);
      const fmt = await kpic(repo.project, ['fmt']);
      expect(fmt.code).toBe(0);
      expect(fmt.stdout).toBe('formatted metrics/ugly.kpi\n1 file reformatted, 2 files already formatted\n');
      expect(readFileSync(join(repo.project, 'metrics/ugly.kpi'), 'utf8')).toBe(PRETTY);
      // Written through a temporary file and a rename: no temporary file is left, the permissions are kept.
      expect(readdirSync(join(repo.project, 'metrics')).sort()).toEqual(['customers.kpi', 'nps.kpi', 'ugly.kpi']);
      expect(statSync(join(repo.project, 'metrics/ugly.kpi')).mode & 0o777).toBe(0o640);
      const again = await kpic(repo.project, ['fmt', '--check']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('0 files would be reformatted, 3 files already formatted\n');
    } finally {
      repo.cleanup();
    }
  });

  it('formats only the paths given', async () => {
    const repo = templateRepo();
    try {
      repo.write('metrics/ugly.kpi', UGLY);
      repo.write('metrics/other.kpi', UGLY.replace('clicks', 'other'));
      const fmt = await kpic(repo.project, ['fmt', 'metrics/ugly.kpi']);
      expect(fmt.code).toBe(0);
      expect(readFileSync(join(repo.project, 'metrics/ugly.kpi'), 'utf8')).toBe(PRETTY);
      expect(readFileSync(join(repo.project, 'metrics/other.kpi'), 'utf8')).toBe(UGLY.replace('clicks', 'other'));
      const missing = await kpic(repo.project, ['fmt', 'metrics/nope.kpi']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no such file or folder: metrics/nope.kpi');
    } finally {
      repo.cleanup();
    }
  });

  it('refuses to write a file it cannot format, leaving it byte for byte, and exits 1', async () => {
    const repo = templateRepo();
    try {
      const broken = 'kpi broken {\n  numerator signups\n  # kept\n  grain fortnight\n';
      repo.write('metrics/broken.kpi', broken);
      repo.write('metrics/ugly.kpi', UGLY);
      const fmt = await kpic(repo.project, ['fmt']);
      expect(fmt.code).toBe(1);
      expect(fmt.stderr).toContain('metrics/broken.kpi:');
      expect(fmt.stdout).toContain('1 file not formatted (see the errors above)');
      expect(readFileSync(join(repo.project, 'metrics/broken.kpi'), 'utf8')).toBe(broken);
      // The other files are still formatted.
      expect(readFileSync(join(repo.project, 'metrics/ugly.kpi'), 'utf8')).toBe(PRETTY);
    } finally {
      repo.cleanup();
    }
  });

  it('the init template is already formatted, so a new project passes fmt --check', async () => {
    const repo = templateRepo();
    try {
      writeFileSync(join(repo.project, 'README.md'), 'not a kpi file\n');
      const check = await kpic(repo.project, ['fmt', '--check']);
      expect(check.code).toBe(0);
    } finally {
      repo.cleanup();
    }
  });
});
