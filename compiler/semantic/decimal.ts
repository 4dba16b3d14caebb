// Exact decimal text: numbers of `.kpi` files never pass through floats.

/** Canonical decimal text: no leading zeros, no trailing fraction zeros, `-0` is `0`. */
export function normalizeDecimal(text: string): string {
  let negative = false;
  let digits = text;
  if (digits.startsWith('-')) {
    negative = true;
    digits = digits.slice(1);
  }
  const [intPart = '', fracPart = ''] = digits.split('.');
  const int = intPart.replace(/^0+/, '') || '0';
  const frac = fracPart.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Whether `text` is plain decimal digits (`42`, `3.5`, `.5`), the forms the lexer produces. */
export function isDecimalText(text: string): boolean {
  return /^(\d+(\.\d*)?|\.\d+)$/.test(text);
}

/** `text` / 100 by moving the decimal point: `2` -> `0.02`, `12.5` -> `0.125`. */
export function percentToDecimal(text: string): string {
  const [intPart = '', fracPart = ''] = text.split('.');
  const digits = intPart + fracPart;
  const point = intPart.length - 2;
  const padded = point < 0 ? '0'.repeat(-point) + digits : digits;
  const at = Math.max(point, 0);
  return normalizeDecimal(`${padded.slice(0, at) || '0'}.${padded.slice(at)}`);
}

/** The exact value of a number literal: percentages applied, canonical text. */
export function literalDecimal(text: string, percent: boolean): string {
  return percent ? percentToDecimal(text) : normalizeDecimal(text);
}

export function negateDecimal(text: string): string {
  return normalizeDecimal(text.startsWith('-') ? text.slice(1) : `-${text}`);
}

/** For canonical non-negative decimal text: is it within 0..1? */
export function isUnitInterval(text: string): boolean {
  if (text.startsWith('-')) return false;
  const [int = '', frac = ''] = text.split('.');
  return int === '0' || (int === '1' && frac === '');
}

/** For canonical decimal text: a non-negative integer that fits a JS number exactly. */
export function asSafeInteger(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
