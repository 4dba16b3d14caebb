// CST -> AST for declarations and their items. Pure.
//
// Each declaration and each item is converted on its own: one that error
// recovery left incomplete is dropped (its error is already reported), the
// others are kept, so a mistake on one line costs only that line.

import type { CstElement, CstNode } from 'chevrotain';
import { suggest } from '../diagnostics.ts';
import type { Declaration, KpiDecl, KpiItem, Position, SourceDecl, SourceItem, SourceRef, Span } from './ast.ts';
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
  tokensOf,
  type ConvertContext,
} from './cst-access.ts';
import type { KpiToken } from './lexer.ts';
import { ALERT_ITEM_WORDS, convertKpiItem, KPI_ITEM_WORDS } from './to-ast-kpi.ts';
import { convertSourceItem, SOURCE_ITEM_WORDS } from './to-ast-source.ts';
import * as t from './tokens.ts';

/** The declarations of a `file` node; `undefined` entries were left out. */
export function convertDeclarations(context: ConvertContext, file: CstNode): Declaration[] {
  const out: Declaration[] = [];
  for (const top of (file.children['topLevel'] ?? []) as CstNode[]) {
    const declaration = guard(() => convertTopLevel(context, top));
    if (declaration !== undefined) out.push(declaration);
  }
  return out;
}

/** Runs a converter; a hole left by error recovery means "leave this node out". */
export function guard<T>(convert: () => T | undefined): T | undefined {
  try {
    return convert();
  } catch (error) {
    if (error instanceof Malformed) return undefined;
    throw error;
  }
}

function convertTopLevel(context: ConvertContext, top: CstNode): Declaration | undefined {
  const kpi = top.children['kpiDecl']?.[0] as CstNode | undefined;
  if (kpi !== undefined) return convertKpiDecl(context, kpi);
  const source = top.children['sourceDecl']?.[0] as CstNode | undefined;
  if (source !== undefined) return convertSourceDecl(context, source);
  reportStray(context, nodeOf(top, 'stray'));
  return undefined;
}

function reportStray(context: ConvertContext, stray: CstNode): void {
  const first = tokensOf(stray, 'AnyToken')[0]!;
  const word = first.image.toLowerCase();
  if (first.tokenType === t.RCurly) {
    reportAt(
      context,
      'syntax-error',
      tokenSpan(first),
      'unexpected `}`: no declaration is open here',
      'remove it, or check the `{` of the declaration above',
    );
    return;
  }
  const guess = /^[a-z_]+$/.test(word) ? suggest(word, ['source', 'customer', 'kpi']) : undefined;
  reportAt(
    context,
    'syntax-error',
    tokenSpan(first),
    `expected a declaration (\`source\`, \`customer\` or \`kpi\`), found \`${first.image}\``,
    guess !== undefined
      ? `did you mean \`${guess}\`?`
      : 'a file holds `source NAME from REF { ... }`, `customer NAME from REF { ... }` and `kpi NAME { ... }` declarations',
  );
}

/** The end of a declaration: its `}`, or what it last holds when recovery supplied the `}`. */
function declarationEnd(node: CstNode, items: readonly { readonly span: Span }[], fallback: Position): Position {
  const close = optionalCloseBrace(node);
  if (close !== undefined) return endOf(close);
  return items.length > 0 ? items[items.length - 1]!.span.end : fallback;
}

function optionalCloseBrace(node: CstNode): KpiToken | undefined {
  const element = node.children['RCurly']?.[0] as KpiToken | undefined;
  return element === undefined || element.isInsertedInRecovery === true ? undefined : element;
}

function convertSourceDecl(context: ConvertContext, node: CstNode): SourceDecl {
  const keyword = tokenOf(node, 'keyword');
  const name = nameNode(nodeOf(node, 'name'));
  tokenOf(node, t.keyword('from').name);
  const from = convertSourceRef(nodeOf(node, 'sourceRef'));
  const open = tokenOf(node, 'LCurly');
  const label = `${keyword.image.toLowerCase()} ${name.text}`;
  const items: SourceItem[] = [];
  for (const item of itemNodes(node, 'sourceItem')) {
    const converted = guard(() => convertSourceItem(context, item, label, reportUnknownItem));
    if (converted !== undefined) items.push(converted);
  }
  return {
    kind: 'source',
    isCustomer: keyword.tokenType === t.keyword('customer'),
    name,
    from,
    items,
    span: spanFrom(startOf(keyword), declarationEnd(node, items, endOf(open))),
  };
}

