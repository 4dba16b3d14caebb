// Source items: CST -> AST.

import type { CstNode } from 'chevrotain';
import type { Expr, MeasureItem, Name, SourceItem, Span } from './ast.ts';
import {
  endOf,
  Malformed,
  nameNode,
  nodeOf,
  nodesOf,
  optionalToken,
  reportAt,
  spanFrom,
  startOf,
  stringOf,
  tokenOf,
  tokenSpan,
  type ConvertContext,
} from './cst-access.ts';
import type { KpiToken } from './lexer.ts';
import { convertExpression } from './to-ast-expr.ts';
import type { UnknownItemReporter } from './to-ast.ts';
import * as t from './tokens.ts';

/** The words that start a source item, for messages. */
export const SOURCE_ITEM_WORDS: readonly string[] = t.SOURCE_ITEM_WORDS;

const key = (word: t.KeywordText): string => t.keyword(word).name;

/** One `sourceItem` node as an item; `undefined` when it was not an item at all. */
export function convertSourceItem(
  context: ConvertContext,
  item: CstNode,
  label: string,
  reportUnknown: UnknownItemReporter,
): SourceItem | undefined {
  if (item.recoveredNode === true) throw new Malformed();
  const [kind, node] = onlyChild(item);
  switch (kind) {
    case 'keyItem':
      return {
        kind: 'key',
        column: nameNode(nodeOf(node, 'name')),
        span: itemSpan(node, key('key'), nameNode(nodeOf(node, 'name')).span),
      };
    case 'customerItem':
      return {
        kind: 'customer-link',
        column: nameNode(nodeOf(node, 'name')),
        span: itemSpan(node, key('customer'), nameNode(nodeOf(node, 'name')).span),
      };
    case 'timeItem':
      return {
        kind: 'time',
        column: nameNode(nodeOf(node, 'name')),
        span: itemSpan(node, key('time'), nameNode(nodeOf(node, 'name')).span),
      };
    case 'joinItem':
      return convertJoin(node);
    case 'validItem': {
      const from = nameNode(nodeOf(node, 'from'));
      const to = nameNode(nodeOf(node, 'to'));
      tokenOf(node, key('from'));
      tokenOf(node, key('to'));
      return { kind: 'valid', from, to, span: itemSpan(node, key('valid'), to.span) };
    }
    case 'dimensionItem':
      return convertDimension(context, node, label);
    case 'measureItem':
      return convertMeasure(context, node);
    case 'checkItem': {
      const predicate = convertExpression(context, nodeOf(node, 'expression'));
      const name = node.children['name'] === undefined ? undefined : nameNode(nodeOf(node, 'name'));
      const span = itemSpan(node, key('check'), name?.span ?? predicate.span);
      return name === undefined ? { kind: 'check', predicate, span } : { kind: 'check', predicate, name, span };
    }
    case 'descriptionItem': {
      const text = stringOf(tokenOf(node, 'StringLiteral'));
      return { kind: 'description', text, span: itemSpan(node, key('description'), text.span) };
    }
    default:
      reportUnknown(context, node, 'source', label);
      return undefined;
  }
}

/** The single sub-node of a choice node. */
export function onlyChild(node: CstNode): [string, CstNode] {
  for (const kind in node.children) {
    const child = node.children[kind]![0];
    if (child === undefined || !('children' in child) || child.recoveredNode === true) break;
    return [kind, child];
  }
  throw new Malformed();
}

/** From the item's keyword to the end of its last part. */
export function itemSpan(node: CstNode, keywordKey: string, last: Span | KpiToken): Span {
  const keyword = tokenOf(node, keywordKey);
  return spanFrom(startOf(keyword), 'image' in last ? endOf(last) : last.end);
}

function convertJoin(node: CstNode): SourceItem {
  const target = nameNode(nodeOf(node, 'target'));
  tokenOf(node, key('on'));
  const column = nameNode(nodeOf(node, 'column'));
  if (node.children['targetColumn'] === undefined)
    return { kind: 'join', target, column, span: itemSpan(node, key('join'), column.span) };
  const targetColumn = nameNode(nodeOf(node, 'targetColumn'));
  return { kind: 'join', target, column, targetColumn, span: itemSpan(node, key('join'), targetColumn.span) };
}

