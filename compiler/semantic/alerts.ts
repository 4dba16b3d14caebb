// Alerts and display formats of a KPI: the items read into model data, with
// a diagnostic for every word or number that is not allowed
// (docs/alerts.md, docs/language.md).
//
//   alert enterprise_drop {                 ->  { name: 'enterprise_drop', by: [customer],
//     by customer                                 condition: { kind: 'change', op: '<', value: '-0.3',
//     when change < -30% against average 4                    baseline: 'average', periods: 4 },
//     escalate after 3 periods                    escalateAfter: 3, ... }
//   }

import type { AlertItem, KpiAlertItem, KpiFormatItem, NumberLit, Span } from '../syntax/ast.ts';
import { asSafeInteger, isDecimalText, literalDecimal } from './decimal.ts';
import { thresholdValue } from './kpi-items.ts';
import type { Alert, AlertCondition, DimensionName, ValueFormat } from './model.ts';
import { displayName } from './names.ts';
import { didYouMean, reportError } from './report.ts';
import type { Sink } from './report.ts';

const FORMAT_STYLES = ['percent', 'number', 'currency'] as const;
const SUBJECTS = ['status', 'value', 'change'] as const;
const STATUS_LEVELS = ['warn', 'critical'] as const;
const BASELINES = ['previous', 'average'] as const;
const UNITS = ['period', 'periods'];

/** `format percent decimals 1` -> `{ style: 'percent', decimals: 1 }`. */
export function readFormat(item: KpiFormatItem, file: string, sink: Sink): ValueFormat | undefined {
  const style = item.style.text.toLowerCase();
  if (!(FORMAT_STYLES as readonly string[]).includes(style)) {
    reportError(
      sink,
      'invalid-value',
      file,
      item.style.span,
      `\`${item.style.text}\` is not a format; it is one of \`percent\`, \`number\`, \`currency\`.`,
      { help: didYouMean(style, FORMAT_STYLES, 'e.g. `format percent decimals 1` or `format currency "EUR"`') },
    );
    return undefined;
  }
  if (item.unit !== undefined && style !== 'currency') {
    reportError(sink, 'invalid-value', file, item.unit.span, `only \`currency\` takes a unit; \`${style}\` does not.`, {
      help: `write \`format ${style}\`, or \`format currency "EUR"\``,
    });
    return undefined;
  }
  let decimals: number | undefined;
  if (item.decimals !== undefined) {
    if (item.decimals.word.text.toLowerCase() !== 'decimals') {
      reportError(
        sink,
        'syntax-error',
        file,
        item.decimals.word.span,
        `expected \`decimals\`, found \`${item.decimals.word.text}\`.`,
        { help: 'e.g. `format percent decimals 1`' },
      );
      return undefined;
    }
    decimals = wholeNumber(item.decimals.value);
    if (decimals === undefined || decimals > 12) {
      reportError(
        sink,
        'invalid-number',
        file,
        item.decimals.value.span,
        '`decimals` is a whole number from 0 to 12.',
        { help: 'e.g. `decimals 1`' },
      );
      return undefined;
    }
  }
  return {
    style: style as ValueFormat['style'],
    ...(style === 'currency' && item.unit ? { currency: item.unit.value } : {}),
    ...(decimals === undefined ? {} : { decimals }),
  };
}

