// KPI items: CST -> AST.

import type { CstNode } from 'chevrotain';
import type {
  AlertCountItem,
  AlertItem,
  AlertRoleItem,
  AlertWhenItem,
  ColumnRef,
  ComparisonOp,
  Expr,
  KpiAlertItem,
  KpiItem,
  KpiNumberItem,
  KpiTextItem,
  KpiWordItem,
  KpiExprItem,
  KpiThresholdItem,
  Span,
} from './ast.ts';
import {
  endOf,
  Malformed,
  nameOf,
  nameNode,
  nodeOf,
  nodesOf,
  optionalToken,
  reportAt,
  spanFrom,
  startOf,
  stringOf,
  tokenOf,
  tokensOf,
  type ConvertContext,
} from './cst-access.ts';
import { convertExpression, durationOf, numberOf } from './to-ast-expr.ts';
import { itemSpan, onlyChild } from './to-ast-source.ts';
import type { UnknownItemReporter } from './to-ast.ts';
import * as t from './tokens.ts';

/** The words that start a KPI item, for messages. */
export const KPI_ITEM_WORDS: readonly string[] = t.KPI_ITEM_WORDS;

/** The words that start an alert item, for messages. */
export const ALERT_ITEM_WORDS: readonly string[] = t.ALERT_ITEM_WORDS;

/** One `kpiItem` node as an item; `undefined` when it was not an item at all. */
export function convertKpiItem(
  context: ConvertContext,
  item: CstNode,
  label: string,
  reportUnknown: UnknownItemReporter,
): KpiItem | undefined {
  if (item.recoveredNode === true) throw new Malformed();
  const [kind, node] = onlyChild(item);
  switch (kind) {
    case 'kpiTextItem': {
      const field = fieldOf(node) as KpiTextItem['field'];
      const value = stringOf(tokenOf(node, 'StringLiteral'));
      return { kind: 'kpi-text', field, value, span: itemSpan(node, 'field', value.span) };
    }
    case 'kpiWordItem': {
      const field = fieldOf(node) as KpiWordItem['field'];
      const value = nameNode(nodeOf(node, 'name'));
      return { kind: 'kpi-word', field, value, span: itemSpan(node, 'field', value.span) };
    }
    case 'kpiExprItem': {
      const field = fieldOf(node) as KpiExprItem['field'];
      const expr = convertExpression(context, nodeOf(node, 'expression'));
      return { kind: 'kpi-expr', field, expr, span: itemSpan(node, 'field', expr.span) };
    }
    case 'kpiNumberItem': {
      const field = fieldOf(node) as KpiNumberItem['field'];
      const value = numberOf(tokenOf(node, 'NumberLiteral'));
      return { kind: 'kpi-number', field, value, span: itemSpan(node, 'field', value.span) };
    }
    case 'kpiSegmentItem': {
      tokenOf(node, t.keyword('by').name);
      const dimensions = nodesOf(node, 'qualifiedName').map(columnRefOf);
      if (dimensions.length === 0) throw new Malformed();
      return {
        kind: 'kpi-segment',
        dimensions,
        span: itemSpan(node, t.keyword('segment').name, dimensions[dimensions.length - 1]!.span),
      };
    }
    case 'kpiCohortItem': {
      tokenOf(node, t.keyword('by').name);
      const dimension = columnRefOf(nodeOf(node, 'qualifiedName'));
      return { kind: 'kpi-cohort', dimension, span: itemSpan(node, t.keyword('cohort').name, dimension.span) };
    }
    case 'kpiWindowItem': {
      const duration = durationOf(context, tokenOf(node, 'NumberLiteral'), tokenOf(node, 'UnitWord'));
      return { kind: 'kpi-window', duration, span: itemSpan(node, t.keyword('window').name, duration.span) };
    }
    case 'kpiThresholdItem':
      return convertThreshold(context, node);
    case 'kpiAlertItem':
      return convertAlert(context, node, reportUnknown);
    case 'kpiFormatItem': {
      const style = nameNode(nodeOf(node, 'style'));
      const unitToken = optionalToken(node, 'StringLiteral');
      const unit = unitToken === undefined ? undefined : stringOf(unitToken);
      const number = optionalToken(node, 'NumberLiteral');
      const decimals =
        number === undefined ? undefined : { word: nameNode(nodeOf(node, 'decimalsWord')), value: numberOf(number) };
      const last = decimals?.value.span ?? unit?.span ?? style.span;
      return {
        kind: 'kpi-format',
        style,
        ...(unit ? { unit } : {}),
        ...(decimals ? { decimals } : {}),
        span: itemSpan(node, t.keyword('format').name, last),
      };
    }
    case 'kpiReplacedByItem': {
      const kpi = nameNode(nodeOf(node, 'name'));
      return { kind: 'kpi-replaced-by', kpi, span: itemSpan(node, t.keyword('replaced_by').name, kpi.span) };
    }
    case 'kpiTagsItem': {
      const tags = tokensOf(node, 'StringLiteral').map(stringOf);
      if (tags.length === 0) throw new Malformed();
      return { kind: 'kpi-tags', tags, span: itemSpan(node, t.keyword('tags').name, tags[tags.length - 1]!.span) };
    }
    default:
      reportUnknown(context, node, 'kpi', label);
      return undefined;
  }
}

