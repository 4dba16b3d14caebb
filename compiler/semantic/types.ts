// Type classes and compatibility of the language's scalar types.

import type { ScalarType } from './catalog.ts';

/** What a type can be compared with: types of one class compare. */
export type TypeClass = 'number' | 'text' | 'temporal' | 'boolean' | 'interval' | 'any';

export function classOf(type: ScalarType): TypeClass {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'float':
      return 'number';
    case 'text':
      return 'text';
    case 'date':
    case 'timestamp':
      return 'temporal';
    case 'boolean':
      return 'boolean';
    case 'interval':
      return 'interval';
    default:
      // `null` and `unknown` fit anywhere: unknown schemas are not checked.
      return 'any';
  }
}

export function isNumeric(type: ScalarType): boolean {
  return classOf(type) === 'number' || classOf(type) === 'any';
}

export function isTemporal(type: ScalarType): boolean {
  return classOf(type) === 'temporal' || classOf(type) === 'any';
}

export function isBooleanLike(type: ScalarType): boolean {
  return classOf(type) === 'boolean' || classOf(type) === 'any';
}

export function isTextLike(type: ScalarType): boolean {
  return classOf(type) === 'text' || classOf(type) === 'any';
}

/** Two values can be compared, put in one `in` list or one `case`. */
export function areCompatible(a: ScalarType, b: ScalarType): boolean {
  const ca = classOf(a);
  const cb = classOf(b);
  return ca === 'any' || cb === 'any' || ca === cb;
}

const NUMBER_RANK: Partial<Record<ScalarType, number>> = { integer: 1, decimal: 2, float: 3 };

/**
 * The common type of compatible values (for `case`, `coalesce`, arithmetic):
 * the widest number, `timestamp` over `date`, otherwise the first known type.
 */
export function commonType(types: readonly ScalarType[]): ScalarType {
  let result: ScalarType = 'null';
  for (const type of types) {
    if (type === 'null') continue;
    if (type === 'unknown') {
      if (result === 'null') result = 'unknown';
      continue;
    }
    if (result === 'null' || result === 'unknown') {
      result = type;
      continue;
    }
    const rankA: number | undefined = NUMBER_RANK[result];
    const rankB: number | undefined = NUMBER_RANK[type];
    if (rankA !== undefined && rankB !== undefined) result = rankB > rankA ? type : result;
    else if (result === 'date' && type === 'timestamp') result = 'timestamp';
  }
  return result;
}

/** How a type is named in messages. */
export function describeType(type: ScalarType): string {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'float':
      return `a number (${type})`;
    case 'text':
      return 'text';
    case 'boolean':
      return 'a boolean';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a timestamp';
    case 'interval':
      return 'a duration';
    case 'null':
      return 'null';
    default:
      return 'a value of unknown type';
  }
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isDateText(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS[.ffffff]]` (or `T` between). */
export function isTimestampText(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?$/.exec(text);
  if (!match || !isDateText(match[1]!)) return false;
  if (match[2] === undefined) return true;
  return Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4] ?? '0') < 60;
}
