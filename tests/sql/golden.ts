// Golden SQL files: `tests/golden/<case>.sql`. A missing file fails the test
// (a deleted golden must not recreate itself); `UPDATE_GOLDEN=1` writes missing
// files and rewrites the others (docs/testing.md). Goldens are compiled
// with the fixed data root `/data`, so they do not depend on the machine.

import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from './duckdb.ts';

export const GOLDEN_ROOT = '/data';
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** The golden text of a case (written first when updating); a missing file throws. */
export function golden(name: string, actual: string): string {
  const path = join(GOLDEN_DIR, `${name}.sql`);
  if (process.env.UPDATE_GOLDEN !== '1' && !existsSync(path)) {
    throw new Error(
      `golden file tests/golden/${name}.sql is missing; run with UPDATE_GOLDEN=1 to write it, then review and commit it`,
    );
  }
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, `${actual}\n`);
  }
  return readFileSync(path, 'utf8').replace(/\n$/, '');
}

/**
 * Rows as tuples in column order, numbers made comparable: BIGINT and HUGEINT
 * text becomes a number, a DOUBLE is rounded to 9 decimals.
 */
export function tuples(rows: readonly Record<string, Json>[]): Json[][] {
  return rows.map((row) =>
    Object.values(row).map((v) => {
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
      if (typeof v === 'number') return Math.round(v * 1e9) / 1e9;
      return v;
    }),
  );
}
