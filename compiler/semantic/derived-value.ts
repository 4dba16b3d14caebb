// A derived KPI's `value`: resolved with the rest of the model, so `lint`,
// `check`, `explain`, `list` and `docs` all see the same KPIs.
//
// Each KPI name must be a KPI of the project; the expression is arithmetic,
// the numeric functions, `previous`, `score` and `weighted_mean`. Cycles
// between derived KPIs are reported at the reference that closes them.
// What depends on the query (a grain for `previous`) is the planner's.

import type { ErrorCode } from '../codes.ts';
import type { Expr } from '../syntax/ast.ts';
import { asSafeInteger, isDecimalText, literalDecimal, negateDecimal } from './decimal.ts';
import type { DerivedExpr, DerivedNumericFunction, Kpi, RollupStatus } from './model.ts';
import { DERIVED_NUMERIC_FUNCTIONS, ROLLUP_STATUSES } from './model.ts';
import { didYouMean, reportError } from './report.ts';
import type { Sink } from './report.ts';
import { nameKey } from './names.ts';

const INVALID =
  "a derived KPI's `value` is arithmetic over KPIs and numbers, with `coalesce nullif abs round floor ceil least greatest`, `previous`, `score`, `weighted_mean`, `customer_mean` and `customer_share`.";

/** Convert a `value` expression; undefined (reported) when any part of it is invalid. */
export function resolveDerivedExpr(
  expr: Expr,
  file: string,
  kpiNames: ReadonlyMap<string, string>,
  sink: Sink,
): DerivedExpr | undefined {
  const error = (code: ErrorCode, span: Expr['span'], message: string, help?: string) =>
    reportError(sink, code, file, span, message, { help });

  const refTo = (ref: Expr, lag: number): DerivedExpr | undefined => {
    if (ref.kind !== 'ref' || ref.qualifier) {
      error(
        'invalid-expression',
        ref.span,
        '`previous` takes the name of a KPI (and a number of periods).',
        'e.g. `previous(weekly_logins)` or `previous(weekly_logins, 4)`',
      );
      return undefined;
    }
    const key = nameKey(ref.name.text);
    if (!kpiNames.has(key)) {
      error(
        'unknown-kpi',
        ref.span,
        `\`${ref.name.text}\` is not a KPI of the project; a derived KPI's \`value\` combines other KPIs.`,
        didYouMean(ref.name.text, kpiNames.values(), 'name a KPI, or declare one for this measure'),
      );
      return undefined;
    }
    return { kind: 'ref', kpi: key, lag, span: ref.span };
  };

  const convert = (e: Expr): DerivedExpr | undefined => {
    switch (e.kind) {
      case 'ref':
        return refTo(e, 0);
      case 'number':
        return isDecimalText(e.text) ? { kind: 'number', text: literalDecimal(e.text, e.percent) } : undefined;
      case 'unary': {
        if (e.op !== '-') break;
        const operand = convert(e.operand);
        return operand && { kind: 'negate', operand };
      }
      case 'binary': {
        if (e.op !== '+' && e.op !== '-' && e.op !== '*' && e.op !== '/') break;
        const left = convert(e.left);
        const right = convert(e.right);
        return left && right && { kind: 'arith', op: e.op, left, right };
      }
      case 'call':
        return convertCall(e);
      default:
        break;
    }
    error('invalid-expression', e.span, INVALID, 'move conditions into the measures of the KPIs it combines');
    return undefined;
  };

  const convertCall = (e: Extract<Expr, { kind: 'call' }>): DerivedExpr | undefined => {
    const func = e.callee.text.toLowerCase();
    const args = e.args;
    if (func === 'previous') {
      const lag = args.length === 2 ? wholeNumber(args[1]!) : args.length === 1 ? 1 : undefined;
      if (lag === undefined || lag < 1) {
        error(
          'invalid-expression',
          e.span,
          '`previous(KPI, N)` takes a KPI and a whole number of periods, 1 or more.',
          'e.g. `previous(weekly_logins)` or `previous(weekly_logins, 4)`',
        );
        return undefined;
      }
      return refTo(args[0]!, lag);
    }
    if (func === 'score') return convertScore(e);
    if (func === 'weighted_mean') return convertWeighted(e);
    if (func === 'customer_mean' || func === 'customer_share') return convertRollup(e, func);
    if ((DERIVED_NUMERIC_FUNCTIONS as readonly string[]).includes(func) && args.length > 0) {
      const converted = args.map(convert);
      if (converted.some((a) => a === undefined)) return undefined;
      return { kind: 'call', func: func as DerivedNumericFunction, args: converted as DerivedExpr[] };
    }
    error(
      'invalid-expression',
      e.callee.span,
      `\`${e.callee.text}\` cannot be used in a derived KPI's \`value\`.`,
      'use arithmetic, `coalesce nullif abs round floor ceil least greatest`, `previous`, `score`, `weighted_mean`, `customer_mean` or `customer_share`',
    );
    return undefined;
  };

  const convertScore = (e: Extract<Expr, { kind: 'call' }>): DerivedExpr | undefined => {
    const args = e.args;
    if (args.length !== 1 && args.length !== 3) {
      error(
        'invalid-expression',
        e.span,
        '`score` takes a value and optionally its bounds: `score(x, LOW, HIGH)` or `score(x)` (min-max over the segments).',
        'e.g. `score(nps, -100, 100)`',
      );
      return undefined;
    }
    const operand = convert(args[0]!);
    if (!operand) return undefined;
    if (args.length === 1) {
      if (hasMinMax(operand)) {
        error(
          'invalid-expression',
          e.span,
          'a min-max `score(x)` cannot contain another min-max `score`.',
          'give the inner score fixed bounds',
        );
        return undefined;
      }
      return { kind: 'score', operand };
    }
    const [low, high] = [signedNumber(args[1]!), signedNumber(args[2]!)];
    if (low === undefined || high === undefined || Number(low) === Number(high)) {
      error(
        'invalid-expression',
        e.span,
        '`score(x, LOW, HIGH)` takes two different numbers: the value scoring 0 and the value scoring 100.',
        'e.g. `score(tickets, 10, 0)` when fewer is better',
      );
      return undefined;
    }
    return { kind: 'score', operand, low, high };
  };

  // `customer_mean(kpi)`, `customer_share(kpi, critical)`: the KPI per customer, rolled up over each segment's customers.
  const convertRollup = (
    e: Extract<Expr, { kind: 'call' }>,
    func: 'customer_mean' | 'customer_share',
  ): DerivedExpr | undefined => {
    const args = e.args;
    const share = func === 'customer_share';
    const usage = share
      ? '`customer_share(KPI, STATUS)` takes a KPI and a status, `ok`, `warn` or `critical`: the share of the customers whose status is that.'
      : '`customer_mean(KPI)` takes one KPI: the mean of its value per customer.';
    const example = share
      ? 'e.g. `customer_share(customer_health, critical)`'
      : 'e.g. `customer_mean(customer_health)`';
    if (args.length !== (share ? 2 : 1) || args[0]!.kind !== 'ref' || args[0]!.qualifier) {
      error('invalid-expression', e.span, usage, example);
      return undefined;
    }
    let status: RollupStatus | undefined;
    if (share) {
      const word = args[1]!;
      const text = word.kind === 'ref' && !word.qualifier ? word.name.text : word.kind === 'string' ? word.value : '';
      status = ROLLUP_STATUSES.find((s) => s === text.toLowerCase());
      if (!status) {
        error('invalid-expression', word.span, usage, example);
        return undefined;
      }
    }
    const operand = refTo(args[0]!, 0);
    if (operand?.kind !== 'ref') return undefined;
    return { kind: 'rollup', rollup: share ? 'share' : 'mean', operand, span: e.span, ...(status ? { status } : {}) };
  };

  const convertWeighted = (e: Extract<Expr, { kind: 'call' }>): DerivedExpr | undefined => {
    const args = e.args;
    const terms: { expr: DerivedExpr; weight: string }[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) {
      const weight = signedNumber(args[i + 1]!);
      const inner = convert(args[i]!);
      if (weight === undefined || Number(weight) <= 0) {
        error(
          'invalid-expression',
          args[i + 1]!.span,
          'a weight of `weighted_mean` is a number above 0.',
          'e.g. `weighted_mean(score(nps, -100, 100), 3, score(logins), 1)`',
        );
        return undefined;
      }
      if (!inner) return undefined;
      terms.push({ expr: inner, weight });
    }
    if (args.length === 0 || args.length % 2 !== 0) {
      error(
        'invalid-expression',
        e.span,
        '`weighted_mean` takes pairs: a value, then its weight.',
        'e.g. `weighted_mean(score(nps, -100, 100), 3, score(logins), 1)`',
      );
      return undefined;
    }
    return { kind: 'weighted', terms };
  };

  return convert(expr);
}

