// Alert declarations (parse, format, resolve) and the evaluator and display
// formats on hand-worked numbers.

import { describe, expect, it } from 'vitest';
import { EMPTY_CATALOG, formatFile, parseFile, resolveProject } from '../../compiler/index.ts';
import type { Alert } from '../../compiler/index.ts';
import { evaluateAlert } from '../../runtime/alert/evaluate.ts';
import type { SeriesRow } from '../../runtime/alert/evaluate.ts';
import { alertJson, MAX_MESSAGE_LINES, messageText } from '../../runtime/alert/report.ts';
import { breachId, compareWithState, nextState, stateOf } from '../../runtime/alert/state.ts';
import { formatValue } from '../../runtime/format/display-format.ts';
import { catalogOf } from '../semantic/catalog-fixture.ts';
import { MODEL } from './data.ts';

function resolve(text: string) {
  const parsed = parseFile(text, 'm.kpi');
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return resolveProject([parsed.value], EMPTY_CATALOG, {});
}

describe('alert declarations', () => {
  it('resolve to the model: breakdown, condition, RACI, escalation', () => {
    const { value: model } = resolve(MODEL);
    const kpi = model.kpis.get('weekly_events')!;
    const alert = kpi.alerts![0]!;
    expect(alert.name).toBe('enterprise_drop');
    expect(alert.by?.map((d) => d.name)).toEqual(['customer']);
    expect(alert.condition).toEqual({ kind: 'change', op: '<', value: '-0.3', baseline: 'average', periods: 4 });
    expect([alert.forPeriods, alert.level, alert.escalateAfter]).toEqual([1, 'critical', 3]);
    expect([alert.responsible, alert.accountable, alert.informed, alert.consulted]).toEqual([
      ['csm-team'],
      ['cs-manager'],
      ['#cs-alerts'],
      [],
    ]);
  });

  it('responsible defaults to the owner; a status condition has its level', () => {
    const text = MODEL.replace(
      /alert enterprise_drop \{[^}]*\}/,
      'alert watch {\n    by customer\n    when status warn\n  }',
    );
    const alert = resolve(text).value.kpis.get('weekly_events')!.alerts![0]!;
    expect([alert.responsible, alert.level, alert.condition]).toEqual([
      ['customer-success'],
      'warn',
      { kind: 'status', level: 'warn' },
    ]);
  });

  it('wrong words and numbers are errors at their place', () => {
    const bad = MODEL.replace('when change < -30% against average 4', 'when chnage < -30% against average 4').replace(
      'escalate after 3 periods',
      'escalate after 0 periods',
    );
    const codes = resolve(bad)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => [d.code, d.span.start.line, d.message]);
    const line = (needle: string) => bad.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(codes).toEqual([
      ['invalid-alert', line('when chnage'), 'an alert watches `status`, `value` or `change`, not `chnage`.'],
      ['invalid-alert', line('escalate after 0'), 'a number of periods from 1 to 104.'],
    ]);
    const noGrain = resolve(MODEL.replace('grain week\n', '')).diagnostics.map((d) => d.code);
    expect(noGrain).toContain('alert-without-grain');
  });

  it('a `by` that names no dimension is an error at its place, with a did-you-mean; `customer` is the entity', () => {
    const bad = MODEL.replace('    by customer\n', '    by customer, teir, tier, tier\n');
    const line = bad.split('\n').findIndex((l) => l.includes('by customer, teir')) + 1;
    const text = bad.split('\n')[line - 1]!;
    const catalog = catalogOf({
      'file:customers.csv': { customer_id: 'text', tier: 'text' },
      'file:events.csv': { event_id: 'text', customer_id: 'text', at: 'timestamp' },
    });
    const errors = resolveProject([parseFile(bad, 'm.kpi').value], catalog, {})
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => [d.code, d.span.start.line, d.span.start.column, d.help]);
    expect(errors).toEqual([
      ['unknown-dimension', line, text.indexOf('teir') + 1, 'did you mean `tier`?'],
      ['duplicate-item', line, text.lastIndexOf('tier') + 1, 'list each dimension once'],
    ]);
    // Without a customer entity, `by customer` has nothing to watch.
    const noEntity = resolve(
      MODEL.replace('customer customers from', 'source customers from').replace('  customer customer_id\n', ''),
    ).diagnostics.filter((d) => d.code === 'invalid-alert');
    expect(noEntity.map((d) => d.message)).toEqual([
      'alert `enterprise_drop` watches each customer, and the project declares no customer entity.',
    ]);
  });

  it('`when status critical` on a KPI without a critical threshold would never fire', () => {
    const watch = (when: string) =>
      MODEL.replace('critical < 5', 'warn < 5').replace('when change < -30% against average 4', when);
    const never = resolve(watch('when status critical')).diagnostics.filter((d) => d.severity === 'error');
    expect(never.map((d) => [d.code, d.message])).toEqual([
      [
        'invalid-alert',
        'alert `enterprise_drop` watches status `critical`, and its KPI has no `critical` threshold: it would never fire.',
      ],
    ]);
    expect(resolve(watch('when status warn')).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('fmt prints the block canonically and again the same', () => {
    const messy = MODEL.replace(
      '  alert enterprise_drop {\n    by customer',
      '  alert   enterprise_drop{\n by customer',
    ).replace('escalate after 3 periods', 'escalate   after 3   periods');
    const once = formatFile(messy, 'm.kpi').value!;
    expect(once).toBe(MODEL.trimStart());
    expect(formatFile(once, 'm.kpi').value).toBe(once);
  });
});

const AVG4: Alert = {
  name: 'drop',
  condition: { kind: 'change', op: '<', value: '-0.3', baseline: 'average', periods: 4 },
  forPeriods: 1,
  level: 'critical',
  responsible: ['r'],
  accountable: ['a'],
  consulted: [],
  informed: [],
  escalateAfter: 3,
  file: 'm.kpi',
  span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } },
};
const P = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05'];
const rows = (customer: string, values: (number | null)[]): SeriesRow[] =>
  values.flatMap((value, i) =>
    value === null ? [] : [{ period: P[i]!, segments: { customer }, value, status: null }],
  );

