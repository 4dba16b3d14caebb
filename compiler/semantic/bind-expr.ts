// Binding a row-level expression: every reference resolved, every node typed.
//
// A subtree that cannot be bound yields undefined; its parent keeps binding
// its other children (to report their problems too) but skips type checks
// that would only repeat the first error.

import type { BinaryExpr, CallExpr, CaseExpr, Expr, Span } from '../syntax/ast.ts';
import type { ScalarType } from './catalog.ts';
import { literalDecimal, isDecimalText } from './decimal.ts';
import { FUNCTION_SIGNATURES, TIME_UNITS, maxArity, paramKindAt } from './functions.ts';
import type { FunctionSignature } from './functions.ts';
import type { RExpr } from './model.ts';
import { AGG_FUNCS, SCALAR_FUNCTIONS } from './model.ts';
import type { BindContext } from './bind-ref.ts';
import { bindRef, sourceName } from './bind-ref.ts';
import { didYouMean, reportError } from './report.ts';
import {
  areCompatible,
  classOf,
  commonType,
  describeType,
  isBooleanLike,
  isDateText,
  isNumeric,
  isTemporal,
  isTextLike,
  isTimestampText,
} from './types.ts';

/** Bind an expression evaluated once per row of `ctx.root`. Aggregates are refused. */
export function bindRow(ctx: BindContext, expr: Expr | undefined): RExpr | undefined {
  if (!expr || typeof expr !== 'object') return undefined;
  switch (expr.kind) {
    case 'ref':
      return bindRef(ctx, expr);
    case 'number':
      if (!isDecimalText(expr.text))
        return invalidLiteral(
          ctx,
          expr.span,
          `\`${expr.text}\` is not a number.`,
          'write digits with an optional decimal point, e.g. `42`, `3.5` or `2%`',
        );
      return literal(
        { kind: 'number', text: literalDecimal(expr.text, expr.percent) },
        expr.percent || expr.text.includes('.') ? 'decimal' : 'integer',
        expr.span,
      );
    case 'string':
      return literal({ kind: 'string', value: expr.value }, 'text', expr.span);
    case 'boolean':
      return literal({ kind: 'boolean', value: expr.value }, 'boolean', expr.span);
    case 'null':
      return literal({ kind: 'null' }, 'null', expr.span);
    case 'date':
      if (!isDateText(expr.value))
        return invalidLiteral(
          ctx,
          expr.span,
          `\`${expr.value}\` is not a date: dates are written \`date "YYYY-MM-DD"\` and must exist in the calendar.`,
          'e.g. `date "2024-01-31"`',
        );
      return literal({ kind: 'date', value: expr.value }, 'date', expr.span);
    case 'timestamp':
      if (!isTimestampText(expr.value))
        return invalidLiteral(
          ctx,
          expr.span,
          `\`${expr.value}\` is not a timestamp: write \`timestamp "YYYY-MM-DD HH:MM:SS"\`.`,
          'e.g. `timestamp "2024-01-31 12:00:00"`',
        );
      return literal({ kind: 'timestamp', value: expr.value }, 'timestamp', expr.span);
    case 'duration':
      if (!/^\d+$/.test(expr.amount))
        return invalidLiteral(
          ctx,
          expr.span,
          `a duration's amount must be a whole number, not \`${expr.amount}\`.`,
          'e.g. `7 days` or `3 months`',
        );
      return literal({ kind: 'duration', amount: expr.amount, unit: expr.unit }, 'interval', expr.span);
    case 'unary':
      return bindUnary(ctx, expr.op, bindRow(ctx, expr.operand), expr.span);
    case 'binary':
      return bindBinary(ctx, expr);
    case 'in': {
      const operand = bindRow(ctx, expr.operand);
      const values = (expr.values ?? []).map((value) => bindRow(ctx, value));
      if (!operand || values.some((v) => !v)) return undefined;
      const unified = values.map((value) => unify(ctx, operand, value!, value!.span, 'be listed with'));
      if (unified.some((u) => !u)) return undefined;
      return {
        kind: 'in',
        operand,
        values: unified.map((u) => u![1]),
        negated: expr.negated,
        type: 'boolean',
        span: expr.span,
      };
    }
    case 'between': {
      const operand = bindRow(ctx, expr.operand);
      const low = bindRow(ctx, expr.low);
      const high = bindRow(ctx, expr.high);
      if (!operand || !low || !high) return undefined;
      const lowPair = unify(ctx, operand, low, low.span, 'be compared with');
      const highPair = unify(ctx, operand, high, high.span, 'be compared with');
      if (!lowPair || !highPair) return undefined;
      return {
        kind: 'between',
        operand,
        low: lowPair[1],
        high: highPair[1],
        negated: expr.negated,
        type: 'boolean',
        span: expr.span,
      };
    }
    case 'is-null': {
      const operand = bindRow(ctx, expr.operand);
      return operand && { kind: 'is-null', operand, negated: expr.negated, type: 'boolean', span: expr.span };
    }
    case 'case':
      return bindCase(ctx, expr);
    case 'call':
      return bindCall(ctx, expr);
    default:
      return undefined;
  }
}

