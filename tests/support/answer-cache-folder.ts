// Global setup: the engine's kept answers (runtime/cache/answers.ts) go
// to a folder of this test run, removed at its end, so tests neither read a
// developer's own cache nor leave thousands of entries for temporary projects.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'kpic-test-answers-'));
  process.env['KPIC_CACHE_DIR'] = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
