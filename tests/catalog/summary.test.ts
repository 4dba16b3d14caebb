// The numbers the catalog and the report derive from a KPI's series: bands
// from thresholds, the latest complete period, the trend, since when a KPI is
// off target, segments in breach, the period a year before. Every expected
// value here is worked out by hand from the series written in the test.

import { describe, expect, it } from 'vitest';
import type { Kpi } from '../../compiler/index.ts';
import { bandsOf, domainOf } from '../../runtime/docs/charts.ts';
import { changeText } from '../../runtime/docs/report.ts';
import { periodContaining, summarise, yearBefore } from '../../runtime/docs/summary.ts';
import type { KpiValues, SeriesPoint } from '../../runtime/docs/values.ts';

const threshold = (level: 'target' | 'warn' | 'critical', op: '>=' | '<' | '=', value: string) =>
  ({ level, op, value, file: 'm.kpi', span: undefined as never }) as Kpi['thresholds'][number];

const KPI = {
  name: 'nps',
  direction: 'higher',
  thresholds: [threshold('target', '>=', '30'), threshold('warn', '<', '10'), threshold('critical', '<', '0')],
} as unknown as Kpi;

const point = (
  period: string,
  value: number | null,
  status: SeriesPoint['status'],
  incomplete = false,
): SeriesPoint => ({
  period,
  value,
  status,
  targetMet: null,
  incomplete,
});

describe('threshold bands', () => {
  it('spans each level from its threshold to the edge of the chart, within a domain holding values and thresholds', () => {
    const points = [point('2024-01-01', 50, 'ok'), point('2024-02-01', -25, 'critical')];
    // min(-25, 30, 10, 0) = -25, max = 50; padded by a tenth of 75 = 7.5 on each side.
    const domain = domainOf(KPI, points);
    expect(domain).toEqual([-32.5, 57.5]);
    const { bands, rules } = bandsOf(KPI, domain);
    expect(rules).toEqual([]);
    expect(bands).toEqual([
      { level: 'target', rule: '>= 30', from: 30, to: 57.5 },
      { level: 'warn', rule: '< 10', from: -32.5, to: 10 },
      { level: 'critical', rule: '< 0', from: -32.5, to: 0 },
    ]);
  });

  it('draws `=` thresholds as lines and leaves out thresholds that hold only for a segment', () => {
    const kpi = {
      ...KPI,
      thresholds: [threshold('target', '=', '5'), { ...threshold('warn', '<', '1'), for: {} }],
    } as unknown as Kpi;
    const { bands, rules } = bandsOf(kpi, [0, 10]);
    expect(bands).toEqual([]);
    expect(rules).toEqual([{ level: 'target', rule: '= 5', at: 5 }]);
  });
});

describe('summaries', () => {
  const values: KpiValues = {
    total: [
      point('2023-03-01', 20, 'warn'),
      point('2024-01-01', 50, 'ok'),
      point('2024-02-01', -25, 'critical'),
      point('2024-03-01', 0, 'warn'),
      point('2024-04-01', 100, 'ok', true),
    ],
    segments: [
      {
        dimension: 'tier',
        more: 0,
        series: [
          { segment: 'gold', points: [point('2024-03-01', 66.67, 'ok')] },
          { segment: 'silver', points: [point('2024-03-01', -100, 'critical'), point('2024-04-01', 100, 'ok', true)] },
        ],
      },
    ],
  };

  it('reads the latest complete period, the trend, the run off target and the segments in breach', () => {
    const summary = summarise(KPI, values);
    expect(summary.latest?.period).toBe('2024-03-01');
    expect(summary.previous?.period).toBe('2024-02-01');
    expect(summary.status).toBe('warn');
    expect(summary.trend).toBe('up');
    expect(summary.trendGood).toBe(true);
    expect(summary.offTargetSince).toEqual({ period: '2024-02-01', periods: 2 });
    expect(summary.breaches).toEqual([{ dimension: 'tier', segment: 'silver', status: 'critical', value: -100 }]);
    expect(summary.yearAgo?.value).toBe(20);
  });

  it('a KPI without values has no status', () => {
    expect(summarise(KPI, undefined)).toEqual({ status: 'none', breaches: [] });
  });

  it('finds the week a year before inside a weekly series', () => {
    expect(yearBefore('2024-12-23')).toBe('2023-12-23');
    const weeks = [point('2023-12-18', 1, null), point('2023-12-25', 2, null), point('2024-01-01', 3, null)];
    // 2023-12-23 is a Saturday in the week starting Monday 2023-12-18.
    expect(periodContaining(weeks, '2023-12-23')?.value).toBe(1);
    expect(periodContaining(weeks, '2023-12-10')).toBeUndefined();
  });

  it('writes changes with their sign and share', () => {
    expect(changeText(0, -25)).toBe('+25 (+100.0%)');
    expect(changeText(30, 40)).toBe('-10 (-25.0%)');
    expect(changeText(5, 0)).toBe('+5');
    expect(changeText(null, 3)).toBe('—');
  });
});
