// Targets per period from a table on a live PostgreSQL: the hand-worked
// months of tests/alerts/target-data.ts give the same statuses and
// target_met there as on DuckDB, and as worked out by hand.

import { mkdirSync, readdirSync, realpathSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, project } from '../alerts/target-data.ts';
import { kpic } from '../cli/helpers.ts';
import { ensureReader, loadCsvs, READER_ENV, skipReason } from '../support/postgres.ts';

const skip = skipReason();

describe.skipIf(skip !== undefined)('a target table on PostgreSQL', () => {
  const duckDir = project();
  const pgDir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-pg-targets-')));
  let env: Record<string, string>;

  beforeAll(async () => {
    const data = join(duckDir, 'data');
    await loadCsvs(
      'tgt',
      readdirSync(data).map((f) => join(data, f)),
    );
    env = { [READER_ENV]: await ensureReader(['tgt']) };
    mkdirSync(join(pgDir, '.git'));
    writeFileSync(join(pgDir, 'model.kpi'), MODEL.replace(/from "([a-z]+)\.csv"/g, 'from table $1'));
    writeFileSync(
      join(pgDir, 'kpic.yaml'),
      `name: targets\nmetrics: ["*.kpi"]\ndata:\n  engine: postgres\n  url_env: ${READER_ENV}\n  schema: tgt\n`,
    );
  }, 120_000);
  afterAll(() => {
    rmSync(duckDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  });

  it('status and target_met per month and region equal DuckDB`s and the hand-worked ones', async () => {
    const args = ['run', 'events_vs_goal', '--incomplete', '--format', 'csv'];
    const [duck, pg] = [await kpic(duckDir, args), await kpic(pgDir, args, { env })];
    expect(pg.code, pg.stderr).toBe(0);
    expect(pg.stdout).toBe(duck.stdout);
    const rows = pg.stdout
      .split('\r\n')
      .filter((l) => l !== '')
      .slice(1)
      .map((l) => l.split(','))
      .map((r) => [r[0], r[1], r[4], r[5], r[6]]);
    expect(rows).toEqual([
      ['2024-01-01', 'EU', '12', 'ok', 'true'],
      ['2024-01-01', 'US', '9', 'warn', 'false'],
      ['2024-02-01', 'EU', '15', 'warn', 'false'],
      ['2024-02-01', 'US', '13', 'ok', 'true'],
      ['2024-03-01', 'EU', '9', 'ok', 'true'],
      ['2024-03-01', 'US', '7', 'warn', 'false'],
      ['2024-04-01', 'EU', '3', 'ok', 'false'],
      ['2024-04-01', 'US', '6', 'ok', 'true'],
    ]);
    const total = ['run', 'events_goal_only', '--incomplete', '--format', 'csv'];
    expect((await kpic(pgDir, total, { env })).stdout).toBe((await kpic(duckDir, total)).stdout);
  }, 300_000);
});