/** Report `type-mismatch` unless `expr` is a boolean (or of unknown type). */
export function expectBoolean(ctx: BindContext, expr: RExpr | undefined, what: string): RExpr | undefined {
  if (!expr || isBooleanLike(expr.type)) return expr;
  mismatch(
    ctx,
    expr.span,
    `${what} must be true or false, but this is ${describeType(expr.type)}.`,
    'write a condition, e.g. `amount > 0` or `status = "paid"`',
  );
  return undefined;
}

function literal(value: Extract<RExpr, { kind: 'literal' }>['value'], type: ScalarType, span: Span): RExpr {
  return { kind: 'literal', value, type, span };
}

function invalidLiteral(ctx: BindContext, span: Span, message: string, help: string): undefined {
  reportError(ctx.sink, 'invalid-literal', ctx.file, span, message, { help });
  return undefined;
}

function mismatch(ctx: BindContext, span: Span, message: string, help?: string): undefined {
  reportError(ctx.sink, 'type-mismatch', ctx.file, span, message, { help });
  return undefined;
}

function bindUnary(ctx: BindContext, op: '-' | 'not', operand: RExpr | undefined, span: Span): RExpr | undefined {
  if (!operand) return undefined;
  if (op === 'not') {
    if (!isBooleanLike(operand.type))
      return mismatch(
        ctx,
        operand.span,
        `\`not\` needs a boolean, but this is ${describeType(operand.type)}.`,
        'negate a condition, e.g. `not renewed` or `not (amount > 0)`',
      );
    return { kind: 'unary', op, operand, type: 'boolean', span };
  }
  const cls = classOf(operand.type);
  if (cls !== 'number' && cls !== 'interval' && cls !== 'any')
    return mismatch(
      ctx,
      operand.span,
      `\`-\` needs a number, but this is ${describeType(operand.type)}.`,
      'negate numbers or durations only',
    );
  return { kind: 'unary', op, operand, type: operand.type === 'null' ? 'unknown' : operand.type, span };
}

/**
 * A chain `a + b + c + ...` parses left-deep, as deep as it is long: walk its
 * left spine with an explicit stack, binding each right operand in turn, so
 * a long chain does not take one stack frame per term.
 */
function bindBinary(ctx: BindContext, expr: BinaryExpr): RExpr | undefined {
  const spine: BinaryExpr[] = [];
  let node: Expr | undefined = expr;
  while (node && typeof node === 'object' && node.kind === 'binary') {
    spine.push(node);
    node = node.left;
  }
  let left = bindRow(ctx, node);
  for (let i = spine.length - 1; i >= 0; i--) {
    const link = spine[i]!;
    const right = bindRow(ctx, link.right);
    left = combineBinary(ctx, link, left, right);
  }
  return left;
}