describe('evaluateAlert on hand-worked series', () => {
  it('a partial first period is never a baseline', () => {
    // x: P0 is partial (2 events); P1..P4 = 10, 10, 10, 10; P5 = 6: -40% against 10, a breach.
    // Against P1..P4 it breaches; a window whose first period is P1 and partial has no baseline for P5.
    const series = rows('x', [2, 10, 10, 10, 10, 6]);
    const whole = evaluateAlert('k', AVG4, series, { periods: P, missingIsZero: true });
    expect(whole.map((b) => [b.baseline, b.change, b.periodsInBreach])).toEqual([[10, -0.4, 1]]);
    const partial = evaluateAlert('k', AVG4, series, { periods: P, partialFirst: P[1]!, missingIsZero: true });
    expect(partial).toEqual([]);
    // y: P1..P4 = 10 and P0 partial (2): P4's baseline would be (2+10+10+10)/4 = 8, and 10 is no fall; P5 = 5 is -50%.
    const y = evaluateAlert('k', AVG4, rows('y', [2, 10, 10, 10, 10, 5]), {
      periods: P,
      partialFirst: P[0]!,
      missingIsZero: true,
    });
    expect(y.map((b) => [b.baseline, b.change, b.periodsInBreach, b.atLeast])).toEqual([[10, -0.5, 1, false]]);
  });

  it('a missing row is 0 for counts, no value otherwise', () => {
    const z = rows('z', [4, 4, 4, 4, 4, null]);
    expect(evaluateAlert('k', AVG4, z, { periods: P, missingIsZero: true }).map((b) => [b.value, b.change])).toEqual([
      [0, -1],
    ]);
    expect(evaluateAlert('k', AVG4, z, { periods: P, missingIsZero: false })).toEqual([]);
  });

  it('for N periods, and a run that escalates', () => {
    const prev: Alert = { ...AVG4, condition: { kind: 'value', op: '<', value: '5' }, forPeriods: 2 };
    // w: 9, 9, 9, 4, 3, 2: below 5 in P3, P4, P5: three periods, escalated after 3.
    const w = evaluateAlert('k', prev, rows('w', [9, 9, 9, 4, 3, 2]), { periods: P, missingIsZero: false });
    expect(w.map((b) => [b.periodsInBreach, b.escalated, b.atLeast])).toEqual([[3, true, false]]);
    // v: below 5 only in P5: one period, not the two in a row asked for.
    expect(evaluateAlert('k', prev, rows('v', [9, 9, 9, 9, 9, 2]), { periods: P, missingIsZero: false })).toEqual([]);
  });

  it('min_baseline: a fall against a baseline below it is not decided', () => {
    // big: 20 a week, then 13: -35% against 20. small: 1, 0, 1, 0, then 0: -100% against 0.5. edge: 5 a week, then 3: -40% against 5.
    const series = [
      ...rows('big', [20, 20, 20, 20, 20, 13]),
      ...rows('small', [1, 1, 0, 1, 0, 0]),
      ...rows('edge', [5, 5, 5, 5, 5, 3]),
    ];
    const window = { periods: P, missingIsZero: true };
    const all = evaluateAlert('k', AVG4, series, window).map((b) => [b.segments['customer'], b.baseline, b.change]);
    expect(all).toEqual([
      ['big', 20, -0.35],
      ['edge', 5, -0.4],
      ['small', 0.5, -1],
    ]);
    const floor = evaluateAlert('k', { ...AVG4, minBaseline: '5' }, series, window);
    // The baseline 5 is at the floor, so `edge` is still decided.
    expect(floor.map((b) => b.segments['customer'])).toEqual(['big', 'edge']);
  });

  it('a chat message names at most 50 breaches and counts the rest; the structured report keeps all', () => {
    // 60 accounts, each 10 a week then 5: -50% against 10, one breach each.
    const many = Array.from({ length: 60 }, (_, i) => rows(`c${String(i).padStart(2, '0')}`, [10, 10, 10, 10, 10, 5]));
    const breaches = evaluateAlert('k', AVG4, many.flat(), { periods: P, missingIsZero: true });
    expect(breaches).toHaveLength(60);
    const report = { breaches, evaluated: [{ kpi: 'k', period: P[5]!, alerts: 1 }] };
    const lines = messageText(report, breachId).split('\n');
    expect(lines).toHaveLength(MAX_MESSAGE_LINES + 2);
    expect(lines[0]).toContain('customer=c00');
    expect(lines[49]).toContain('customer=c49');
    expect(lines[50]).toBe('... and 10 more (all are in `breaches`)');
    expect(lines[51]).toMatch(/^60 breaches/);
    expect((alertJson(report, breachId) as { breaches: unknown[] }).breaches).toHaveLength(60);
  });

  it('state: new, ongoing, resolved', () => {
    const first = evaluateAlert(
      'k',
      AVG4,
      [...rows('a', [10, 10, 10, 10, 10, 5]), ...rows('b', [10, 10, 10, 10, 10, 5])],
      { periods: P, missingIsZero: true },
    );
    const state = stateOf(first);
    const second = evaluateAlert(
      'k',
      AVG4,
      [...rows('b', [10, 10, 10, 10, 10, 5]), ...rows('c', [10, 10, 10, 10, 10, 5])],
      { periods: P, missingIsZero: true },
    );
    const { states, resolved } = compareWithState(state, second, new Set(['k']));
    expect([...states.values()]).toEqual(['ongoing', 'new']);
    expect(resolved.map((r) => r.segments['customer'])).toEqual(['a']);
    expect(nextState(state, second, new Set(['k'])).breaches.map((b) => b.segments['customer'])).toEqual(['b', 'c']);
    // A KPI not evaluated keeps its breaches.
    expect(compareWithState(state, [], new Set()).resolved).toEqual([]);
    expect(nextState(state, [], new Set()).breaches).toHaveLength(2);
  });
});