/** The KPIs a derived expression reads, in order of first use, each with its references. */
export function derivedRefs(expr: DerivedExpr): Extract<DerivedExpr, { kind: 'ref' }>[] {
  const out: Extract<DerivedExpr, { kind: 'ref' }>[] = [];
  const stack: DerivedExpr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'ref':
        out.push(e);
        break;
      case 'negate':
      case 'score':
      case 'rollup':
        stack.push(e.operand);
        break;
      case 'arith':
        stack.push(e.right, e.left);
        break;
      case 'call':
        stack.push(...[...e.args].reverse());
        break;
      case 'weighted':
        stack.push(...e.terms.map((t) => t.expr).reverse());
        break;
      case 'number':
        break;
    }
  }
  return out;
}

/**
 * Find cycles among derived KPIs. Returns the keys of the KPIs on a cycle;
 * each cycle is reported once, at the reference that closes it, naming it
 * whole: ``KPI `a` depends on itself: a -> b -> a.``
 */
export function findKpiCycles(kpis: ReadonlyMap<string, Kpi>, sink: Sink): Set<string> {
  const onCycle = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (key: string): void => {
    state.set(key, 'open');
    path.push(key);
    const kpi = kpis.get(key)!;
    for (const ref of kpi.derived ? derivedRefs(kpi.derived) : []) {
      const seen = state.get(ref.kpi);
      if (seen === 'open') {
        const cycle = [...path.slice(path.indexOf(ref.kpi)), ref.kpi];
        for (const k of cycle) onCycle.add(k);
        const names = cycle.map((k) => kpis.get(k)?.name ?? k);
        reportError(
          sink,
          'kpi-cycle',
          kpi.file,
          ref.span,
          `KPI \`${kpis.get(ref.kpi)?.name ?? ref.kpi}\` depends on itself: ${names.join(' -> ')}.`,
          { help: 'a derived KPI may use only KPIs that do not, directly or through others, use it; break the cycle' },
        );
      } else if (seen === undefined && kpis.has(ref.kpi)) visit(ref.kpi);
    }
    path.pop();
    state.set(key, 'done');
  };
  for (const key of kpis.keys()) if (!state.has(key)) visit(key);
  return onCycle;
}

export function hasMinMax(expr: DerivedExpr): boolean {
  switch (expr.kind) {
    case 'score':
      return expr.low === undefined || hasMinMax(expr.operand);
    case 'negate':
      return hasMinMax(expr.operand);
    case 'arith':
      return hasMinMax(expr.left) || hasMinMax(expr.right);
    case 'call':
      return expr.args.some(hasMinMax);
    case 'weighted':
      return expr.terms.some((t) => hasMinMax(t.expr));
    default:
      return false;
  }
}

/** A number literal, possibly negated or a percentage, as exact decimal text. */
function signedNumber(expr: Expr): string | undefined {
  if (expr.kind === 'number') return isDecimalText(expr.text) ? literalDecimal(expr.text, expr.percent) : undefined;
  if (expr.kind === 'unary' && expr.op === '-') {
    const inner = signedNumber(expr.operand);
    return inner === undefined ? undefined : negateDecimal(inner);
  }
  return undefined;
}

function wholeNumber(expr: Expr): number | undefined {
  return expr.kind === 'number' && !expr.percent ? asSafeInteger(expr.text) : undefined;
}
