// Statuses at a threshold's edge: for random exact inputs (integer and
// DECIMAL sums, a decimal `scale`, thresholds exactly at the value or one
// unit of their last digit away), the status and `target_met` DuckDB gives
// for kpic's SQL equal the ones worked out here in exact rational arithmetic
// (BigInt), independently of the compiler.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openProject } from '../sql/harness.ts';

const RUNS = Number(process.env['KPIC_PROPERTY_RUNS'] ?? 60);
const SEED = process.env['KPIC_SEED'] === undefined ? undefined : Number(process.env['KPIC_SEED']);

/** An exact decimal: `units / 10^digits`. */
interface Dec {
  readonly units: bigint;
  readonly digits: number;
}

/** A rational `num / den` with `den > 0`. */
interface Rat {
  readonly num: bigint;
  readonly den: bigint;
}

const TEN = (digits: number) => 10n ** BigInt(digits);
const text = (d: Dec): string => {
  const negative = d.units < 0n;
  const abs = (negative ? -d.units : d.units).toString().padStart(d.digits + 1, '0');
  const body = d.digits === 0 ? abs : `${abs.slice(0, -d.digits)}.${abs.slice(-d.digits)}`;
  return negative ? `-${body}` : body;
};
const ratOf = (d: Dec): Rat => ({ num: d.units, den: TEN(d.digits) });
const mul = (a: Rat, b: Rat): Rat => ({ num: a.num * b.num, den: a.den * b.den });
/** a / b, b not zero. */
const div = (a: Rat, b: Rat): Rat =>
  b.num < 0n ? { num: -a.num * b.den, den: a.den * -b.num } : { num: a.num * b.den, den: a.den * b.num };
/** -1, 0 or 1 as a compares with b. */
const cmp = (a: Rat, b: Rat): number => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};
const OPS = ['>=', '>', '<=', '<', '=', '!='] as const;
type Op = (typeof OPS)[number];
const holds = (c: number, op: Op): boolean =>
  ({ '>=': c >= 0, '>': c > 0, '<=': c <= 0, '<': c < 0, '=': c === 0, '!=': c !== 0 })[op];

/** `value` truncated to `digits` decimals, plus `nudge` units of the last one: a threshold at or next to the value. */
function near(value: Rat, digits: number, nudge: number): Dec {
  const units = (value.num * TEN(digits)) / value.den; // BigInt division truncates toward zero
  return { units: units + BigInt(nudge), digits };
}

const decimal = (maxUnits: number, digits: number) =>
  fc.integer({ min: -maxUnits, max: maxUnits }).map((u): Dec => ({ units: BigInt(u), digits }));

interface Case {
  readonly kind: 'integer' | 'decimal';
  readonly n: Dec;
  readonly d: Dec;
  readonly scale: Dec;
  readonly thresholds: readonly { level: 'target' | 'warn' | 'critical'; op: Op; digits: number; nudge: number }[];
}

const threshold = (level: 'target' | 'warn' | 'critical') =>
  fc.record({
    level: fc.constant(level),
    op: fc.constantFrom(...OPS),
    digits: fc.integer({ min: 0, max: 6 }),
    nudge: fc.constantFrom(0, 0, 0, -1, 1),
  });

const cases: fc.Arbitrary<Case> = fc
  .oneof(
    fc.record({ kind: fc.constant('integer' as const), n: decimal(100_000, 0), d: decimal(100_000, 0) }),
    fc.record({ kind: fc.constant('decimal' as const), n: decimal(10_000_000, 4), d: decimal(10_000_000, 4) }),
  )
  .chain((inputs) =>
    fc.record({
      kind: fc.constant(inputs.kind),
      n: fc.constant(inputs.n),
      // A denominator of 0 is a null value; one of a few powers of 2 and 5 makes the value a finite decimal more often.
      d: fc.oneof(
        fc.constant(inputs.d),
        fc
          .constantFrom(1n, 2n, 4n, 5n, 8n, 10n, 25n, 100n, -4n, 0n)
          .map((u): Dec => ({ units: u * TEN(inputs.d.digits), digits: inputs.d.digits })),
      ),
      scale: fc.constantFrom<Dec>(
        { units: 100n, digits: 0 },
        { units: 1n, digits: 0 },
        { units: 1000n, digits: 0 },
        { units: 5n, digits: 1 },
        { units: 125n, digits: 1 },
        { units: 1n, digits: 2 },
      ),
      thresholds: fc.tuple(threshold('target'), threshold('warn'), threshold('critical')),
    }),
  );