function convertDimension(context: ConvertContext, node: CstNode, label: string): SourceItem {
  const names = nodesOf(node, 'name').map(nameNode);
  const internalToken = optionalToken(node, key('internal'));
  const internal = internalToken !== undefined;
  if (node.children['Equals'] === undefined) {
    const last = internalToken !== undefined ? tokenSpan(internalToken) : names[names.length - 1]!.span;
    return { kind: 'dimensions', names, internal, span: itemSpan(node, key('dimension'), last) };
  }
  tokenOf(node, 'Equals');
  const expr = convertExpression(context, nodeOf(node, 'expr'));
  const where = node.children['where'] === undefined ? undefined : convertExpression(context, nodeOf(node, 'where'));
  if (names.length > 1) {
    reportAt(
      context,
      'syntax-error',
      names[1]!.span,
      `a computed dimension declares one name; \`${names[1]!.text}\` follows \`${names[0]!.text} = ...\` in \`${label}\``,
      'declare each computed dimension on its own line',
    );
    throw new Malformed();
  }
  const last = internalToken !== undefined ? tokenSpan(internalToken) : (where ?? expr).span;
  const span = itemSpan(node, key('dimension'), last);
  const base = { kind: 'computed-dimension' as const, name: names[0]!, expr, internal, span };
  return where === undefined ? base : { ...base, where };
}

function convertMeasure(context: ConvertContext, node: CstNode): MeasureItem {
  const name = nameNode(nodeOf(node, 'name'));
  tokenOf(node, 'Equals');
  const aggregate = convertExpression(context, nodeOf(node, 'aggregate'));
  let where: Expr | undefined;
  let time: Name | undefined;
  let cumulative = false;
  let at: MeasureItem['at'];
  let side: MeasureItem['side'];
  let retention: MeasureItem['retention'];
  let last: Span = aggregate.span;
  const seen = new Set<string>();
  for (const modifier of nodesOf(node, 'measureModifier')) {
    const keyword = tokenOf(modifier, Object.keys(modifier.children).find((k) => k.startsWith('Kw_'))!);
    const word = keyword.image.toLowerCase();
    if (seen.has(word)) {
      reportAt(
        context,
        'duplicate-modifier',
        tokenSpan(keyword),
        `\`${word}\` is given twice in \`measure ${name.text}\``,
        word === 'where' ? 'combine the conditions with `and`' : 'keep one',
      );
      throw new Malformed();
    }
    seen.add(word);
    if (word === 'where') {
      where = convertExpression(context, nodeOf(modifier, 'where'));
      last = where.span;
    } else if (word === 'time') {
      time = nameNode(nodeOf(modifier, 'time'));
      last = time.span;
    } else if (word === 'cumulative') {
      cumulative = true;
      last = tokenSpan(keyword);
    } else if (word === 'retained' || word === 'churned') {
      if (retention !== undefined) {
        reportAt(
          context,
          'duplicate-modifier',
          tokenSpan(keyword),
          `\`retained\` and \`churned\` exclude each other in \`measure ${name.text}\``,
          'declare one measure for each',
        );
        throw new Malformed();
      }
      retention = { value: word, span: tokenSpan(keyword) };
      last = retention.span;
    } else if (word === 'at') {
      tokenOf(modifier, key('period'));
      const value = tokenOf(modifier, 'at');
      at = {
        value: value.image.toLowerCase() === 'start' ? 'start' : 'end',
        span: spanFrom(startOf(keyword), endOf(value)),
      };
      last = at.span;
    } else {
      const value = nameNode(nodeOf(modifier, 'side'));
      const lower = value.text.toLowerCase();
      if (value.quoted || (lower !== 'customer' && lower !== 'company')) {
        reportAt(
          context,
          'syntax-error',
          value.span,
          `expected \`customer\` or \`company\` after \`side\`, found \`${value.text}\``,
          "a measure is on the customer's side or the company's",
        );
        throw new Malformed();
      }
      side = { value: lower, span: spanFrom(startOf(keyword), value.span) };
      last = side.span;
    }
  }
  const span = itemSpan(node, key('measure'), last);
  const measure: { -readonly [K in keyof MeasureItem]: MeasureItem[K] } = {
    kind: 'measure',
    name,
    aggregate,
    cumulative,
    span,
  };
  if (where !== undefined) measure.where = where;
  if (time !== undefined) measure.time = time;
  if (at !== undefined) measure.at = at;
  if (side !== undefined) measure.side = side;
  if (retention !== undefined) measure.retention = retention;
  return measure;
}
