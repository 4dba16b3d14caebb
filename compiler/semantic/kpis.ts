// KPIs: numerator and denominator over measures, segments and filters
// checked against the measures' sources, thresholds, lifecycle.

import type { Expr } from '../syntax/ast.ts';
import { isDecimalText, literalDecimal } from './decimal.ts';
import { checkDepth } from './depth.ts';
import { checkAtRoots } from './kpi-bind.ts';
import type { KpiFields } from './kpi-items.ts';
import { readKpiItems } from './kpi-items.ts';
import type { Alert, DerivedExpr, JoinPath, Kpi, MExpr, ValueFormat } from './model.ts';
import { readAlert } from './alerts.ts';
import { checkAlert } from './alert-checks.ts';
import { resolveTargetTables } from './target-tables.ts';
import { derivedRefs, findKpiCycles, resolveDerivedExpr } from './derived-value.ts';
import { didYouMean, reportError } from './report.ts';
import type { Scope } from './scope.ts';
import { passesLeftOut } from './scope.ts';
import type { KpiState, ResolveState } from './state.ts';
import { displayName, nameKey } from './names.ts';

/** Resolve every KPI, in declaration order. */
export function resolveKpis(state: ResolveState, scope: Scope): Map<string, Kpi> {
  const kpis = new Map<string, Kpi>();
  for (const kpi of state.kpis.values()) {
    const resolved = resolveKpi(state, scope, kpi);
    if (resolved) kpis.set(kpi.key, resolved);
  }
  return settleDerived(state, kpis);
}

/**
 * Derived KPIs after every KPI is resolved: cycles are errors; a derived KPI
 * reading a KPI that did not resolve is left out (its input's errors say
 * why); the others reach the customer along their inputs' paths.
 */
function settleDerived(state: ResolveState, kpis: Map<string, Kpi>): Map<string, Kpi> {
  const onCycle = findKpiCycles(kpis, state.sink);
  const settled = new Map<string, Kpi | null>();
  const settle = (key: string): Kpi | null => {
    const known = settled.get(key);
    if (known !== undefined) return known;
    const kpi = kpis.get(key);
    if (!kpi || onCycle.has(key)) {
      settled.set(key, null);
      return null;
    }
    if (!kpi.derived) {
      settled.set(key, kpi);
      return kpi;
    }
    settled.set(key, null); // guards against a cycle not reported (cannot happen once cycles are out)
    const inputs = derivedRefs(kpi.derived).map((ref) => settle(ref.kpi));
    if (inputs.some((input) => input === null)) return null;
    const paths = new Map<string, Kpi['customerPaths'][number]>();
    for (const input of inputs)
      for (const p of input!.customerPaths) if (!paths.has(p.measure)) paths.set(p.measure, p);
    const done = {
      ...kpi,
      customerPaths: [...paths.values()].sort((a, b) => (a.measure < b.measure ? -1 : a.measure > b.measure ? 1 : 0)),
    };
    settled.set(key, done);
    return done;
  };
  const out = new Map<string, Kpi>();
  for (const key of kpis.keys()) {
    const kpi = settle(key);
    if (kpi) out.set(key, kpi);
  }
  return out;
}

/** A derived KPI's `value`, and the problems of a derived KPI the resolver can see without a query. */
function resolveValue(state: ResolveState, kpi: KpiState, fields: KpiFields): DerivedExpr | undefined {
  const { decl, file } = kpi;
  const names = new Map([...state.kpis.values()].map((k) => [k.key, displayName(k.decl.name.text)]));
  const derived = resolveDerivedExpr(fields.exprs.value!, file, names, state.sink);
  if (fields.exprs.where) {
    reportError(
      state.sink,
      'derived-kpi-where',
      file,
      fields.exprs.where.span,
      `KPI \`${decl.name.text}\` is derived from other KPIs; a \`where\` on it would filter nothing of its own.`,
      { help: 'put the filter on the KPIs it is computed from, or give `--where` when running it' },
    );
    return undefined;
  }
  // Numbers alone (`value abs(0%)`) read no data: no periods, no segments, nothing to measure.
  if (derived && derivedRefs(derived).length === 0) {
    reportError(
      state.sink,
      'derived-without-kpi',
      file,
      decl.name.span,
      `KPI \`${decl.name.text}\` is derived, but its \`value\` uses no KPI: a derived value combines the values of other KPIs.`,
      { help: 'name at least one KPI in `value` (e.g. `value nps - previous(nps)`)' },
    );
    return undefined;
  }
  return derived;
}