/** The item's keyword, lower-cased: `Title` and `title` are the same item. */
function fieldOf(node: CstNode): string {
  return tokenOf(node, 'field').image.toLowerCase();
}

function columnRefOf(node: CstNode): ColumnRef {
  const words = tokensOf(node, 'Word');
  const first = words[0];
  if (first === undefined) throw new Malformed();
  if (words.length === 1) return { kind: 'ref', name: nameOf(first), span: nameOf(first).span };
  tokenOf(node, 'Dot');
  const second = words[1]!;
  return { kind: 'ref', qualifier: nameOf(first), name: nameOf(second), span: spanFrom(startOf(first), endOf(second)) };
}

function convertAlert(context: ConvertContext, node: CstNode, reportUnknown: UnknownItemReporter): KpiAlertItem {
  const name = nameNode(nodeOf(node, 'name'));
  const items: AlertItem[] = [];
  for (const child of nodesOf(node, 'alertItem')) {
    if (child.recoveredNode === true) continue;
    const item = convertAlertItem(context, child, `alert ${name.text}`, reportUnknown);
    if (item !== undefined) items.push(item);
  }
  const close = optionalToken(node, 'RCurly');
  if (close === undefined) throw new Malformed();
  return { kind: 'kpi-alert', name, items, span: itemSpan(node, t.keyword('alert').name, close) };
}

function convertAlertItem(
  context: ConvertContext,
  item: CstNode,
  label: string,
  reportUnknown: UnknownItemReporter,
): AlertItem | undefined {
  const [kind, node] = onlyChild(item);
  switch (kind) {
    case 'alertByItem': {
      const dimensions = nodesOf(node, 'qualifiedName').map(columnRefOf);
      if (dimensions.length === 0) throw new Malformed();
      return {
        kind: 'alert-by',
        dimensions,
        span: itemSpan(node, t.keyword('by').name, dimensions[dimensions.length - 1]!.span),
      };
    }
    case 'alertWhereItem': {
      const expr = convertExpression(context, nodeOf(node, 'expression'));
      return { kind: 'alert-where', expr, span: itemSpan(node, t.keyword('where').name, expr.span) };
    }
    case 'alertWhenItem':
      return convertAlertWhen(node);
    case 'alertCountItem': {
      const field = tokenOf(node, 'field').image.toLowerCase() as AlertCountItem['field'];
      const count = numberOf(tokenOf(node, 'NumberLiteral'));
      const after = node.children['after'] === undefined ? undefined : nameNode(nodeOf(node, 'after'));
      const unit = node.children['unit'] === undefined ? undefined : nameNode(nodeOf(node, 'unit'));
      return {
        kind: 'alert-count',
        field,
        ...(after ? { after } : {}),
        count,
        ...(unit ? { unit } : {}),
        span: itemSpan(node, 'field', unit?.span ?? count.span),
      };
    }
    case 'alertLevelItem': {
      const value = nameNode(nodeOf(node, 'name'));
      return { kind: 'alert-level', value, span: itemSpan(node, t.keyword('level').name, value.span) };
    }
    case 'alertRoleItem': {
      const people = tokensOf(node, 'StringLiteral').map(stringOf);
      if (people.length === 0) throw new Malformed();
      const role = fieldOf(node) as AlertRoleItem['role'];
      return { kind: 'alert-role', role, people, span: itemSpan(node, 'field', people[people.length - 1]!.span) };
    }
    default:
      reportUnknown(context, node, 'alert', label);
      return undefined;
  }
}