describe('display formats', () => {
  it('percent, number and currency, by hand', () => {
    expect(formatValue(0.045, { style: 'percent' })).toBe('4.5%');
    expect(formatValue(-0.33333, { style: 'percent' })).toBe('-33.33%');
    expect(formatValue(0.5, { style: 'percent', decimals: 1 })).toBe('50.0%');
    expect(formatValue(24.39024, { style: 'number', decimals: 1 })).toBe('24.4');
    expect(formatValue('1234.5', { style: 'currency', currency: 'EUR' })).toBe('1234.50 EUR');
    expect(formatValue(null, { style: 'percent' })).toBe(null);
  });

  it('a KPI whose thresholds are written in % reads as a percent; `format` wins', () => {
    const pct = resolve(MODEL.replace('critical < 5', 'critical < 4%')).value.kpis.get('weekly_events')!;
    expect(pct.format).toEqual({ style: 'percent' });
    const own = resolve(MODEL.replace('critical < 5', 'critical < 4%\n  format number decimals 2')).value.kpis.get(
      'weekly_events',
    )!;
    expect(own.format).toEqual({ style: 'number', decimals: 2 });
    const bad = resolve(MODEL.replace('critical < 5', 'format percnt')).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    expect(bad.map((d) => [d.code, d.help])).toEqual([['invalid-value', 'did you mean `percent`?']]);
  });
});