function resolveKpi(state: ResolveState, scope: Scope, kpi: KpiState): Kpi | undefined {
  const { decl, file } = kpi;
  const fields = readKpiItems(decl, file, state.sink);
  const { numerator: numeratorExpr, denominator: denominatorExpr, value } = fields.exprs;
  if (value && (numeratorExpr || denominatorExpr)) {
    reportError(
      state.sink,
      'conflicting-items',
      file,
      fields.exprSpans.value!,
      `\`${decl.name.text}\` has both \`value\` and \`${numeratorExpr ? 'numerator' : 'denominator'}\`; a KPI is either numerator / denominator or a \`value\` derived from other KPIs.`,
      { help: 'keep `numerator`/`denominator`, or keep `value`' },
    );
  } else if (!value && !numeratorExpr) {
    reportError(
      state.sink,
      'missing-numerator',
      file,
      decl.name.span,
      `\`${decl.name.text}\` has no \`numerator\` (nor a \`value\`), so it has nothing to compute.`,
      { help: 'add `numerator MEASURE` (and optionally `denominator MEASURE`)' },
    );
  }
  // Too deep to run (or to walk recursively later): reported here, and the KPI is left out.
  const shallow = (expr: Expr | undefined, what: string) => !expr || checkDepth(state.sink, file, expr, what);
  const depthOk = {
    numerator: shallow(numeratorExpr, 'this numerator'),
    denominator: shallow(denominatorExpr, 'this denominator'),
    value: shallow(value, 'this value'),
    where: shallow(fields.exprs.where, 'this filter'),
    thresholds: fields.thresholds.map((t) => shallow(t.for, "this threshold's condition")),
  };
  const measureKeys = new Set<string>();
  const numerator =
    numeratorExpr && !value && depthOk.numerator ? toMExpr(state, scope, numeratorExpr, file, measureKeys) : undefined;
  const denominator =
    denominatorExpr && !value && depthOk.denominator
      ? toMExpr(state, scope, denominatorExpr, file, measureKeys)
      : undefined;
  const measures = [...measureKeys].filter((m) => state.measures.has(m)).sort();
  // Measures that failed to resolve still say where the KPI's dimensions are looked up.
  const roots = [...new Set([...measureKeys].map((m) => state.declaredMeasures.get(m)!.source))].sort();
  for (const ref of fields.segmentRefs) checkAtRoots(scope, roots, ref, file, state.sink, false);
  if (fields.exprs.where && depthOk.where) checkAtRoots(scope, roots, fields.exprs.where, file, state.sink, true);
  fields.thresholds.forEach((threshold, i) => {
    if (threshold.for && depthOk.thresholds[i]) checkAtRoots(scope, roots, threshold.for, file, state.sink, true);
  });
  fields.thresholds = resolveTargetTables(state, fields, file);
  const alerts = resolveAlerts(state, scope, roots, fields, file);
  const replacedBy = resolveReplacedBy(state, fields, file);
  if (!depthOk.value || !depthOk.where || depthOk.thresholds.includes(false)) return undefined;
  const derived = value && !numeratorExpr && !denominatorExpr ? resolveValue(state, kpi, fields) : undefined;
  if (value && !derived) return undefined;
  // A KPI whose numerator or denominator failed is left out (reported above): the model never holds half a ratio.
  if (!value && (!numerator || (denominatorExpr && !denominator))) return undefined;
  return buildKpi(kpi, fields, {
    numerator,
    denominator,
    derived,
    measures,
    replacedBy,
    alerts,
    customerPaths: customerPaths(state, scope, measures),
  });
}

