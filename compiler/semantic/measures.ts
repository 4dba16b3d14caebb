// Measures and checks of every source.

import type { MeasureItem } from '../syntax/ast.ts';
import type { Check, Measure } from './model.ts';
import { AGG_FUNCS } from './model.ts';
import { aggregateOf, bindAggregate } from './aggregate.ts';
import { bindRow, expectBoolean } from './bind-expr.ts';
import { checkInlinedDepth, rowContext } from './dimensions.ts';
import { checkDepth } from './depth.ts';
import { didYouMean, formatPlace, reportError } from './report.ts';
import type { Scope } from './scope.ts';
import { checkTemporal, findColumn } from './source-items.ts';
import type { ResolveState, SourceState } from './state.ts';
import { reportDuplicate } from './declarations.ts';
import { displayName, nameKey } from './names.ts';

/** Resolve the measures (unique across the project) and checks of every source, in declaration order. */
export function resolveMeasuresAndChecks(state: ResolveState, scope: Scope): void {
  const places = new Map<string, string>();
  for (const source of state.sources.values()) {
    let checkIndex = 0;
    const checkNames = new Map<string, string>();
    for (const item of source.decl.items ?? []) {
      if (item?.kind === 'measure' && item.name?.text) {
        const key = nameKey(item.name.text);
        const first = places.get(key);
        if (first !== undefined) {
          reportDuplicate(state, 'measure', item.name, source.file, first);
          continue;
        }
        places.set(key, formatPlace(source.file, item.name.span));
        state.declaredMeasures.set(key, { name: displayName(item.name.text), source: source.key });
        const measure = resolveMeasure(state, scope, source, item);
        if (measure) {
          state.measures.set(key, measure);
          source.measures.push(key);
        }
      } else if (item?.kind === 'check') {
        checkIndex += 1;
        const name = item.name?.text ? displayName(item.name.text) : `check_${checkIndex}`;
        const first = checkNames.get(nameKey(name));
        if (first !== undefined) {
          reportError(
            state.sink,
            'duplicate-name',
            source.file,
            item.name?.span ?? item.span,
            `\`${source.decl.name.text}\` already has a check named \`${name}\` (${first}); check names are unique within a source.`,
            { help: 'name the check with `as NAME`', notes: [`first declared here: ${first}`] },
          );
          continue;
        }
        checkNames.set(nameKey(name), formatPlace(source.file, item.name?.span ?? item.span));
        const ctx = rowContext(state, scope, source);
        if (!checkDepth(state.sink, source.file, item.predicate, 'this check')) continue;
        const predicate = expectBoolean(ctx, bindRow(ctx, item.predicate), 'a check');
        if (predicate && checkInlinedDepth(ctx, predicate, item.predicate, 'this check'))
          source.checks.push({ name, predicate, file: source.file, span: item.span } satisfies Check);
      }
    }
  }
}

function resolveMeasure(
  state: ResolveState,
  scope: Scope,
  source: SourceState,
  item: MeasureItem,
): Measure | undefined {
  const ctx = rowContext(state, scope, source);
  const aggregate = aggregateOf(item.aggregate);
  if (!aggregate || item.aggregate.kind !== 'call') {
    const callee = item.aggregate?.kind === 'call' ? item.aggregate.callee : undefined;
    reportError(
      state.sink,
      callee ? 'unknown-function' : 'not-an-aggregate',
      source.file,
      callee?.span ?? item.aggregate?.span ?? item.span,
      callee
        ? `\`${callee.text}\` is not an aggregate; a measure is one of count(), count(x), count_distinct(x), sum, avg, min, max, median, percentile(x, p).`
        : `a measure is an aggregate, such as \`count()\` or \`sum(amount)\`.`,
      { help: didYouMean(callee?.text ?? '', AGG_FUNCS, 'write e.g. `measure revenue = sum(amount)`') },
    );
    return undefined;
  }
  // Too deep to run: reported, and the measure is left out before anything recurses over it.
  const shallowAggregate = checkDepth(state.sink, source.file, item.aggregate, 'this measure');
  if (!checkDepth(state.sink, source.file, item.where, 'this filter') || !shallowAggregate) return undefined;
  const bound = bindAggregate(ctx, item.aggregate, aggregate);
  const where = item.where ? expectBoolean(ctx, bindRow(ctx, item.where), 'the `where` of a measure') : undefined;
  const time = resolveMeasureTime(state, source, item);
  if (!bound || (item.where && !where) || time === false) return undefined;
  if (
    !checkInlinedDepth(ctx, bound.arg, item.aggregate.args?.[0], 'this measure') ||
    !checkInlinedDepth(ctx, where, item.where, 'this filter')
  )
    return undefined;
  const reachesCustomer =
    state.customer !== undefined &&
    (source.key === state.customer || scope.reach(source.key).entries.has(state.customer));
  const measure: Measure = {
    kind: 'measure',
    name: displayName(item.name.text),
    file: source.file,
    span: item.span,
    nameSpan: item.name.span,
    source: source.key,
    aggregate,
    type: bound.type,
    cumulative: item.cumulative === true,
    side: item.side?.value ?? (reachesCustomer ? 'customer' : 'company'),
    sideExplicit: item.side !== undefined,
  };
  return {
    ...measure,
    ...(bound.arg ? { arg: bound.arg } : {}),
    ...(bound.percentile ? { percentile: bound.percentile } : {}),
    ...(where ? { where } : {}),
    ...(time ? { time } : {}),
    ...(item.at ? { at: item.at.value } : {}),
    ...(item.retention && checkRetention(state, source, item, aggregate, time)
      ? { retention: item.retention.value }
      : {}),
  };
}

