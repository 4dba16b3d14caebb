// A KPI's `format` where people read values: `kpic alert` (table, markdown;
// json keeps raw numbers), `kpic report` and the catalog (`kpic docs
// --values`), on numbers worked out by hand.
//
//   month     tickets  escalated  rate                      revenue (format currency "EUR")
//   2024-01       200          9  9/200 = 0.045 -> 4.5%     1234.5 -> 1234.50 EUR
//   2024-02       100          3  3/100 = 0.03  -> 3.0%      600   ->  600.00 EUR
//
// The data covers 2024-01-01 to 2024-02-29, so February is the latest
// complete month. The rate fell by 1.5 percentage points, -33.3% relative;
// `warn > 4%` makes January warn and February ok.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';

const MODEL = `customer customers from "customers.csv" {
  key customer_id
}

source tickets from "tickets.csv" {
  key ticket_id
  customer customer_id
  time opened_at
  measure ticket_count = count()
  measure escalated_count = count() where escalated
  measure amount_sum = sum(amount)
}

kpi escalation_rate {
  title "Escalation rate"
  owner "support"
  numerator escalated_count
  denominator ticket_count
  grain month
  direction lower
  format percent decimals 1
  warn > 4%
  alert rate_fell {
    when change < -20%
  }
  alert rate_low {
    when value < 3.5%
    level warn
  }
}

kpi ticket_revenue {
  title "Ticket revenue"
  owner "support"
  numerator amount_sum
  grain month
  format currency "EUR"
}
`;

function tickets(): string {
  const rows = ['ticket_id,customer_id,opened_at,escalated,amount'];
  let id = 0;
  const month = (m: string, n: number, escalated: number, amounts: number[], lastDay: number) => {
    for (let i = 0; i < n; i++) {
      const day = i === n - 1 ? lastDay : 1 + (i % 28);
      rows.push(`t${++id},c1,2024-${m}-${String(day).padStart(2, '0')} 09:00:00,${i < escalated},${amounts[i] ?? 0}`);
    }
  };
  month('01', 200, 9, [1000, 234.5], 31);
  month('02', 100, 3, [600], 29);
  return `${rows.join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'kpic-formats-'));
mkdirSync(join(dir, 'data'));
writeFileSync(join(dir, 'kpic.yaml'), 'name: formats\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
writeFileSync(join(dir, 'model.kpi'), MODEL);
writeFileSync(join(dir, 'data', 'customers.csv'), 'customer_id\nc1\n');
writeFileSync(join(dir, 'data', 'tickets.csv'), tickets());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a KPI`s format where people read it', () => {
  it('kpic alert: table and markdown in percent, json raw', async () => {
    const table = await kpic(dir, ['alert', 'escalation_rate']);
    expect(table.code).toBe(4);
    const line = table.stdout.split('\n').find((l) => l.includes('rate_fell'))!;
    // value, previous, baseline in the KPI's percent; the change is a relative change (-33.3%).
    expect(line.split(/\s{2,}/).slice(3, 9)).toEqual(['(total)', '2024-02-01', '3.0%', '4.5%', '4.5%', '-33.3%']);
    // The threshold of a value condition reads in the KPI's format too (3.5%, not 0.035).
    const low = table.stdout.split('\n').find((l) => l.includes('rate_low'))!;
    expect(low.split(/\s{2,}/).slice(3, 6)).toEqual(['(total)', '2024-02-01', '3.0%']);
    expect(low).toContain('value < 3.5%');
    const markdown = await kpic(dir, ['alert', 'escalation_rate', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| (total) | 2024-02-01 | 3.0% | 4.5% | 4.5% | -33.3% |');
    const json = JSON.parse((await kpic(dir, ['alert', 'escalation_rate', '--format', 'json'])).stdout) as {
      breaches: { alert: string; value: number; previous_value: number; condition: string }[];
    };
    expect(json.breaches.map((b) => [b.alert, b.value, b.previous_value, b.condition])).toEqual([
      ['rate_fell', 0.03, 0.045, 'change < -20% against previous'],
      ['rate_low', 0.03, 0.045, 'value < 0.035'],
    ]);
  });

  it('kpic report: values in the format, a percent change in percentage points', async () => {
    const r = await kpic(dir, ['report']);
    expect(r.code).toBe(0);
    const rate = r.stdout.split('\n').find((l) => l.startsWith('| Escalation rate'))!;
    expect(rate).toContain('| 2024-02-01 | 3.0% | -1.5 pp (-33.3%) |');
    const revenue = r.stdout.split('\n').find((l) => l.startsWith('| Ticket revenue'))!;
    expect(revenue).toContain('| 2024-02-01 | 600.00 EUR | -634.50 EUR (-51.4%) |');
  });

  it('kpic docs --values: the headline, the latest periods and the chart axis in the format', async () => {
    const r = await kpic(dir, ['docs', '--out', 'site', '--values']);
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'site', 'kpi', 'escalation_rate.html'), 'utf8');
    expect(page).toMatch(/<span class="value">3\.0%<\/span> in 2024-02-01/);
    expect(page).toContain('<span class="num">4.5%</span>');
    expect(page).toContain('Bands on the chart: warn &gt; 4.0%.');
    // Axis ticks are labelled in percent (e.g. 3.5%), not as fractions (0.035).
    expect(page).toMatch(/>\d\.\d%<\/text>/);
    expect(page).not.toMatch(/>0\.0\d+<\/text>/);
    const revenue = readFileSync(join(dir, 'site', 'kpi', 'ticket_revenue.html'), 'utf8');
    expect(revenue).toMatch(/<span class="value">600\.00 EUR<\/span>/);
  });
});