/** The KPI's alerts; an alert's `where` is checked where the KPI's own `where` is. A KPI without a grain has no periods to watch. */
function resolveAlerts(
  state: ResolveState,
  scope: Scope,
  roots: readonly string[],
  fields: KpiFields,
  file: string,
): Alert[] {
  const alerts: Alert[] = [];
  for (const item of fields.alerts) {
    const alert = readAlert(item, fields.text.owner, file, state.sink);
    if (!alert) continue;
    if (!fields.words.grain) {
      reportError(
        state.sink,
        'alert-without-grain',
        file,
        item.name.span,
        `alert \`${alert.name}\` watches periods, and its KPI has no \`grain\`.`,
        { help: 'give the KPI a grain, e.g. `grain week`' },
      );
      continue;
    }
    if (alert.where && checkDepth(state.sink, file, alert.where, "this alert's filter"))
      checkAtRoots(scope, roots, alert.where, file, state.sink, true);
    checkAlert(item, alert, {
      scope,
      roots,
      hasCustomer: state.customer !== undefined,
      thresholds: fields.thresholds,
      file,
      sink: state.sink,
    });
    alerts.push(alert);
  }
  return alerts;
}

function resolveReplacedBy(state: ResolveState, fields: KpiFields, file: string): string | undefined {
  if (!fields.replacedBy) return undefined;
  const key = nameKey(fields.replacedBy.text);
  if (state.kpis.has(key)) return key;
  reportError(
    state.sink,
    'unknown-kpi',
    file,
    fields.replacedBy.span,
    `\`${fields.replacedBy.text}\` is not a KPI of the project.`,
    {
      help: didYouMean(
        fields.replacedBy.text,
        [...state.kpis.values()].map((k) => k.decl.name.text),
        '`replaced_by` names the KPI that replaces this one',
      ),
    },
  );
  return undefined;
}

interface Resolved {
  numerator?: MExpr | undefined;
  denominator?: MExpr | undefined;
  derived?: DerivedExpr | undefined;
  measures: string[];
  replacedBy?: string | undefined;
  alerts: Alert[];
  customerPaths: Kpi['customerPaths'];
}