/** Type-check one binary operator over its bound operands (undefined when either failed). */
function combineBinary(
  ctx: BindContext,
  expr: BinaryExpr,
  left: RExpr | undefined,
  right: RExpr | undefined,
): RExpr | undefined {
  if (!left || !right) return undefined;
  const op = expr.op;
  const span = expr.span;
  if (op === 'and' || op === 'or') {
    const bad = [left, right].find((side) => !isBooleanLike(side.type));
    if (bad)
      return mismatch(
        ctx,
        bad.span,
        `\`${op}\` combines conditions, but this is ${describeType(bad.type)}.`,
        'compare the value to make a condition, e.g. `amount > 0`',
      );
    return { kind: 'binary', op, left, right, type: 'boolean', span };
  }
  if (op === 'like') {
    const bad = [left, right].find((side) => !isTextLike(side.type));
    if (bad)
      return mismatch(
        ctx,
        bad.span,
        `\`like\` matches text, but this is ${describeType(bad.type)}.`,
        'convert with `text(...)` first',
      );
    return { kind: 'binary', op, left, right, type: 'boolean', span };
  }
  if (op === '+' || op === '-' || op === '*' || op === '/') {
    const type = arithmeticType(op, left.type, right.type);
    if (!type) {
      return mismatch(
        ctx,
        span,
        `\`${op}\` cannot combine ${describeOperand(ctx, left)} and ${describeOperand(ctx, right)}.`,
        op === '-' && isTemporal(left.type) && isTemporal(right.type)
          ? 'use `date_diff("day", a, b)` for the time between two instants'
          : 'arithmetic works on numbers, and on a date or timestamp plus or minus a duration (`7 days`)',
      );
    }
    return { kind: 'binary', op, left, right, type, span };
  }
  const pair = unify(ctx, left, right, span, 'be compared with');
  return pair && { kind: 'binary', op, left: pair[0], right: pair[1], type: 'boolean', span };
}

/** The result of arithmetic, or undefined when the operand types do not allow it. */
function arithmeticType(op: '+' | '-' | '*' | '/', a: ScalarType, b: ScalarType): ScalarType | undefined {
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca === 'any' || cb === 'any') {
    const other = ca === 'any' ? cb : ca;
    return other === 'any' || other === 'number' || other === 'temporal' || other === 'interval'
      ? 'unknown'
      : undefined;
  }
  if (ca === 'number' && cb === 'number') return op === '/' ? 'float' : commonType([a, b]);
  if (op === '+' || op === '-') {
    // DuckDB: date + interval is a timestamp.
    if (ca === 'temporal' && cb === 'interval') return 'timestamp';
    if (op === '+' && ca === 'interval' && cb === 'temporal') return 'timestamp';
    if (ca === 'interval' && cb === 'interval') return 'interval';
  }
  return undefined;
}

/**
 * Make two values comparable: a string literal next to a date or timestamp
 * becomes a date or timestamp literal when it reads as one.
 */
function unify(ctx: BindContext, a: RExpr, b: RExpr, span: Span, verb: string): [RExpr, RExpr] | undefined {
  const left = asTemporalLiteral(a, b.type) ?? a;
  const right = asTemporalLiteral(b, a.type) ?? b;
  if (areCompatible(left.type, right.type)) return [left, right];
  const stringDate = [a, b].find(
    (side) =>
      side.kind === 'literal' && side.value.kind === 'string' && classOf(a === side ? b.type : a.type) === 'temporal',
  );
  if (stringDate && stringDate.kind === 'literal' && stringDate.value.kind === 'string') {
    return mismatch(
      ctx,
      stringDate.span,
      `"${stringDate.value.value}" is compared with a ${a === stringDate ? b.type : a.type} but does not read as one.`,
      'write a date as `date "YYYY-MM-DD"` or a timestamp as `timestamp "YYYY-MM-DD HH:MM:SS"`',
    );
  }
  return mismatch(
    ctx,
    span,
    `${describeOperand(ctx, a)} cannot ${verb} ${describeOperand(ctx, b)}.`,
    'compare values of one kind: numbers with numbers, text with text, dates with dates; cast with `number(...)`, `text(...)` or `date(...)` if needed',
  );
}