async function statusOf(c: Case): Promise<{
  want: { status: string | null; target_met: boolean | null; value: Rat | null };
  got: Record<string, unknown>;
  kpi: string;
}> {
  const value = c.d.units === 0n ? null : div(mul(ratOf(c.n), ratOf(c.scale)), ratOf(c.d));
  const levels = c.thresholds.map((t) => ({
    ...t,
    at: value ? near(value, t.digits, t.nudge) : { units: BigInt(t.nudge), digits: t.digits },
  }));
  const meets = (level: string) => {
    const t = levels.find((l) => l.level === level)!;
    return value === null ? null : holds(cmp(value, ratOf(t.at)), t.op);
  };
  const status = value === null ? null : meets('critical') ? 'critical' : meets('warn') ? 'warn' : 'ok';
  const type = c.kind === 'integer' ? 'bigint' : 'decimal(18,4)';
  // The inputs are split over two rows, so the sums add exactly.
  const half = (d: Dec): [string, string] => {
    const a: Dec = { units: d.units / 2n, digits: d.digits };
    return [text(a), text({ units: d.units - a.units, digits: d.digits })];
  };
  const [n1, n2] = half(c.n);
  const [d1, d2] = half(c.d);
  const kpi = [
    'customer customers from table customers { key customer_id }',
    'source facts from table facts {',
    '  key fact_id',
    '  customer customer_id',
    '  measure num = sum(n)',
    '  measure den = sum(d)',
    '}',
    'kpi edge {',
    '  numerator num',
    '  denominator den',
    `  scale ${text(c.scale)}`,
    ...levels.map((l) => `  ${l.level} ${l.op} ${text(l.at)}`),
    '}',
  ].join('\n');
  const project = await openProject(
    { 'metrics/edge.kpi': kpi },
    {},
    {
      setup: [
        'create table customers as select 1 as customer_id',
        `create table facts as select * from (values (1, 1, cast('${n1}' as ${type}), cast('${d1}' as ${type})), (2, 1, cast('${n2}' as ${type}), cast('${d2}' as ${type}))) as t(fact_id, customer_id, n, d)`,
      ],
    },
  );
  try {
    const { rows } = await project.run({ kpi: 'edge' });
    return { want: { status, target_met: meets('target'), value }, got: rows[0]!, kpi };
  } finally {
    await project.close();
  }
}

describe('exact statuses at threshold edges', () => {
  it('29 promoters of 100 responses with scale 100 is 29: ok for target >= 29, not warn < 29', async () => {
    const c: Case = {
      kind: 'integer',
      n: { units: 29n, digits: 0 },
      d: { units: 100n, digits: 0 },
      scale: { units: 100n, digits: 0 },
      thresholds: [
        { level: 'target', op: '>=', digits: 0, nudge: 0 },
        { level: 'warn', op: '<', digits: 0, nudge: 0 },
        { level: 'critical', op: '<', digits: 0, nudge: -10 },
      ],
    };
    const { got, kpi } = await statusOf(c);
    expect(kpi).toContain('target >= 29\n');
    expect(got).toMatchObject({ value: 29, status: 'ok', target_met: true });
  });

  it('random exact inputs: status and target_met equal exact arithmetic', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { want, got, kpi } = await statusOf(c);
        const context = `${kpi}\nn=${text(c.n)} d=${text(c.d)} got ${JSON.stringify(got)}`;
        expect(got['status'], context).toBe(want.status);
        expect(got['target_met'], context).toBe(want.target_met);
        if (want.value === null) {
          expect(got['value'], context).toBeNull();
        } else {
          const exact = Number(want.value.num) / Number(want.value.den);
          expect(Math.abs((got['value'] as number) - exact), context).toBeLessThanOrEqual(Math.abs(exact) * 1e-12);
          // A whole value of exact integer inputs prints exactly (scaled before dividing).
          if (c.kind === 'integer' && c.scale.digits === 0 && want.value.num % want.value.den === 0n)
            expect(got['value'], context).toBe(exact);
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);
});