function buildKpi(kpi: KpiState, fields: KpiFields, resolved: Resolved): Kpi {
  const { decl, file } = kpi;
  const optional: Record<string, unknown> = {
    title: fields.text.title,
    description: fields.text.description,
    owner: fields.text.owner,
    customerValue: fields.text.customer_value,
    indicator: fields.words.indicator,
    numerator: resolved.numerator,
    denominator: resolved.denominator,
    value: fields.exprs.value,
    derived: resolved.derived,
    scale: fields.scale,
    where: fields.exprs.where,
    grain: fields.words.grain,
    minSample: fields.minSample,
    window: fields.window,
    cohort: fields.cohort,
    direction: fields.words.direction,
    periods: fields.words.periods,
    replacedBy: resolved.replacedBy,
    version: fields.version,
    alerts: resolved.alerts.length > 0 ? resolved.alerts : undefined,
    format: fields.format ?? percentFromThresholds(decl),
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return {
    kind: 'kpi',
    name: displayName(decl.name.text),
    file,
    span: decl.span,
    nameSpan: decl.name.span,
    perspective: (fields.words.perspective as Kpi['perspective'] | undefined) ?? 'customer',
    perspectiveExplicit: fields.words.perspective !== undefined,
    segments: fields.segments,
    thresholds: fields.thresholds,
    status: (fields.words.status as Kpi['status'] | undefined) ?? 'active',
    tags: fields.tags,
    measures: resolved.measures,
    customerPaths: resolved.customerPaths,
    ...present,
  } as Kpi;
}

/** A KPI without `format` whose thresholds are written as percentages (`warn < 4%`) is read as a percent. */
function percentFromThresholds(decl: KpiState['decl']): ValueFormat | undefined {
  const percent = (e: Expr): boolean =>
    e.kind === 'number' ? e.percent : e.kind === 'unary' ? percent(e.operand) : false;
  return decl.items.some((i) => i?.kind === 'kpi-threshold' && i.value !== undefined && percent(i.value))
    ? { style: 'percent' }
    : undefined;
}

/** For each measure that reaches the customer entity: the path from its source. */
function customerPaths(
  state: ResolveState,
  scope: Scope,
  measures: readonly string[],
): { measure: string; path: JoinPath }[] {
  const customer = state.customer;
  if (!customer) return [];
  const paths: { measure: string; path: JoinPath }[] = [];
  for (const key of measures) {
    const source = state.measures.get(key)!.source;
    if (source === customer) paths.push({ measure: key, path: [] });
    else {
      const entry = scope.reach(source).entries.get(customer);
      if (entry && !passesLeftOut(scope, entry.path)) paths.push({ measure: key, path: entry.path });
    }
  }
  return paths;
}

/** A numerator or denominator: arithmetic over measures and numbers. */
function toMExpr(
  state: ResolveState,
  scope: Scope,
  expr: Expr | undefined,
  file: string,
  used: Set<string>,
): MExpr | undefined {
  if (!expr) return undefined;
  switch (expr.kind) {
    case 'ref':
      return measureRef(state, scope, expr, file, used);
    case 'number':
      if (!isDecimalText(expr.text)) return undefined;
      return { kind: 'number', text: literalDecimal(expr.text, expr.percent), span: expr.span };
    case 'unary': {
      if (expr.op !== '-') break;
      const operand = toMExpr(state, scope, expr.operand, file, used);
      return operand && { kind: 'negate', operand, span: expr.span };
    }
    case 'binary': {
      if (!isArithmetic(expr)) break;
      // `a + b + c + ...` is left-deep: walk the left spine without recursing once per term.
      const spine: ArithmeticExpr[] = [];
      let node: Expr | undefined = expr;
      while (isArithmetic(node)) {
        spine.push(node);
        node = node.left;
      }
      let left = toMExpr(state, scope, node, file, used);
      for (let i = spine.length - 1; i >= 0; i--) {
        const link = spine[i]!;
        const right = toMExpr(state, scope, link.right, file, used);
        left = left && right && { kind: 'arith', op: link.op, left, right, span: link.span };
      }
      return left;
    }
    default:
      break;
  }
  reportError(
    state.sink,
    'invalid-expression',
    file,
    expr.span,
    'a numerator or denominator is arithmetic (`+ - * /`) over measures and numbers; conditions, functions and text belong in a measure.',
    {
      help: 'declare a measure for it, e.g. `measure paid_orders = count() where status = "paid"`, and use its name here',
    },
  );
  return undefined;
}

type ArithmeticExpr = Extract<Expr, { kind: 'binary' }> & { readonly op: '+' | '-' | '*' | '/' };

function isArithmetic(expr: Expr | undefined): expr is ArithmeticExpr {
  return (
    !!expr &&
    typeof expr === 'object' &&
    expr.kind === 'binary' &&
    (expr.op === '+' || expr.op === '-' || expr.op === '*' || expr.op === '/')
  );
}

function measureRef(
  state: ResolveState,
  scope: Scope,
  ref: Extract<Expr, { kind: 'ref' }>,
  file: string,
  used: Set<string>,
): MExpr | undefined {
  const key = nameKey(ref.name.text);
  const measure = state.measures.get(key);
  const qualifier = ref.qualifier ? nameKey(ref.qualifier.text) : undefined;
  if (measure && (qualifier === undefined || qualifier === measure.source)) {
    used.add(key);
    return { kind: 'measure', measure: key, span: ref.span };
  }
  const declared = state.declaredMeasures.get(key);
  if (!measure && declared && (qualifier === undefined || qualifier === declared.source)) {
    used.add(key); // it failed to resolve (already reported); its source still counts for segments
    return undefined;
  }
  const written = `${ref.qualifier ? `${ref.qualifier.text}.` : ''}${ref.name.text}`;
  if (measure && qualifier !== undefined) {
    const owner = state.sources.get(measure.source)?.decl.name.text ?? measure.source;
    reportError(
      state.sink,
      'unknown-measure',
      file,
      ref.span,
      `\`${written}\`: the measure \`${measure.name}\` belongs to \`${owner}\`, not to \`${ref.qualifier!.text}\`.`,
      { help: `write \`${owner}.${measure.name}\` or just \`${measure.name}\`` },
    );
    return undefined;
  }
  const owners = [
    ...scope.dimensionOwners(key),
    ...[...scope.sources.values()].filter((s) => s.columns.has(key)).map((s) => s.key),
  ];
  const measureNames = [...state.declaredMeasures.values()].map((m) => m.name);
  const help =
    didYouMean(ref.name.text, measureNames) ??
    (owners.length > 0
      ? `\`${ref.name.text}\` is a column or dimension of \`${scope.sources.get(owners[0]!)?.name}\`; a KPI combines measures: declare one, e.g. \`measure total_${ref.name.text} = sum(${ref.name.text})\`, or count by it with \`segment by ${ref.name.text}\``
      : 'declare the measure in a source: `measure NAME = count()`');
  reportError(state.sink, 'unknown-measure', file, ref.span, `\`${written}\` is not a measure of the project.`, {
    help,
  });
  return undefined;
}
