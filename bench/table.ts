// The table format at 10,000 / 100,000 / 1,000,000 rows: time and peak
// memory (RSS) of formatting a per-customer result (period, customer id,
// tier, numerator, denominator, value, status, target_met).
//
//   node bench/table.ts            (each size in its own process, so peaks do not mix)

import { execFileSync } from 'node:child_process';
import { formatTable } from '../runtime/format/table.ts';
import type { ResultTable } from '../runtime/format/values.ts';

const SIZES = [10_000, 100_000, 1_000_000];

function result(rows: number): ResultTable {
  const tiers = ['gold', 'silver', 'bronze'];
  return {
    columns: ['period', 'customer_id', 'tier', 'numerator', 'denominator', 'value', 'status', 'target_met'],
    types: ['DATE', 'BIGINT', 'VARCHAR', 'BIGINT', 'BIGINT', 'DOUBLE', 'VARCHAR', 'BOOLEAN'],
    rows: Array.from({ length: rows }, (_, i) => {
      const d = (i % 97) + 1;
      const n = i % (d + 1);
      return [
        '2024-01-01',
        BigInt(i + 1),
        tiers[i % 3]!,
        BigInt(n),
        BigInt(d),
        (n * 100) / d,
        n * 100 >= 30 * d ? 'ok' : 'warn',
        n * 100 >= 30 * d,
      ];
    }),
    excluded: [],
  };
}

function measure(rows: number): void {
  const table = result(rows);
  const before = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const text = formatTable(table, { color: false });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      rows,
      ms: Math.round(ms),
      bytes: text.length,
      rssBeforeMiB: Math.round(before / 2 ** 20),
      peakRssMiB: Math.round(peak / 2 ** 20),
    }),
  );
}

const only = process.argv[2];
if (only !== undefined) measure(Number(only));
else {
  console.log('table format: rows, time to format, output size, peak RSS of the process (data included)');
  for (const rows of SIZES) {
    const line = execFileSync(process.execPath, [import.meta.filename, String(rows)], { encoding: 'utf8' }).trim();
    const r = JSON.parse(line) as { rows: number; ms: number; bytes: number; rssBeforeMiB: number; peakRssMiB: number };
    console.log(
      `  ${String(r.rows).padStart(9)} rows  ${String(r.ms).padStart(7)} ms  ${(r.bytes / 2 ** 20).toFixed(1).padStart(6)} MiB text  peak RSS ${r.peakRssMiB} MiB (${r.rssBeforeMiB} MiB before formatting)`,
    );
  }
}