function convertAlertWhen(node: CstNode): AlertWhenItem {
  const subject = nameNode(nodeOf(node, 'subject'));
  const keyword = t.keyword('when').name;
  if (node.children['status'] !== undefined) {
    const status = nameNode(nodeOf(node, 'status'));
    return { kind: 'alert-when', subject, status, span: itemSpan(node, keyword, status.span) };
  }
  const op = tokenOf(node, 'ComparisonOp').image as ComparisonOp;
  const value = numberValueOf(node);
  if (node.children['against'] === undefined)
    return { kind: 'alert-when', subject, op, value, span: itemSpan(node, keyword, value.span) };
  const word = nameNode(nodeOf(node, 'against'));
  const baseline = nameNode(nodeOf(node, 'baseline'));
  const periodsToken = optionalToken(node, 'baselinePeriods');
  const periods = periodsToken === undefined ? undefined : numberOf(periodsToken);
  const against = { word, baseline, ...(periods ? { periods } : {}) };
  return {
    kind: 'alert-when',
    subject,
    op,
    value,
    against,
    span: itemSpan(node, keyword, periods?.span ?? baseline.span),
  };
}

function convertThreshold(context: ConvertContext, node: CstNode): KpiThresholdItem {
  const level = fieldOf(node) as KpiThresholdItem['level'];
  const op = tokenOf(node, 'ComparisonOp').image as ComparisonOp;
  const value = node.children['qualifiedName'] ? columnRefOf(nodeOf(node, 'qualifiedName')) : numberValueOf(node);
  const from = thresholdFrom(context, node);
  const dated = from === undefined ? {} : { from };
  if (node.children['expression'] === undefined)
    return {
      kind: 'kpi-threshold',
      level,
      op,
      value,
      ...dated,
      span: itemSpan(node, 'field', from?.span ?? value.span),
    };
  tokenOf(node, t.keyword('for').name);
  const predicate = convertExpression(context, nodeOf(node, 'expression'));
  return {
    kind: 'kpi-threshold',
    level,
    op,
    value,
    ...dated,
    for: predicate,
    span: itemSpan(node, 'field', predicate.span),
  };
}

/** `-5`, `4%`: a number, possibly negative. */
function numberValueOf(node: CstNode): Expr {
  const number = numberOf(tokenOf(node, 'NumberLiteral'));
  const minus = optionalToken(node, 'Minus');
  return minus === undefined
    ? number
    : { kind: 'unary', op: '-', operand: number, span: spanFrom(startOf(minus), number.span) };
}

/** `from 2025-01-01`, written as one word (no spaces) and a real calendar date. */
function thresholdFrom(context: ConvertContext, node: CstNode): { date: string; span: Span } | undefined {
  const year = optionalToken(node, 'fromYear');
  if (year === undefined) return undefined;
  const month = tokenOf(node, 'fromMonth');
  const day = tokenOf(node, 'fromDay');
  const span = spanFrom(startOf(year), endOf(day));
  const text = `${year.image}-${month.image}-${day.image}`;
  const adjacent = span.end.offset - span.start.offset === text.length;
  const parsed = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const real = parsed && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
  if (!adjacent || !real) {
    reportAt(
      context,
      'invalid-date',
      span,
      `\`${text}\` is not a date: write \`from YYYY-MM-DD\`, a real calendar date, without spaces`,
      'e.g. `target >= 40 from 2025-01-01`',
    );
    return undefined;
  }
  return { date: text, span };
}
