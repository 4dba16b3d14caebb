// Ordering of exact decimal text (`"-5"`, `"0.02"`, `"40"`): thresholds are
// compared without passing through floats, as everything numeric in kpic.

/** -1, 0 or 1 as `a` is below, equal to or above `b`. Accepts optional sign, digits and fraction. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitude(x, y);
  return (x.negative ? -magnitude : magnitude) as -1 | 0 | 1;
}

interface Parts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

function splitDecimal(text: string): Parts {
  const negative = text.startsWith('-');
  const [int = '', frac = ''] = text.replace(/^[-+]/, '').split('.');
  const parts = { int: int.replace(/^0+/, ''), frac: frac.replace(/0+$/, '') };
  // Zero has no sign: `-0` equals `0`.
  return { negative: negative && (parts.int !== '' || parts.frac !== ''), ...parts };
}

function compareMagnitude(x: Parts, y: Parts): -1 | 0 | 1 {
  if (x.int.length !== y.int.length) return x.int.length < y.int.length ? -1 : 1;
  if (x.int !== y.int) return x.int < y.int ? -1 : 1;
  const width = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(width, '0');
  const fy = y.frac.padEnd(width, '0');
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}
