// Questions several rules ask of the model: which sources a source reaches,
// which dimension a segment name means, whose side an expression is on, and
// how to print a numerator or a threshold the way the user wrote it.

import type { Expr, KpiDecl, KpiFile, KpiThresholdItem } from '../syntax/ast.ts';
import type { Dimension, DimensionName, Kpi, MExpr, Model, Threshold } from '../semantic/model.ts';
import { measuresOf } from '../semantic/mexpr.ts';

/** Source keys reachable from `start` along many-to-one links, `start` first, breadth first. */
export function reachableSources(model: Model, start: string): string[] {
  const seen = new Set<string>([start.toLowerCase()]);
  const order: string[] = [start.toLowerCase()];
  for (let i = 0; i < order.length; i++) {
    const source = model.sources.get(order[i]!);
    for (const link of source?.links ?? []) {
      const to = link.to.toLowerCase();
      if (!seen.has(to)) {
        seen.add(to);
        order.push(to);
      }
    }
  }
  return order;
}

/** The sources of a KPI's measures, numerator's first, in order of appearance, without repeats. */
export function measureSources(model: Model, kpi: Kpi): string[] {
  const sources: string[] = [];
  const written = [kpi.numerator, kpi.denominator].flatMap((e) => (e ? measuresOf(e) : []));
  for (const key of [...written, ...kpi.measures]) {
    const source = model.measures.get(key)?.source.toLowerCase();
    if (source !== undefined && !sources.includes(source)) sources.push(source);
  }
  return sources;
}

/**
 * The dimension a segment name means for a KPI: looked up on each measure's
 * source and the sources it reaches, nearest first. `undefined` when the
 * name is a plain column or unknown (the resolver reports unknown names).
 */
export function findSegmentDimension(model: Model, kpi: Kpi, segment: DimensionName): Dimension | undefined {
  const name = segment.name.toLowerCase();
  const qualifier = segment.qualifier?.toLowerCase();
  for (const root of measureSources(model, kpi)) {
    for (const key of reachableSources(model, root)) {
      if (qualifier !== undefined && key !== qualifier) continue;
      const dimension = model.sources.get(key)?.dimensions.get(name);
      if (dimension) return dimension;
    }
  }
  return undefined;
}

/** `customer` or `company` when every measure of the expression is on that side; otherwise `undefined`. */
export function sideOf(model: Model, expr: MExpr): 'customer' | 'company' | undefined {
  const sides = new Set(measuresOf(expr).map((key) => model.measures.get(key)?.side));
  if (sides.size !== 1) return undefined;
  const [side] = sides;
  return side;
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

/** The expression as kpic text, measures by their declared names: `promoters - detractors`. */
export function printMExpr(model: Model, expr: MExpr, parent = 0): string {
  switch (expr.kind) {
    case 'measure':
      return model.measures.get(expr.measure)?.name ?? expr.measure;
    case 'number':
      return expr.text;
    case 'negate':
      return `-${printMExpr(model, expr.operand, 3)}`;
    case 'arith': {
      const own = PRECEDENCE[expr.op];
      // The right operand of `-` and `/` needs parentheses at equal precedence.
      const text = `${printMExpr(model, expr.left, own)} ${expr.op} ${printMExpr(model, expr.right, own + 0.5)}`;
      return own < parent ? `(${text})` : text;
    }
  }
}

/** The `kpi` declaration of a file at the KPI's place. */
export function findKpiDecl(files: readonly KpiFile[], kpi: Kpi): KpiDecl | undefined {
  const file = files.find((f) => f.path === kpi.file);
  return file?.declarations.find(
    (d): d is KpiDecl => d.kind === 'kpi' && d.span.start.offset === kpi.span.start.offset,
  );
}

/** A threshold as written: `warn < 30`, `target >= 40%` (the `for` part left out). */
export function printThreshold(threshold: Threshold, decl: KpiDecl | undefined): string {
  const item = decl?.items.find(
    (i): i is KpiThresholdItem => i.kind === 'kpi-threshold' && i.span.start.offset === threshold.span.start.offset,
  );
  const value = item ? printNumber(item.value) : undefined;
  return `${threshold.level} ${threshold.op} ${value ?? threshold.value}`;
}

function printNumber(expr: Expr): string | undefined {
  if (expr.kind === 'number') return `${expr.text}${expr.percent ? '%' : ''}`;
  if (expr.kind === 'unary' && expr.op === '-') {
    const inner = printNumber(expr.operand);
    return inner === undefined ? undefined : `-${inner}`;
  }
  return undefined;
}

/** A key that is equal for structurally equal expressions, whatever their places (names compared without case). */
export function structuralKey(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'span') return undefined;
    if ((key === 'text' || key === 'name' || key === 'source' || key === 'column') && typeof v === 'string') {
      return v.toLowerCase();
    }
    return v;
  });
}

/** `a`, `a` and `b`, `a`, `b` and `c`: names in backticks for messages. */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Same as `listNames` with "or": for alternatives. */
export function listAlternatives(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
