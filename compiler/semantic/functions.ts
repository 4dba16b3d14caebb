// Signatures of the language's scalar functions and the types of aggregates.

import type { ScalarType } from './catalog.ts';
import type { AggFunc } from './model.ts';
import { classOf } from './types.ts';

/** What an argument must be. `unit`: a string literal naming a time unit. `same`: compatible with the other `same` arguments. */
export type ParamKind = 'any' | 'number' | 'text' | 'temporal' | 'boolean' | 'unit' | 'same';

export interface FunctionSignature {
  /** Parameter kinds; with `variadic`, the last repeats. */
  readonly params: readonly ParamKind[];
  readonly min: number;
  readonly variadic?: boolean;
  /** The result type from the bound arguments' types. */
  readonly result: (args: readonly ScalarType[], unit?: string) => ScalarType;
}

export const TIME_UNITS: readonly string[] = ['day', 'week', 'month', 'quarter', 'year', 'hour'];

const sameAsFirst = (args: readonly ScalarType[]) => args[0] ?? 'unknown';
const fixed = (type: ScalarType) => () => type;
const part: FunctionSignature = { params: ['temporal'], min: 1, result: fixed('integer') };
const textFn: FunctionSignature = { params: ['text'], min: 1, result: fixed('text') };
const numberFn: FunctionSignature = { params: ['number'], min: 1, result: sameAsFirst };

/**
 * The scalar functions (model.ts `SCALAR_FUNCTIONS`). `date_trunc` of a date
 * is typed as a date (the truncation of a day is a day; the SQL layer casts
 * back), of anything to the hour as a timestamp.
 */
export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map<string, FunctionSignature>([
  [
    'coalesce',
    { params: ['same'], min: 1, variadic: true, result: (args) => args.find((t) => t !== 'null') ?? 'null' },
  ],
  ['nullif', { params: ['same', 'same'], min: 2, result: sameAsFirst }],
  ['abs', numberFn],
  ['round', { params: ['number', 'number'], min: 1, result: sameAsFirst }],
  ['floor', numberFn],
  ['ceil', numberFn],
  ['least', { params: ['same'], min: 1, variadic: true, result: (args) => args.find((t) => t !== 'null') ?? 'null' }],
  [
    'greatest',
    { params: ['same'], min: 1, variadic: true, result: (args) => args.find((t) => t !== 'null') ?? 'null' },
  ],
  ['lower', textFn],
  ['upper', textFn],
  ['trim', textFn],
  ['length', { params: ['text'], min: 1, result: fixed('integer') }],
  ['contains', { params: ['text', 'text'], min: 2, result: fixed('boolean') }],
  ['starts_with', { params: ['text', 'text'], min: 2, result: fixed('boolean') }],
  [
    'date_trunc',
    {
      params: ['unit', 'temporal'],
      min: 2,
      result: (args, unit) =>
        unit === 'hour' ? 'timestamp' : args[1] === 'date' ? 'date' : args[1] === 'timestamp' ? 'timestamp' : 'unknown',
    },
  ],
  ['date_diff', { params: ['unit', 'temporal', 'temporal'], min: 3, result: fixed('integer') }],
  ['year', part],
  ['quarter', part],
  ['month', part],
  ['week', part],
  ['day', part],
  ['hour', part],
  ['number', { params: ['any'], min: 1, result: fixed('float') }],
  ['text', { params: ['any'], min: 1, result: fixed('text') }],
  ['date', { params: ['any'], min: 1, result: fixed('date') }],
  ['timestamp', { params: ['any'], min: 1, result: fixed('timestamp') }],
  ['try_number', { params: ['any'], min: 1, result: fixed('float') }],
  ['try_date', { params: ['any'], min: 1, result: fixed('date') }],
  ['try_timestamp', { params: ['any'], min: 1, result: fixed('timestamp') }],
  ['if', { params: ['boolean', 'same', 'same'], min: 3, result: (args) => (args[1] !== 'null' ? args[1]! : args[2]!) }],
]);

/** The maximum number of arguments, or undefined when variadic. */
export function maxArity(signature: FunctionSignature): number | undefined {
  return signature.variadic ? undefined : signature.params.length;
}

export function paramKindAt(signature: FunctionSignature, index: number): ParamKind {
  return signature.params[Math.min(index, signature.params.length - 1)]!;
}

/** The number of arguments each aggregate takes. */
export const AGGREGATE_ARITY: Readonly<Record<AggFunc, readonly [number, number]>> = {
  count: [0, 1],
  count_distinct: [1, 1],
  sum: [1, 1],
  avg: [1, 1],
  min: [1, 1],
  max: [1, 1],
  median: [1, 1],
  percentile: [2, 2],
};

/** What an aggregate's argument must be, for messages; undefined when anything goes. */
export function aggregateArgumentNeed(func: AggFunc): 'number' | 'orderable' | undefined {
  if (func === 'sum' || func === 'avg') return 'number';
  if (func === 'median' || func === 'percentile') return 'orderable';
  return undefined;
}

/** Whether the argument type suits the aggregate. */
export function aggregateAccepts(func: AggFunc, argType: ScalarType): boolean {
  const need = aggregateArgumentNeed(func);
  const cls = classOf(argType);
  if (cls === 'any' || need === undefined) return true;
  if (need === 'number') return cls === 'number';
  return cls === 'number' || cls === 'temporal';
}

/** The type of the aggregated value (as DuckDB computes it, in the compiler's types). */
export function aggregateType(func: AggFunc, argType: ScalarType | undefined): ScalarType {
  switch (func) {
    case 'count':
    case 'count_distinct':
      return 'integer';
    case 'sum':
      return argType ?? 'unknown';
    case 'avg':
      return 'float';
    case 'median':
    case 'percentile':
      return argType && classOf(argType) === 'temporal' ? argType : argType === 'unknown' ? 'unknown' : 'float';
    default:
      return argType ?? 'unknown';
  }
}
