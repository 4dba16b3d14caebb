// What an alert says that its KPI can prove wrong before anything runs
// (docs/alerts.md): a `by` that names no dimension the KPI's measures reach,
// a dimension listed twice, `by customer` without a customer entity, and a
// `when status` that no threshold of the KPI can ever produce.
//
//   kpi usage { numerator events  grain week  alert drop { by teir ... } }
//   -> error[unknown-dimension] at `teir`, with "did you mean `tier`?"

import type { ColumnRef, KpiAlertItem } from '../syntax/ast.ts';
import { checkAtRoots } from './kpi-bind.ts';
import type { Alert, Threshold } from './model.ts';
import { nameKey } from './names.ts';
import { reportError } from './report.ts';
import type { Sink } from './report.ts';
import type { Scope } from './scope.ts';

export interface AlertContext {
  readonly scope: Scope;
  /** The sources of the KPI's measures, where its dimensions are looked up. */
  readonly roots: readonly string[];
  readonly hasCustomer: boolean;
  readonly thresholds: readonly Threshold[];
  readonly file: string;
  readonly sink: Sink;
}

/** Report the problems of an alert's `by` and `when` against its KPI. */
export function checkAlert(item: KpiAlertItem, alert: Alert, ctx: AlertContext): void {
  const by = item.items.find((part) => part.kind === 'alert-by');
  if (by) checkBy(by.dimensions, alert.name, ctx);
  checkStatusCanFire(alert, ctx);
}

function checkBy(refs: readonly ColumnRef[], alert: string, ctx: AlertContext): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    const id = `${ref.qualifier ? `${nameKey(ref.qualifier.text)}.` : ''}${nameKey(ref.name.text)}`;
    if (seen.has(id)) {
      reportError(ctx.sink, 'duplicate-item', ctx.file, ref.span, `\`${ref.name.text}\` is already in this \`by\`.`, {
        help: 'list each dimension once',
      });
      continue;
    }
    seen.add(id);
    // `by customer` is the customer entity's key (a dimension called `customer` is reached qualified).
    if (!ref.qualifier && nameKey(ref.name.text) === 'customer') {
      if (!ctx.hasCustomer)
        reportError(
          ctx.sink,
          'invalid-alert',
          ctx.file,
          ref.span,
          `alert \`${alert}\` watches each customer, and the project declares no customer entity.`,
          { help: 'declare `customer NAME from "..." { key ... }`, or watch a dimension, e.g. `by region`' },
        );
      continue;
    }
    checkAtRoots(ctx.scope, ctx.roots, ref, ctx.file, ctx.sink, false);
  }
}

/** `when status critical` on a KPI without a critical threshold would never fire. */
function checkStatusCanFire(alert: Alert, ctx: AlertContext): void {
  const { condition } = alert;
  if (condition.kind !== 'status') return;
  const levels = condition.level === 'critical' ? ['critical'] : ['critical', 'warn'];
  if (ctx.thresholds.some((t) => levels.includes(t.level))) return;
  reportError(
    ctx.sink,
    'invalid-alert',
    ctx.file,
    alert.span,
    `alert \`${alert.name}\` watches status \`${condition.level}\`, and its KPI has no ${condition.level === 'critical' ? '`critical`' : '`warn` or `critical`'} threshold: it would never fire.`,
    {
      help: `add a threshold to the KPI, e.g. \`${condition.level} < 10\`, or watch the value: \`when value < 10\``,
    },
  );
}