function convertKpiDecl(context: ConvertContext, node: CstNode): KpiDecl {
  const keyword = tokenOf(node, 'keyword');
  const name = nameNode(nodeOf(node, 'name'));
  const open = tokenOf(node, 'LCurly');
  const label = `kpi ${name.text}`;
  const items: KpiItem[] = [];
  for (const item of itemNodes(node, 'kpiItem')) {
    const converted = guard(() => convertKpiItem(context, item, label, reportUnknownItem));
    if (converted !== undefined) items.push(converted);
  }
  return { kind: 'kpi', name, items, span: spanFrom(startOf(keyword), declarationEnd(node, items, endOf(open))) };
}

/** Item nodes, the recovered ones included: each item's converter decides. */
function itemNodes(node: CstNode, key: string): CstNode[] {
  return ((node.children[key] ?? []) as CstElement[]).filter((element): element is CstNode => 'children' in element);
}

function convertSourceRef(node: CstNode): SourceRef {
  const path = optionalToken(node, 'path');
  if (path !== undefined) return { kind: 'file-ref', path: stringOf(path).value, span: tokenSpan(path) };
  const tableKeyword = optionalToken(node, t.keyword('table').name);
  if (tableKeyword !== undefined) {
    const parts = nodesOf(node, 'table').map(nameNode);
    if (parts.length === 0) throw new Malformed();
    const table = parts[parts.length - 1]!;
    const span = spanFrom(startOf(tableKeyword), table.span);
    return parts.length === 2
      ? { kind: 'table-ref', schema: parts[0]!, table, span }
      : { kind: 'table-ref', table, span };
  }
  const source = nameNode(nodeOf(node, 'source'));
  return { kind: 'source-ref', source, span: source.span };
}

/** What to say about a line that is not an item of its declaration. */
export type UnknownItemReporter = (
  context: ConvertContext,
  node: CstNode,
  owner: 'source' | 'kpi' | 'alert',
  label: string,
) => void;

const ITEM_HINTS: Readonly<Record<string, string>> = {
  measure:
    'measures are declared in a source (`measure NAME = AGG`); a KPI names them in `numerator` and `denominator`',
  dimension: 'dimensions are declared in a source; a KPI names them in `segment by` and `where`',
  where: 'in a source, `where` belongs to a measure or a computed dimension: `measure paid = count() where amount > 0`',
  segment: 'a KPI is broken down with `segment by`; in a source, declare the column with `dimension`',
  numerator: 'measures are combined in a KPI: `kpi NAME { numerator ... }`',
  key: '`key` names the row identifier of a source',
  time: '`time` gives a source its default time column; a KPI chooses periods with `grain`',
};

function reportUnknownItem(
  context: ConvertContext,
  node: CstNode,
  owner: 'source' | 'kpi' | 'alert',
  label: string,
): void {
  const first = tokensOf(node, 'AnyToken')[0]!;
  const isWord = /^[A-Za-z_][A-Za-z0-9_]*$/.test(first.image);
  if (!isWord) {
    reportAt(
      context,
      'syntax-error',
      tokenSpan(first),
      `unexpected \`${first.image}\`: expected an item of \`${label}\``,
    );
    return;
  }
  const word = first.image.toLowerCase();
  if (owner === 'alert') {
    const guess = suggest(word, ALERT_ITEM_WORDS);
    reportAt(
      context,
      'unknown-item',
      tokenSpan(first),
      `\`${first.image}\` is not an item of an alert (in \`${label}\`)`,
      guess !== undefined
        ? `did you mean \`${guess}\`?`
        : `the items of an alert are ${ALERT_ITEM_WORDS.map((w) => `\`${w}\``).join(', ')}`,
    );
    return;
  }
  const own = owner === 'kpi' ? KPI_ITEM_WORDS : SOURCE_ITEM_WORDS;
  const other = owner === 'kpi' ? SOURCE_ITEM_WORDS : KPI_ITEM_WORDS;
  const ownerText = owner === 'kpi' ? 'a KPI' : 'a source';
  if (other.includes(word) && !own.includes(word)) {
    const otherText = owner === 'kpi' ? 'a source' : 'a KPI';
    reportAt(
      context,
      'unknown-item',
      tokenSpan(first),
      `\`${word}\` is an item of ${otherText}, not of ${ownerText}`,
      ITEM_HINTS[word],
    );
    return;
  }
  const guess = suggest(word, own);
  reportAt(
    context,
    'unknown-item',
    tokenSpan(first),
    `\`${first.image}\` is not an item of ${ownerText} (in \`${label}\`)`,
    guess !== undefined
      ? `did you mean \`${guess}\`?`
      : `the items of ${ownerText} are ${own.map((w) => `\`${w}\``).join(', ')}`,
  );
}