/**
 * `retained` / `churned` compare the distinct values of two periods: they
 * need `count_distinct`, a time column, and no other way of meeting periods.
 */
function checkRetention(
  state: ResolveState,
  source: SourceState,
  item: MeasureItem,
  aggregate: string,
  time: string | undefined,
): boolean {
  const word = item.retention!.value;
  const fail = (message: string, help: string) => {
    reportError(state.sink, 'invalid-retention', source.file, item.retention!.span, message, { help });
    return false;
  };
  if (item.at && !item.cumulative) return checkStateRetention(state, source, item, aggregate, fail);
  if (aggregate !== 'count_distinct')
    return fail(
      `\`${word}\` compares who is counted in two periods, so it needs \`count_distinct(...)\`, not \`${aggregate}\`.`,
      `e.g. \`measure ${word}_customers = count_distinct(customer_id) ${word}\``,
    );
  if (item.cumulative || item.at)
    return fail(
      `\`${word}\` compares each period with the one before; it cannot be combined with \`${item.cumulative ? 'cumulative' : 'at period ...'}\`.`,
      'declare it as a plain flow measure',
    );
  if (!time)
    return fail(
      `\`${word}\` needs periods, and \`${source.decl.name.text}\` has no \`time\` column.`,
      'add `time COL` to the source or to the measure',
    );
  return true;
}

/**
 * `retained` / `churned` on a snapshot (`at period start|end`): each
 * customer's value at the period's end against its value at the start
 * (docs/time-analytics.md, "Retention from period-start state"). The
 * per-customer values add up across customers, so the aggregate must add.
 */
function checkStateRetention(
  state: ResolveState,
  source: SourceState,
  item: MeasureItem,
  aggregate: string,
  fail: (message: string, help: string) => boolean,
): boolean {
  const word = item.retention!.value;
  const at = item.at!.value;
  if (aggregate !== 'sum' && aggregate !== 'count' && aggregate !== 'count_distinct') {
    return fail(
      `\`${word}\` at period ${at} compares each customer's value at the period's start and end and adds them up, so it needs \`sum\`, \`count\` or \`count_distinct\`, not \`${aggregate}\`.`,
      `e.g. \`measure retained_mrr = sum(mrr) at period end retained\``,
    );
  }
  if (word === 'churned' && at === 'end') {
    return fail(
      '`churned` at period end would be the end value of customers not there at the start: that is new business, not churn.',
      'write `at period start churned` (the start value lost by the end)',
    );
  }
  const customer = state.customer;
  const reaches =
    customer !== undefined && (source.key === customer || state.scope?.reach(source.key).entries.has(customer));
  if (!reaches)
    return fail(
      `\`${word}\` at period ${at} compares each customer's start and end, but \`${source.decl.name.text}\` does not reach the customer entity.`,
      'link the source to the customer (`customer COL`)',
    );
  return true;
}

/** The measure's time column: its own `time`, else the source's; false when the items conflict. */
function resolveMeasureTime(state: ResolveState, source: SourceState, item: MeasureItem): string | undefined | false {
  if (item.at) {
    if (item.cumulative) {
      reportError(
        state.sink,
        'conflicting-items',
        source.file,
        item.at.span,
        '`cumulative` and `at period start|end` exclude each other: a snapshot is taken at one instant.',
        { help: 'keep one of them' },
      );
      return false;
    }
    if (item.time) {
      reportError(
        state.sink,
        'conflicting-items',
        source.file,
        item.time.span,
        '`at period start|end` measures rows valid at an instant, from `valid from ... to ...`; a `time` column does not apply.',
        { help: 'remove `time`, or remove `at period ...` to count rows by their time' },
      );
      return false;
    }
    if (!source.decl.items?.some((i) => i?.kind === 'valid')) {
      reportError(
        state.sink,
        'at-requires-valid',
        source.file,
        item.at.span,
        `\`at period ${item.at.value}\` counts the rows valid at an instant, but \`${source.decl.name.text}\` declares no \`valid from ... to ...\`.`,
        { help: `add \`valid from START_COLUMN to END_COLUMN\` to \`${source.decl.name.text}\`` },
      );
      return false;
    }
    return undefined;
  }
  if (!item.time) return source.time;
  const column = findColumn(state, source, item.time, 'the time of a measure');
  if (!column || !checkTemporal(state, source, item.time, column, 'a time column')) return false;
  return column.name;
}
