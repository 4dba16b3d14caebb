// Reading a KPI's items into fields: single-valued items once, words from
// their allowed lists, numbers as exact decimal text.

import type { ColumnRef, Expr, KpiAlertItem, KpiDecl, KpiItem, NumberLit, Span, StringLit } from '../syntax/ast.ts';
import type { DurationUnit } from '../syntax/ast.ts';
import { asSafeInteger, isDecimalText, literalDecimal, negateDecimal } from './decimal.ts';
import type { DimensionName, Threshold, ValueFormat } from './model.ts';
import { readFormat } from './alerts.ts';
import { didYouMean, formatPlace, reportError } from './report.ts';
import type { Sink } from './report.ts';
import { displayName, nameKey } from './names.ts';

export const KPI_WORDS = {
  perspective: ['customer', 'company'],
  indicator: ['leading', 'lagging'],
  grain: ['day', 'week', 'month', 'quarter', 'year'],
  direction: ['higher', 'lower'],
  status: ['draft', 'active', 'deprecated'],
  periods: ['complete', 'all'],
} as const;

type WordField = keyof typeof KPI_WORDS;

/** The KPI's items, read but not yet resolved against measures and dimensions. */
export interface KpiFields {
  text: Partial<Record<'title' | 'description' | 'owner' | 'customer_value', string>>;
  words: Partial<Record<WordField, string>>;
  exprs: Partial<Record<'numerator' | 'denominator' | 'value' | 'where', Expr>>;
  exprSpans: Partial<Record<'numerator' | 'denominator' | 'value' | 'where', Span>>;
  scale?: string;
  minSample?: number;
  version?: number;
  window?: { amount: number; unit: DurationUnit };
  cohort?: DimensionName;
  segments: DimensionName[];
  segmentRefs: ColumnRef[];
  thresholds: Threshold[];
  /** `target >= TABLE.COLUMN`: the threshold (in `thresholds`) and the reference, resolved with the sources. */
  tableRefs: { threshold: Threshold; ref: ColumnRef }[];
  replacedBy?: { text: string; span: Span };
  tags: string[];
  alerts: KpiAlertItem[];
  format?: ValueFormat;
}

/** Read every item of a KPI, reporting duplicates and invalid values. */
export function readKpiItems(decl: KpiDecl, file: string, sink: Sink): KpiFields {
  const fields: KpiFields = {
    text: {},
    words: {},
    exprs: {},
    exprSpans: {},
    segments: [],
    segmentRefs: [],
    thresholds: [],
    tableRefs: [],
    tags: [],
    alerts: [],
  };
  const seen = new Map<string, Span>();
  for (const item of decl.items ?? []) {
    if (!item) continue;
    const single = singleKey(item);
    if (single) {
      const first = seen.get(single);
      if (first) {
        reportError(
          sink,
          'duplicate-item',
          file,
          item.span,
          `\`${decl.name.text}\` has more than one \`${single}\`; a KPI takes one.`,
          { help: 'keep one of them', notes: [`first one: ${formatPlace(file, first)}`] },
        );
        continue;
      }
      seen.set(single, item.span);
    }
    readItem(item, file, sink, fields);
  }
  return fields;
}

function singleKey(item: KpiItem): string | undefined {
  switch (item.kind) {
    case 'kpi-text':
    case 'kpi-word':
    case 'kpi-expr':
    case 'kpi-number':
      return item.field;
    case 'kpi-window':
      return 'window';
    case 'kpi-cohort':
      return 'cohort';
    case 'kpi-replaced-by':
      return 'replaced_by';
    case 'kpi-format':
      return 'format';
    default:
      return undefined;
  }
}

function readItem(item: KpiItem, file: string, sink: Sink, fields: KpiFields): void {
  switch (item.kind) {
    case 'kpi-text':
      fields.text[item.field] = item.value?.value ?? '';
      return;
    case 'kpi-word': {
      const allowed: readonly string[] = KPI_WORDS[item.field] ?? [];
      const word = item.value?.text?.toLowerCase() ?? '';
      if (allowed.includes(word)) fields.words[item.field] = word;
      else {
        reportError(
          sink,
          'invalid-value',
          file,
          item.value?.span ?? item.span,
          `\`${item.value?.text}\` is not a valid \`${item.field}\`; it is one of ${allowed.map((w) => `\`${w}\``).join(', ')}.`,
          { help: didYouMean(word, allowed, `write one of ${allowed.join(', ')}`) },
        );
      }
      return;
    }
    case 'kpi-expr':
      fields.exprs[item.field] = item.expr;
      fields.exprSpans[item.field] = item.span;
      return;
    case 'kpi-number':
      readNumber(item.field, item.value, item.span, file, sink, fields);
      return;
    case 'kpi-segment':
      for (const ref of item.dimensions ?? []) addSegment(ref, file, sink, fields);
      return;
    case 'kpi-cohort': {
      const ref = item.dimension;
      if (ref?.kind !== 'ref' || !ref.name?.text) return;
      const name = displayName(ref.name.text);
      fields.cohort = ref.qualifier
        ? { qualifier: displayName(ref.qualifier.text), name, span: ref.span }
        : { name, span: ref.span };
      return;
    }
    case 'kpi-window': {
      const amount = asSafeInteger(item.duration?.amount ?? '');
      if (amount === undefined || amount === 0) {
        reportError(
          sink,
          'invalid-number',
          file,
          item.duration?.span ?? item.span,
          'a window is a positive whole number of hours, days, weeks, months, quarters or years.',
          { help: 'e.g. `window 28 days`' },
        );
      } else fields.window = { amount, unit: item.duration.unit };
      return;
    }
    case 'kpi-threshold': {
      if (item.value?.kind === 'ref') {
        readTableThreshold(fields, item, item.value, file, sink);
        return;
      }
      const value = thresholdValue(item.value);
      if (value === undefined) {
        reportError(
          sink,
          'invalid-number',
          file,
          item.value?.span ?? item.span,
          `a \`${item.level}\` compares the KPI's value with a number, such as \`40\`, \`-5\` or \`2%\`.`,
          { help: `write e.g. \`${item.level} >= 40\`` },
        );
        return;
      }
      const threshold: Threshold = {
        level: item.level,
        op: item.op,
        value,
        file,
        span: item.span,
        ...(item.from ? { from: item.from.date } : {}),
      };
      fields.thresholds.push(item.for ? { ...threshold, for: item.for } : threshold);
      return;
    }
    case 'kpi-replaced-by':
      if (item.kpi?.text) fields.replacedBy = { text: item.kpi.text, span: item.kpi.span };
      return;
    case 'kpi-tags':
      fields.tags.push(...(item.tags ?? []).map((tag: StringLit) => tag.value));
      return;
    case 'kpi-alert':
      fields.alerts.push(item);
      return;
    case 'kpi-format': {
      const format = readFormat(item, file, sink);
      if (format) fields.format = format;
      return;
    }
    default:
      return;
  }
}