/** An alert of a KPI; undefined (with diagnostics) when an item is wrong. */
export function readAlert(item: KpiAlertItem, owner: string | undefined, file: string, sink: Sink): Alert | undefined {
  const errors = sink.length;
  const error = (span: Span, message: string, help: string) =>
    reportError(sink, 'invalid-alert', file, span, message, { help });
  const seen = new Map<string, Span>();
  let condition: AlertCondition | undefined;
  let by: DimensionName[] | undefined;
  let where: Alert['where'];
  let forPeriods = 1;
  let level: Alert['level'] | undefined;
  let escalateAfter: number | undefined;
  let minBaseline: string | undefined;
  const roles: Record<'responsible' | 'accountable' | 'consulted' | 'informed', string[]> = {
    responsible: [],
    accountable: [],
    consulted: [],
    informed: [],
  };
  for (const part of item.items) {
    const key = singleKey(part);
    if (key !== undefined) {
      if (seen.has(key)) {
        reportError(
          sink,
          'duplicate-item',
          file,
          part.span,
          `alert \`${item.name.text}\` has more than one \`${key}\`; an alert takes one.`,
          { help: 'keep one of them' },
        );
        continue;
      }
      seen.set(key, part.span);
    }
    switch (part.kind) {
      case 'alert-by':
        by = part.dimensions.map((ref) =>
          ref.qualifier
            ? { qualifier: displayName(ref.qualifier.text), name: displayName(ref.name.text), span: ref.span }
            : { name: displayName(ref.name.text), span: ref.span },
        );
        break;
      case 'alert-where':
        where = part.expr;
        break;
      case 'alert-when':
        condition = readCondition(part, error);
        break;
      case 'alert-count': {
        if (part.field === 'min_baseline') {
          minBaseline = readMinBaseline(part, error);
          break;
        }
        const count = readCount(part, error);
        if (count === undefined) break;
        if (part.field === 'for') forPeriods = count;
        else escalateAfter = count;
        break;
      }
      case 'alert-level': {
        const word = part.value.text.toLowerCase();
        if ((STATUS_LEVELS as readonly string[]).includes(word)) level = word as Alert['level'];
        else
          error(
            part.value.span,
            `\`${part.value.text}\` is not an alert level; it is \`warn\` or \`critical\`.`,
            didYouMean(word, STATUS_LEVELS, 'write `level warn` or `level critical`')!,
          );
        break;
      }
      case 'alert-role':
        roles[part.role].push(...part.people.map((p) => p.value));
        break;
    }
  }
  if (!seen.has('when')) {
    error(
      item.name.span,
      `alert \`${item.name.text}\` has no \`when\`: it would never fire.`,
      'add e.g. `when status critical` or `when change < -30% against average 4`',
    );
  }
  if (condition?.kind === 'status' && level !== undefined && level !== condition.level) {
    error(
      seen.get('level')!,
      `alert \`${item.name.text}\` watches status \`${condition.level}\`, so its level is \`${condition.level}\`.`,
      'drop `level`, or change the status in `when`',
    );
  }
  if (minBaseline !== undefined && condition !== undefined && condition.kind !== 'change') {
    error(
      seen.get('min_baseline')!,
      `\`min_baseline\` is the least baseline a change is decided against; alert \`${item.name.text}\` watches no change.`,
      'drop `min_baseline`, or watch a change: `when change < -30% against average 4`',
    );
  }
  if (sink.length > errors || condition === undefined) return undefined;
  if (escalateAfter !== undefined && roles.accountable.length === 0) {
    sink.push({
      code: 'alert-escalates-to-nobody',
      severity: 'warn',
      file,
      span: seen.get('escalate')!,
      message: `alert \`${item.name.text}\` escalates after ${escalateAfter} period${escalateAfter === 1 ? '' : 's'}, but names no \`accountable\` role to tell.`,
      help: 'add `accountable "..."`, or drop `escalate after`',
    });
  }
  const responsible = roles.responsible.length > 0 ? roles.responsible : owner === undefined ? [] : [owner];
  return {
    name: displayName(item.name.text),
    ...(by ? { by } : {}),
    ...(where ? { where } : {}),
    condition,
    forPeriods,
    level: condition.kind === 'status' ? condition.level : (level ?? 'critical'),
    responsible,
    accountable: roles.accountable,
    consulted: roles.consulted,
    informed: roles.informed,
    ...(escalateAfter === undefined ? {} : { escalateAfter }),
    ...(minBaseline === undefined ? {} : { minBaseline }),
    file,
    span: item.span,
  };
}

function singleKey(part: AlertItem): string | undefined {
  switch (part.kind) {
    case 'alert-by':
      return 'by';
    case 'alert-where':
      return 'where';
    case 'alert-when':
      return 'when';
    case 'alert-count':
      return part.field;
    case 'alert-level':
      return 'level';
    default:
      return undefined;
  }
}

type ErrorAt = (span: Span, message: string, help: string) => void;