describe('optional words at the end of a line', () => {
  it('`format percent`, `when change < -30%`, `for 2` and `escalate after 3` end where the line ends', () => {
    const text = MODEL.replace('critical < 5', 'format percent')
      .replace('when change < -30% against average 4', 'when change < -30%')
      .replace('escalate after 3 periods', 'for 2\n    escalate after 3');
    const { value: model, diagnostics } = resolve(text);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const kpi = model.kpis.get('weekly_events')!;
    expect(kpi.format).toEqual({ style: 'percent' });
    const alert = kpi.alerts![0]!;
    expect([alert.condition, alert.forPeriods, alert.escalateAfter]).toEqual([
      { kind: 'change', op: '<', value: '-0.3', baseline: 'previous', periods: 1 },
      2,
      3,
    ]);
    expect(formatFile(text, 'm.kpi').value).toBe(text.trimStart());
  });
});

describe('min_baseline in a declaration', () => {
  it('reads a number in the KPI`s unit, prints back, and belongs to a change condition', () => {
    const text = MODEL.replace('    escalate after 3 periods\n', '    escalate after 3 periods\n    min_baseline 5\n');
    const resolved = resolve(text);
    expect(resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(resolved.value.kpis.get('weekly_events')!.alerts![0]!.minBaseline).toBe('5');
    const once = formatFile(text, 'm.kpi').value!;
    expect(once).toContain('\n    min_baseline 5\n');
    expect(formatFile(once, 'm.kpi').value).toBe(once);
    const onStatus = text.replace('when change < -30% against average 4', 'when status critical');
    const line = onStatus.split('\n').findIndex((l) => l.includes('min_baseline')) + 1;
    expect(
      resolve(onStatus)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => [d.code, d.span.start.line]),
    ).toEqual([['invalid-alert', line]]);
    const twice = text.replace('    min_baseline 5\n', '    min_baseline 5\n    min_baseline 2\n');
    expect(resolve(twice).diagnostics.map((d) => d.code)).toContain('duplicate-item');
  });
});

describe('escalation without an accountable role', () => {
  it('is a warning at the escalate item', () => {
    const text = MODEL.replace('    accountable "cs-manager"\n', '');
    const warnings = resolve(text).diagnostics.filter((d) => d.code === 'alert-escalates-to-nobody');
    const line = text.split('\n').findIndex((l) => l.includes('escalate after')) + 1;
    expect(warnings.map((d) => [d.severity, d.span.start.line])).toEqual([['warn', line]]);
  });
});