function readNumber(
  field: 'scale' | 'min_sample' | 'version',
  value: NumberLit | undefined,
  itemSpan: Span,
  file: string,
  sink: Sink,
  fields: KpiFields,
): void {
  const text = value && isDecimalText(value.text) ? literalDecimal(value.text, value.percent) : undefined;
  if (field === 'scale') {
    if (text !== undefined && text !== '0') fields.scale = text;
    else
      reportError(
        sink,
        'invalid-number',
        file,
        value?.span ?? itemSpan,
        '`scale` multiplies the value and must be a number other than 0.',
        { help: 'e.g. `scale 100` for points or percent' },
      );
    return;
  }
  const integer = text !== undefined && !value?.percent ? asSafeInteger(text) : undefined;
  if (integer === undefined) {
    reportError(
      sink,
      'invalid-number',
      file,
      value?.span ?? itemSpan,
      `\`${field}\` must be a whole number, 0 or more.`,
      { help: field === 'version' ? 'e.g. `version 2`' : 'e.g. `min_sample 30`' },
    );
    return;
  }
  if (field === 'min_sample') fields.minSample = integer;
  else fields.version = integer;
}

function addSegment(ref: ColumnRef, file: string, sink: Sink, fields: KpiFields): void {
  if (ref?.kind !== 'ref' || !ref.name?.text) return;
  const idOf = (r: ColumnRef) => `${r.qualifier ? nameKey(r.qualifier.text) : ''}.${nameKey(r.name.text)}`;
  const id = idOf(ref);
  const first = fields.segmentRefs.find((r) => idOf(r) === id);
  if (first) {
    reportError(sink, 'duplicate-item', file, ref.span, `\`${ref.name.text}\` is already in \`segment by\`.`, {
      help: 'list each dimension once',
      notes: [`first one: ${formatPlace(file, first.span)}`],
    });
    return;
  }
  fields.segmentRefs.push(ref);
  // Stored NFC-normalised, as the model's names are: the planner matches them with `toLowerCase()`.
  const name = displayName(ref.name.text);
  fields.segments.push(
    ref.qualifier ? { qualifier: displayName(ref.qualifier.text), name, span: ref.span } : { name, span: ref.span },
  );
}

/** `target >= nps_targets.target`: kept with its reference; kpis.ts resolves the table. */
function readTableThreshold(
  fields: KpiFields,
  item: Extract<KpiItem, { kind: 'kpi-threshold' }>,
  ref: ColumnRef,
  file: string,
  sink: Sink,
): void {
  if (!ref.qualifier) {
    reportError(
      sink,
      'invalid-number',
      file,
      ref.span,
      `a \`${item.level}\` compares the KPI's value with a number, such as \`40\`, or with a target table's column, \`TABLE.COLUMN\`; \`${ref.name.text}\` is neither.`,
      { help: `write e.g. \`${item.level} >= 40\` or \`${item.level} >= targets.${ref.name.text}\`` },
    );
    return;
  }
  const threshold: Threshold = {
    level: item.level,
    op: item.op,
    value: `${ref.qualifier.text}.${ref.name.text}`,
    file,
    span: item.span,
    ...(item.from ? { from: item.from.date } : {}),
    ...(item.for ? { for: item.for } : {}),
  };
  fields.thresholds.push(threshold);
  fields.tableRefs.push({ threshold, ref });
}

/** A threshold's number: a literal, possibly negated or a percentage, as exact decimal text. */
export function thresholdValue(expr: Expr | undefined): string | undefined {
  if (expr?.kind === 'number') return isDecimalText(expr.text) ? literalDecimal(expr.text, expr.percent) : undefined;
  if (expr?.kind === 'unary' && expr.op === '-') {
    const inner = thresholdValue(expr.operand);
    return inner === undefined ? undefined : negateDecimal(inner);
  }
  return undefined;
}
