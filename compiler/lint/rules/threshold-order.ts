// Correctness: thresholds that contradict the direction report the wrong
// status. With `direction higher` low values are bad, so `warn` and
// `critical` compare with `<`/`<=`, `critical` lies below `warn`, and the
// target lies at or above the warning level; `direction lower` mirrors it.
//
// Thresholds are compared like for like: those of one `for` segment with
// each other, falling back level by level to the general ones (the most
// specific threshold of a level wins, so a segment's `critical` meets the
// general `warn`). Without a `direction`, the thresholds must at least agree
// with each other on which way is bad.

import type { KpiDecl } from '../../syntax/ast.ts';
import type { Kpi, Threshold } from '../../semantic/model.ts';
import { compareDecimal } from '../decimal-order.ts';
import { printThreshold, structuralKey } from '../model-query.ts';
import { defineRule } from '../rule.ts';
import type { Finding } from '../rule.ts';

type Direction = 'higher' | 'lower';

const messages = {
  alertWrongSide:
    '`{threshold}` raises an alert for {side} values, but KPI `{kpi}` has `direction {direction}`: {side} values are the good ones.',
  targetWrongSide:
    '`{threshold}` is met by {side} values, but KPI `{kpi}` has `direction {direction}`: {side} values are the bad ones.',
  flipSide: 'flip the comparison (`{flipped}`), or correct the `direction`.',
  criticalNotWorse:
    '`{critical}` is not worse than `{warn}`: with `direction {direction}` every value that would warn is already critical, so the warning never applies.',
  targetOverlaps:
    '`{target}` overlaps `{alert}`: with `direction {direction}` some values meet the target and raise an alert at once.',
  order: 'with `direction {direction}` order the levels `{order}`, e.g. by swapping the two numbers.',
  mixed:
    'the thresholds of KPI `{kpi}` point both ways: `{first}` treats {firstBad} values as bad, `{second}` treats {secondBad} values as bad.',
  addDirection: 'add `direction higher` or `direction lower` and make every threshold agree with it.',
} as const;

type MessageId = keyof typeof messages;

export const thresholdOrder = defineRule<MessageId>({
  meta: {
    id: 'threshold-order',
    defaultSeverity: 'error',
    step: 'correctness',
    description: 'Thresholds contradict the direction (e.g. `direction higher` with `critical` above `warn`).',
    messages,
    docs: 'docs/rules/threshold-order.md',
  },
  check(context) {
    for (const kpi of context.model.kpis.values()) {
      const decl = context.kpiDecl(kpi);
      const ordered = kpi.thresholds.filter((t) => t.op !== '=' && t.op !== '!=' && t.table === undefined);
      const findings = checkKpi(kpi, decl, ordered);
      for (const finding of findings) context.report(finding);
    }
  },
});

function checkKpi(kpi: Kpi, decl: KpiDecl | undefined, thresholds: readonly Threshold[]): Finding<MessageId>[] {
  const text = (t: Threshold): string => printThreshold(t, decl);
  const at = (t: Threshold) => ({ file: t.file, span: t.span });
  if (kpi.direction === undefined) {
    // Which way is bad, according to the first threshold; any other that disagrees is reported.
    const first = thresholds[0];
    if (!first) return [];
    const bad = badSide(first);
    const other = thresholds.find((t) => badSide(t) !== bad);
    if (!other) return checkOrder(thresholds, bad === 'low' ? 'higher' : 'lower', text);
    return [
      {
        messageId: 'mixed',
        help: 'addDirection',
        data: { kpi: kpi.name, first: text(first), firstBad: bad, second: text(other), secondBad: badSide(other) },
        ...at(other),
      },
    ];
  }
  const direction = kpi.direction;
  const badValues = direction === 'higher' ? 'low' : 'high';
  const findings: Finding<MessageId>[] = [];
  for (const t of thresholds) {
    if (badSide(t) === badValues) continue;
    findings.push({
      messageId: t.level === 'target' ? 'targetWrongSide' : 'alertWrongSide',
      help: 'flipSide',
      data: {
        threshold: text(t),
        side: t.level === 'target' ? badValues : badValues === 'low' ? 'high' : 'low',
        kpi: kpi.name,
        direction,
        flipped: text({ ...t, op: flipOp(t.op) }),
      },
      ...at(t),
    });
  }
  const agreeing = thresholds.filter((t) => badSide(t) === badValues);
  return [...findings, ...checkOrder(agreeing, direction, text)];
}