/** `\`status\` (text)`, `3 (a number)`, or the type alone, for messages. */
function describeOperand(ctx: BindContext, expr: RExpr): string {
  const type = describeType(expr.type).replace(/ \(\w+\)$/, '');
  if (expr.kind === 'column')
    return `\`${expr.path.length > 0 ? `${sourceName(ctx, expr.source)}.` : ''}${expr.column}\` (${type})`;
  if (expr.kind === 'dimension')
    return `\`${expr.path.length > 0 ? `${sourceName(ctx, expr.source)}.` : ''}${expr.name}\` (${type})`;
  if (expr.kind === 'literal') {
    const v = expr.value;
    const text =
      v.kind === 'number'
        ? v.text
        : v.kind === 'string'
          ? `"${v.value}"`
          : v.kind === 'boolean'
            ? String(v.value)
            : v.kind === 'null'
              ? 'null'
              : v.kind === 'duration'
                ? `${v.amount} ${v.unit}(s)`
                : `${v.kind} "${v.value}"`;
    return `${text} (${type})`;
  }
  return type;
}

function asTemporalLiteral(expr: RExpr, other: ScalarType): RExpr | undefined {
  if (expr.kind !== 'literal' || expr.value.kind !== 'string' || classOf(other) !== 'temporal') return undefined;
  const text = expr.value.value;
  if (isDateText(text)) return { kind: 'literal', value: { kind: 'date', value: text }, type: 'date', span: expr.span };
  if (isTimestampText(text))
    return { kind: 'literal', value: { kind: 'timestamp', value: text }, type: 'timestamp', span: expr.span };
  return undefined;
}

function bindCase(ctx: BindContext, expr: CaseExpr): RExpr | undefined {
  const whens = (expr.whens ?? []).map((w) => ({
    when: expectBoolean(ctx, bindRow(ctx, w.when), 'a `when` condition'),
    then: bindRow(ctx, w.then),
  }));
  const otherwise = expr.else ? bindRow(ctx, expr.else) : undefined;
  if (whens.some((w) => !w.when || !w.then) || (expr.else && !otherwise)) return undefined;
  const results = [...whens.map((w) => w.then!), ...(otherwise ? [otherwise] : [])];
  const first = results.find((r) => classOf(r.type) !== 'any') ?? results[0];
  const bad = first && results.find((r) => !areCompatible(first.type, r.type));
  if (bad)
    return mismatch(
      ctx,
      bad.span,
      `the branches of \`case\` must be of one kind: this is ${describeType(bad.type)}, another is ${describeType(first!.type)}.`,
      'make every branch a number, text, a date or a condition, casting if needed',
    );
  const bound = whens.map((w) => ({ when: w.when!, then: w.then! }));
  const type = commonType(results.map((r) => r.type));
  return otherwise
    ? { kind: 'case', whens: bound, else: otherwise, type, span: expr.span }
    : { kind: 'case', whens: bound, type, span: expr.span };
}

function bindCall(ctx: BindContext, expr: CallExpr): RExpr | undefined {
  const name = expr.callee?.text?.toLowerCase() ?? '';
  if ((AGG_FUNCS as readonly string[]).includes(name)) {
    reportError(
      ctx.sink,
      'aggregate-not-allowed',
      ctx.file,
      expr.span,
      `\`${expr.callee.text}\` is an aggregate, and this expression is evaluated once per row.`,
      {
        help: 'aggregate in a `measure`, or declare an aggregated dimension (`dimension first_order_at = min(orders.ordered_at)`) and use it here',
      },
    );
    return undefined;
  }
  const signature = FUNCTION_SIGNATURES.get(name);
  if (!signature) {
    reportError(
      ctx.sink,
      'unknown-function',
      ctx.file,
      expr.callee?.span ?? expr.span,
      `\`${expr.callee?.text}\` is not a function of the language.`,
      { help: didYouMean(name, SCALAR_FUNCTIONS, 'see the list of functions in the language reference') },
    );
    return undefined;
  }
  const args = expr.args ?? [];
  const max = maxArity(signature);
  if (args.length < signature.min || (max !== undefined && args.length > max)) {
    const expected =
      max === undefined ? `at least ${signature.min}` : max === signature.min ? `${max}` : `${signature.min} to ${max}`;
    reportError(
      ctx.sink,
      'wrong-arity',
      ctx.file,
      expr.span,
      `\`${name}\` takes ${expected} argument(s), not ${args.length}.`,
      { help: `write ${usageOf(name, signature)}` },
    );
    return undefined;
  }
  return checkArguments(ctx, name, signature, args, expr.span);
}

