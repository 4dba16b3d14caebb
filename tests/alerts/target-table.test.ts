// Targets per period from a table (`target >= event_targets.goal`), through
// the real CLI, on data worked out by hand.
//
// Events per region and month (the data covers 2024-01-01 to 2024-04-10, so
// April is incomplete and March is the latest complete month):
//
//   month   EU  US  total   targets.csv (month, region, goal)
//   Jan     12   9     21   2024-01-01, (any), 10
//   Feb     15  13     28   2024-02-01, (any), 12   and   2024-02-01, EU, 20
//   Mar      9   7     16   2024-03-15, (any), 8    (any date in the month)
//   Apr      3   6      9   no row: the KPI's `target >= 5` applies, or nothing
//
// target_met per region: Jan EU 12>=10 yes, US 9>=10 no; Feb EU 15>=20 no (its
// own row wins), US 13>=12 yes; Mar EU 9>=8 yes, US 7>=8 no; Apr EU 3>=5 no,
// US 6>=5 yes. `warn < event_targets.goal` has no fallback: April is ok.
// The total (no region) uses only the rows without a region: 21>=10, 28>=12,
// 16>=8, and April has no target.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/index.ts';
import { kpic } from '../cli/helpers.ts';

const MODEL = `customer customers from "customers.csv" {
  key customer_id
  dimension region
}

source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure event_count = count()
}

source event_targets from "targets.csv" {
  time month
  dimension region
}

kpi events_vs_goal {
  owner "sales-ops"
  numerator event_count
  format number decimals 1
  grain month
  segment by region
  target >= event_targets.goal
  target >= 5
  warn < event_targets.goal
  alert below_goal {
    by region
    when status warn
  }
}

kpi events_goal_only {
  owner "sales-ops"
  numerator event_count
  grain month
  target >= event_targets.goal
}
`;

const COUNTS: Record<string, number[]> = { c1: [12, 15, 9, 3], c2: [9, 13, 7, 6] };

function events(): string {
  const rows = ['event_id,customer_id,at'];
  let id = 0;
  for (const [customer, counts] of Object.entries(COUNTS)) {
    counts.forEach((n, month) => {
      for (let j = 0; j < n; j++) {
        // April runs to the 10th only; the data starts at 2024-01-01 00:00 (c1's first event).
        const day = 1 + (j % (month === 3 ? 10 : 28));
        rows.push(
          `e${++id},${customer},2024-0${month + 1}-${String(day).padStart(2, '0')} 00:${String(j).padStart(2, '0')}:00`,
        );
      }
    });
  }
  return `${rows.join('\n')}\n`;
}

function project(model = MODEL): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-targets-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'kpic.yaml'), 'name: targets\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
  writeFileSync(join(dir, 'model.kpi'), model);
  writeFileSync(join(dir, 'data', 'customers.csv'), 'customer_id,region\nc1,EU\nc2,US\n');
  writeFileSync(
    join(dir, 'data', 'targets.csv'),
    'month,region,goal\n2024-01-01,,10\n2024-02-01,,12\n2024-02-01,EU,20\n2024-03-15,,8\n',
  );
  writeFileSync(join(dir, 'data', 'events.csv'), events());
  return dir;
}

const dir = project();
const dirs = [dir];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function csv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.split('\r\n').filter((l) => l !== '');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

describe('targets per period from a table', () => {
  it('each month and region uses its own row; a month without a row falls back to the KPI`s number', async () => {
    const r = await kpic(dir, ['run', 'events_vs_goal', '--incomplete', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(csv(r.stdout).map((row) => [row.period, row.region, row.value, row.status, row.target_met])).toEqual([
      ['2024-01-01', 'EU', '12', 'ok', 'true'],
      ['2024-01-01', 'US', '9', 'warn', 'false'],
      ['2024-02-01', 'EU', '15', 'warn', 'false'],
      ['2024-02-01', 'US', '13', 'ok', 'true'],
      ['2024-03-01', 'EU', '9', 'ok', 'true'],
      ['2024-03-01', 'US', '7', 'warn', 'false'],
      ['2024-04-01', 'EU', '3', 'ok', 'false'],
      ['2024-04-01', 'US', '6', 'ok', 'true'],
    ]);
  });

  it('without a fallback, a month without a row has no target; the total reads only the rows for every region', async () => {
    const r = await kpic(dir, ['run', 'events_goal_only', '--incomplete', '--format', 'csv']);
    expect(csv(r.stdout).map((row) => [row.period, row.value, row.target_met])).toEqual([
      ['2024-01-01', '21', 'true'],
      ['2024-02-01', '28', 'true'],
      ['2024-03-01', '16', 'true'],
      ['2024-04-01', '9', ''],
    ]);
  });

  it('an alert on status uses the target in force in the latest complete month: US in March (7 < 8)', async () => {
    const r = await kpic(dir, ['alert', '--format', 'json']);
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as { breaches: { segments: object; period: string; value: number }[] };
    expect(report.breaches.map((b) => [b.segments, b.period, b.value])).toEqual([[{ region: 'US' }, '2024-03-01', 7]]);
    // People read the KPI's `format number decimals 1` in table and markdown; json above keeps the raw 7.
    const table = await kpic(dir, ['alert']);
    const line = table.stdout.split('\n').find((l) => l.includes('region=US'))!;
    expect(line.split(/\s{2,}/).slice(4, 7)).toEqual(['2024-03-01', '7.0', '13.0']);
    const markdown = await kpic(dir, ['alert', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| region=US | 2024-03-01 | 7.0 | 13.0 |');
  });

  it('fmt keeps a table threshold as written, with `from` and `for`', () => {
    const text = MODEL.replace(
      'target >= 5\n',
      'target >= 5\n  critical < event_targets.goal from 2024-02-01 for region = "EU"\n',
    );
    const once = formatFile(text, 'm.kpi').value!;
    expect(once).toContain('  target >= event_targets.goal\n');
    expect(once).toContain('  critical < event_targets.goal from 2024-02-01 for region = "EU"\n');
    expect(formatFile(once, 'm.kpi').value).toBe(once);
  });

  it('a wrong table is an error at its place: unknown source, no `time`, unqualified, no grain, not a column', async () => {
    const cases: [string, string, string, string][] = [
      [
        'target >= event_targets.goal',
        'target >= event_target.goal',
        'event_target.goal',
        'did you mean `event_targets`?',
      ],
      ['target >= event_targets.goal', 'target >= customers.goal', 'customers.goal', '`customers` has no `time`'],
      [
        '  grain month\n  target >= event_targets.goal',
        '  target >= event_targets.goal',
        'event_targets.goal',
        'no `grain`',
      ],
      ['target >= event_targets.goal', 'target >= goal', 'goal', 'is neither'],
      ['target >= event_targets.goal', 'target >= event_targets.gaol', 'gaol', 'did you mean `goal`?'],
    ];
    for (const [from, to, at, text] of cases) {
      const model = MODEL.replace(/kpi events_vs_goal[\s\S]*?\n}\n\n/, '').replace(from, to);
      const d = project(model);
      dirs.push(d);
      const r = await kpic(d, ['check']);
      expect(r.code).toBe(1);
      const line = model.split('\n').findIndex((l) => l.includes(to)) + 1;
      const column = model.split('\n')[line - 1]!.indexOf(at) + 1;
      expect(r.stdout, r.stdout).toContain(`model.kpi:${line}:${column} error`);
      expect(r.stdout).toContain(text);
    }
  });
});