/** Which values a threshold treats as bad: an alert's own side, or the side a target excludes. */
function badSide(t: Threshold): 'low' | 'high' {
  const below = t.op === '<' || t.op === '<=';
  if (t.level === 'target') return below ? 'high' : 'low';
  return below ? 'low' : 'high';
}

function flipOp(op: Threshold['op']): Threshold['op'] {
  const flips: Record<Threshold['op'], Threshold['op']> = {
    '<': '>=',
    '<=': '>',
    '>': '<=',
    '>=': '<',
    '=': '!=',
    '!=': '=',
  };
  return flips[op];
}

/** Ordering within each `for` group; every threshold here agrees with `direction`. */
function checkOrder(
  thresholds: readonly Threshold[],
  direction: Direction,
  text: (t: Threshold) => string,
): Finding<MessageId>[] {
  const groups = new Map<string, Threshold[]>();
  for (const t of thresholds) {
    const key = t.for === undefined ? '' : structuralKey(t.for);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const general = groups.get('') ?? [];
  const order = direction === 'higher' ? 'critical < warn < target' : 'target < warn < critical';
  const findings: Finding<MessageId>[] = [];
  for (const [key, own] of groups) {
    const level = (name: Threshold['level']): Threshold[] => {
      const mine = own.filter((t) => t.level === name);
      return mine.length > 0 || key === '' ? mine : general.filter((t) => t.level === name);
    };
    // Pairs made only of general thresholds are checked once, in the general group.
    const isOwn = (t: Threshold): boolean => key === '' || own.includes(t);
    const pairs = (a: Threshold[], b: Threshold[]): [Threshold, Threshold][] =>
      a.flatMap((x) => b.map((y): [Threshold, Threshold] => [x, y])).filter(([x, y]) => isOwn(x) || isOwn(y));
    for (const [critical, warn] of pairs(level('critical'), level('warn'))) {
      if (!contains(critical, warn, direction)) continue;
      findings.push({
        messageId: 'criticalNotWorse',
        help: 'order',
        data: { critical: text(critical), warn: text(warn), direction, order },
        ...placeOf(critical, warn, isOwn),
      });
    }
    for (const [target, alert] of pairs(level('target'), [...level('warn'), ...level('critical')])) {
      if (!overlaps(target, alert, direction)) continue;
      findings.push({
        messageId: 'targetOverlaps',
        help: 'order',
        data: { target: text(target), alert: text(alert), direction, order },
        ...placeOf(target, alert, isOwn),
      });
    }
  }
  return findings;
}

/** The first threshold's place, unless only the second belongs to the group being checked. */
function placeOf(first: Threshold, second: Threshold, isOwn: (t: Threshold) => boolean) {
  const t = !isOwn(first) && isOwn(second) ? second : first;
  return { file: t.file, span: t.span };
}

/** Whether the alert region of `outer` holds all of `inner`'s (both on the bad side of `direction`). */
function contains(outer: Threshold, inner: Threshold, direction: Direction): boolean {
  const cmp = compareDecimal(outer.value, inner.value);
  const reachesFurther = direction === 'higher' ? cmp > 0 : cmp < 0;
  return reachesFurther || (cmp === 0 && (isInclusive(outer) || !isInclusive(inner)));
}

/** Whether some value meets the target and falls in the alert region. */
function overlaps(target: Threshold, alert: Threshold, direction: Direction): boolean {
  const cmp = compareDecimal(target.value, alert.value);
  const crosses = direction === 'higher' ? cmp < 0 : cmp > 0;
  return crosses || (cmp === 0 && isInclusive(target) && isInclusive(alert));
}

function isInclusive(t: Threshold): boolean {
  return t.op === '<=' || t.op === '>=';
}