function checkArguments(
  ctx: BindContext,
  name: string,
  signature: FunctionSignature,
  args: readonly Expr[],
  span: Span,
): RExpr | undefined {
  let unit: string | undefined;
  const bound: (RExpr | undefined)[] = args.map((arg, index) => {
    if (paramKindAt(signature, index) !== 'unit') return bindRow(ctx, arg);
    unit = bindUnit(ctx, name, arg);
    return unit === undefined ? undefined : literal({ kind: 'string', value: unit }, 'text', arg.span);
  });
  if (bound.some((arg) => !arg)) return undefined;
  const typed = bound as RExpr[];
  let same: RExpr | undefined;
  for (const [index, arg] of typed.entries()) {
    const kind = paramKindAt(signature, index);
    if (kind === 'same') {
      if (same && !areCompatible(same.type, arg.type))
        return mismatch(
          ctx,
          arg.span,
          `the arguments of \`${name}\` must be of one kind: this is ${describeType(arg.type)}, an earlier one is ${describeType(same.type)}.`,
          'cast with `number(...)`, `text(...)` or `date(...)` so they match',
        );
      if (!same || classOf(same.type) === 'any') same = arg;
      continue;
    }
    const ok =
      kind === 'number'
        ? isNumeric(arg.type)
        : kind === 'text'
          ? isTextLike(arg.type)
          : kind === 'temporal'
            ? isTemporal(arg.type)
            : kind === 'boolean'
              ? isBooleanLike(arg.type)
              : true;
    if (!ok)
      return mismatch(
        ctx,
        arg.span,
        `argument ${index + 1} of \`${name}\` must be ${KIND_TEXT[kind]}, but this is ${describeType(arg.type)}.`,
        `see the signature of \`${name}\` in the language reference`,
      );
  }
  return {
    kind: 'call',
    func: name,
    args: typed,
    type: signature.result(
      typed.map((a) => a.type),
      unit,
    ),
    span,
  };
}

const PARAM_SAMPLE: Record<string, string> = {
  unit: '"month"',
  temporal: 'ordered_at',
  number: 'amount',
  text: 'name',
  boolean: 'condition',
  same: 'x',
  any: 'x',
};

/** `date_trunc("month", ordered_at)`, for help texts. */
function usageOf(name: string, signature: FunctionSignature): string {
  const params = signature.params.map((kind, i) => (kind === 'same' ? `x${i + 1}` : PARAM_SAMPLE[kind]));
  const optional = params
    .slice(signature.min)
    .map((p) => `[, ${p}]`)
    .join('');
  return `\`${name}(${params.slice(0, signature.min).join(', ')}${optional}${signature.variadic ? ', ...' : ''})\``;
}

const KIND_TEXT: Record<string, string> = {
  number: 'a number',
  text: 'text',
  temporal: 'a date or timestamp',
  boolean: 'a condition',
};

/** A time unit argument: a string literal, one of the units. */
function bindUnit(ctx: BindContext, name: string, arg: Expr): string | undefined {
  const written = arg.kind === 'string' ? arg.value : arg.kind === 'ref' && !arg.qualifier ? arg.name.text : undefined;
  const unit = written?.toLowerCase();
  const isUnit = unit !== undefined && TIME_UNITS.includes(unit);
  if (arg.kind === 'string' && isUnit) return unit;
  const units = TIME_UNITS.map((u) => `"${u}"`).join(', ');
  const example = `\`${name}("month", ...)\``;
  if (arg.kind === 'ref' && isUnit) {
    reportError(
      ctx.sink,
      'unknown-unit',
      ctx.file,
      arg.span,
      `the unit of \`${name}\` is written in quotes: \`"${unit}"\`.`,
      { help: `write \`"${unit}"\`` },
    );
    return undefined;
  }
  const message =
    arg.kind === 'string'
      ? `"${written}" is not a time unit; the units are ${units}.`
      : `the first argument of \`${name}\` is a time unit in quotes, one of ${units}.`;
  reportError(ctx.sink, 'unknown-unit', ctx.file, arg.span, message, {
    help: didYouMean(written ?? '', TIME_UNITS, `write e.g. ${example}`),
  });
  return undefined;
}
