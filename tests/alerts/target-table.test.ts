// Targets per period from a table (`target >= event_targets.goal`), through
// the real CLI, on the hand-worked data of target-data.ts.

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/index.ts';
import { kpic } from '../cli/helpers.ts';
import { MODEL, project } from './target-data.ts';

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