function readCondition(part: Extract<AlertItem, { kind: 'alert-when' }>, error: ErrorAt): AlertCondition | undefined {
  const subject = part.subject.text.toLowerCase();
  if (!(SUBJECTS as readonly string[]).includes(subject)) {
    error(
      part.subject.span,
      `an alert watches \`status\`, \`value\` or \`change\`, not \`${part.subject.text}\`.`,
      didYouMean(
        subject,
        SUBJECTS,
        'e.g. `when status critical`, `when value < 20`, `when change < -30% against average 4`',
      )!,
    );
    return undefined;
  }
  if (subject === 'status') {
    const word = part.status?.text.toLowerCase();
    if (word === undefined || !(STATUS_LEVELS as readonly string[]).includes(word)) {
      error(
        part.status?.span ?? part.span,
        'an alert on status watches `warn` (warn or critical) or `critical`.',
        'write `when status critical` or `when status warn`',
      );
      return undefined;
    }
    return { kind: 'status', level: word as 'warn' | 'critical' };
  }
  if (part.op === undefined || part.value === undefined) {
    error(
      part.span,
      `\`when ${subject}\` compares with a number.`,
      `e.g. \`when ${subject} < ${subject === 'change' ? '-30%' : '20'}\``,
    );
    return undefined;
  }
  const value = thresholdValue(part.value);
  if (value === undefined) {
    error(
      part.value.span,
      'an alert compares with a number, such as `20`, `-5` or `-30%`.',
      `e.g. \`when ${subject} < -30%\``,
    );
    return undefined;
  }
  if (subject === 'value') {
    if (part.against) {
      error(
        part.against.word.span,
        '`against` belongs to `when change`: the value itself has no baseline.',
        'write `when change < -30% against average 4`, or drop `against ...`',
      );
      return undefined;
    }
    return { kind: 'value', op: part.op, value };
  }
  if (part.against === undefined) return { kind: 'change', op: part.op, value, baseline: 'previous', periods: 1 };
  const { word, baseline, periods } = part.against;
  const base = baseline.text.toLowerCase();
  if (word.text.toLowerCase() !== 'against' || !(BASELINES as readonly string[]).includes(base)) {
    error(
      word.span,
      'a change is measured `against previous` (the period before) or `against average N` (the mean of the N periods before).',
      'e.g. `when change < -30% against average 4`',
    );
    return undefined;
  }
  if (base === 'previous') {
    if (periods !== undefined)
      error(
        periods.span,
        '`against previous` is the one period before; for several, use `against average N`.',
        'e.g. `against average 4`',
      );
    return periods === undefined ? { kind: 'change', op: part.op, value, baseline: 'previous', periods: 1 } : undefined;
  }
  const n = periods === undefined ? undefined : wholeNumber(periods);
  if (n === undefined || n < 1 || n > 104) {
    error(
      periods?.span ?? baseline.span,
      '`against average N` needs the number of periods before, 1 to 104.',
      'e.g. `against average 4`',
    );
    return undefined;
  }
  return { kind: 'change', op: part.op, value, baseline: 'average', periods: n };
}

function readCount(part: Extract<AlertItem, { kind: 'alert-count' }>, error: ErrorAt): number | undefined {
  const example = part.field === 'for' ? '`for 3 periods`' : '`escalate after 3 periods`';
  if (part.field === 'escalate' && part.after?.text.toLowerCase() !== 'after') {
    error(part.after?.span ?? part.span, 'write `escalate after N periods`.', `e.g. ${example}`);
    return undefined;
  }
  if (part.unit !== undefined && !UNITS.includes(part.unit.text.toLowerCase())) {
    error(part.unit.span, `counts are in periods of the KPI's grain, not \`${part.unit.text}\`.`, `e.g. ${example}`);
    return undefined;
  }
  const n = wholeNumber(part.count);
  if (n === undefined || n < 1 || n > 104) {
    error(part.count.span, `a number of periods from 1 to 104.`, `e.g. ${example}`);
    return undefined;
  }
  return n;
}

/** `min_baseline 5` (in the KPI's unit; `2%` for a rate): exact decimal text, 0 or more. */
function readMinBaseline(part: Extract<AlertItem, { kind: 'alert-count' }>, error: ErrorAt): string | undefined {
  const help = 'e.g. `min_baseline 5`: a change is decided only against a baseline of at least 5';
  if (part.unit !== undefined) {
    error(
      part.unit.span,
      `\`min_baseline\` is a value in the KPI's unit, not a number of \`${part.unit.text}\`.`,
      help,
    );
    return undefined;
  }
  if (!isDecimalText(part.count.text)) {
    error(part.count.span, '`min_baseline` is a number, 0 or more.', help);
    return undefined;
  }
  return literalDecimal(part.count.text, part.count.percent);
}

function wholeNumber(value: NumberLit): number | undefined {
  if (value.percent || !isDecimalText(value.text)) return undefined;
  return asSafeInteger(literalDecimal(value.text, false));
}
