// Correctness: a rate of two counts of one source is a share only when the
// numerator counts a subset of what the denominator counts: its rows pass
// the denominator's filter (and more), fall in the same periods (same time
// column, same flow/snapshot kind), and are counted the same way. Otherwise
// the "share" can exceed 100%.
//
// Implication is checked syntactically: the denominator has no filter, or the
// numerator's filter is the denominator's AND-ed with more, or equal. That
// misses clever equivalences but never claims a subset that is not one.

import type { Measure, RExpr } from '../../semantic/model.ts';
import { structuralKey } from '../model-query.ts';
import { defineRule } from '../rule.ts';

const messages = {
  filter:
    'the numerator `{numerator}` counts rows the denominator `{denominator}` does not: its filter does not include the denominator\'s, so the rate can exceed 100%.',
  time:
    'the numerator `{numerator}` and the denominator `{denominator}` select their rows in time differently ({numeratorTime} against {denominatorTime}), so the numerator can count rows the denominator does not and the rate can exceed 100%.',
  counting:
    'the numerator `{numerator}` counts {numeratorCounts} while the denominator `{denominator}` counts {denominatorCounts}, so the rate can exceed 100%.',
  repeatFilter: 'repeat the denominator\'s filter in the numerator\'s: `where ({denominatorWhere}) and ...`.',
  sameTime: 'give both measures the same time column and the same `cumulative` / `at period` setting.',
  sameCounting: 'count the same thing in both, e.g. `count_distinct(...)` of the same column.',
} as const;

type MessageId = keyof typeof messages;

export const ratePopulation = defineRule<MessageId>({
  meta: {
    id: 'rate-population',
    defaultSeverity: 'warn',
    step: 'correctness',
    description: 'The numerator of a rate counts rows that are not among the denominator\'s, so the rate can exceed 100%.',
    messages,
    docs: 'docs/rules/rate-population.md',
  },
  check(context) {
    const { model } = context;
    for (const kpi of model.kpis.values()) {
      if (kpi.numerator?.kind !== 'measure' || kpi.denominator?.kind !== 'measure') continue;
      const numerator = model.measures.get(kpi.numerator.measure);
      const denominator = model.measures.get(kpi.denominator.measure);
      if (!numerator || !denominator || numerator.source.toLowerCase() !== denominator.source.toLowerCase()) continue;
      const finding = comparePopulations(numerator, denominator);
      if (!finding) continue;
      context.report({
        ...finding,
        data: { numerator: numerator.name, denominator: denominator.name, ...finding.data },
        file: kpi.file,
        span: kpi.numerator.span,
      });
    }
  },
});

interface Mismatch {
  readonly messageId: MessageId;
  readonly help: MessageId;
  readonly data: Readonly<Record<string, string>>;
}

function comparePopulations(numerator: Measure, denominator: Measure): Mismatch | undefined {
  // Sums and averages over counts are means (order value, tickets per customer), not shares.
  const numeratorCounts = countingOf(numerator);
  const denominatorCounts = countingOf(denominator);
  if (numeratorCounts === undefined || denominatorCounts === undefined) return undefined;
  if (!implies(numerator.where, denominator.where)) {
    return { messageId: 'filter', help: 'repeatFilter', data: { denominatorWhere: denominator.where ? printRExpr(denominator.where) : '' } };
  }
  if (timingOf(numerator) !== timingOf(denominator)) {
    return {
      messageId: 'time',
      help: 'sameTime',
      data: { numeratorTime: describeTiming(numerator), denominatorTime: describeTiming(denominator) },
    };
  }
  if (!countsWithin(numerator, denominator)) {
    return {
      messageId: 'counting',
      help: 'sameCounting',
      data: { numeratorCounts: numeratorCounts, denominatorCounts: denominatorCounts },
    };
  }
  return undefined;
}

/** What a count counts, for messages; `undefined` for aggregates that are not counts. */
function countingOf(measure: Measure): string | undefined {
  if (measure.aggregate === 'count') return measure.arg ? 'non-null values' : 'rows';
  if (measure.aggregate === 'count_distinct') return 'distinct values';
  return undefined;
}

/** Whether every row passing `numerator` passes `denominator`, judged from the AND-ed parts. */
function implies(numerator: RExpr | undefined, denominator: RExpr | undefined): boolean {
  if (denominator === undefined) return true;
  if (numerator === undefined) return false;
  const have = new Set(conjuncts(numerator).map(structuralKey));
  return conjuncts(denominator).every((part) => have.has(structuralKey(part)));
}

function conjuncts(expr: RExpr): RExpr[] {
  return expr.kind === 'binary' && expr.op === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** A count within the denominator's: the numerator never counts an item the denominator misses. */
function countsWithin(numerator: Measure, denominator: Measure): boolean {
  const sameArg = structuralKey(numerator.arg) === structuralKey(denominator.arg);
  if (denominator.aggregate === 'count' && !denominator.arg) return true;
  if (denominator.aggregate === 'count') return sameArg;
  return numerator.aggregate === 'count_distinct' && sameArg;
}

function timingOf(measure: Measure): string {
  return `${(measure.time ?? '').toLowerCase()}|${measure.cumulative}|${measure.at ?? ''}`;
}

function describeTiming(measure: Measure): string {
  // A snapshot's rows are those valid at an instant of the period, whatever its time column.
  if (measure.at) return `rows valid at period ${measure.at}`;
  const column = measure.time === undefined ? 'no time column' : `time \`${measure.time}\``;
  return measure.cumulative ? `${column}, cumulative` : column;
}

/** A filter for the help line, rebuilt from the resolved tree (the model keeps no source text). */
function printRExpr(expr: RExpr): string {
  switch (expr.kind) {
    case 'column':
    case 'dimension':
      return expr.path.length > 0 ? `${expr.source}.${expr.kind === 'column' ? expr.column : expr.name}` : expr.kind === 'column' ? expr.column : expr.name;
    case 'literal':
      return printLiteral(expr.value);
    case 'unary':
      return expr.op === 'not' ? `not ${printRExpr(expr.operand)}` : `-${printRExpr(expr.operand)}`;
    case 'binary':
      return `${printOperand(expr.left, expr.op)} ${expr.op} ${printOperand(expr.right, expr.op)}`;
    case 'in':
      return `${printRExpr(expr.operand)}${expr.negated ? ' not' : ''} in (${expr.values.map(printRExpr).join(', ')})`;
    case 'between':
      return `${printRExpr(expr.operand)}${expr.negated ? ' not' : ''} between ${printRExpr(expr.low)} and ${printRExpr(expr.high)}`;
    case 'is-null':
      return `${printRExpr(expr.operand)} is ${expr.negated ? 'not ' : ''}null`;
    case 'case':
      return 'case ... end';
    case 'call':
      return `${expr.func}(${expr.args.map(printRExpr).join(', ')})`;
  }
}

/** Parentheses where `and` and `or` mix, so the printed filter means what the model does. */
function printOperand(expr: RExpr, parentOp: string): string {
  const text = printRExpr(expr);
  const logical = expr.kind === 'binary' && (expr.op === 'and' || expr.op === 'or');
  return logical && expr.op !== parentOp ? `(${text})` : text;
}

function printLiteral(value: Extract<RExpr, { kind: 'literal' }>['value']): string {
  switch (value.kind) {
    case 'number':
      return value.text;
    case 'string':
      return JSON.stringify(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'date':
      return `date "${value.value}"`;
    case 'timestamp':
      return `timestamp "${value.value}"`;
    case 'duration':
      return `${value.amount} ${value.unit}s`;
  }
}
