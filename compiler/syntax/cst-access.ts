// Reading the CST safely.
//
// Error recovery leaves holes in the CST: missing children, tokens the
// parser inserted, nodes it gave up on. The AST must hold only well-formed
// nodes, so every read goes through these helpers, which throw `Malformed`
// at a hole; the converter of each item or declaration catches it and
// leaves that node out (its error was already reported by the parser).

import type { ErrorCode } from '../codes.ts';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics.ts';
import type { Name, Position, Span, StringLit } from './ast.ts';
import type { KpiToken } from './lexer.ts';
import { syntaxDiagnostic, type SourceText } from './source-text.ts';
import * as t from './tokens.ts';

/** Thrown at a hole left by error recovery; never escapes the converter. */
export class Malformed extends Error {}

/** What a converter needs: the text and a place to report. */
export interface ConvertContext {
  readonly source: SourceText;
  readonly diagnostics: Diagnostic[];
}

export function reportAt(context: ConvertContext, code: ErrorCode, span: Span, message: string, help?: string): void {
  context.diagnostics.push(syntaxDiagnostic(context.source, code, span.start.offset, span.end.offset, message, help));
}

function isToken(element: CstElement): element is IToken {
  return (element as IToken).tokenType !== undefined;
}

/** The `index`-th token labelled `key`, which must be real (not inserted by recovery). */
export function tokenOf(node: CstNode, key: string, index = 0): KpiToken {
  const element = node.children[key]?.[index];
  if (element === undefined || !isToken(element) || element.isInsertedInRecovery === true) throw new Malformed();
  return element as KpiToken;
}

/** The token labelled `key`, if it is there. */
export function optionalToken(node: CstNode, key: string, index = 0): KpiToken | undefined {
  const element = node.children[key]?.[index];
  if (element === undefined) return undefined;
  if (!isToken(element) || element.isInsertedInRecovery === true) throw new Malformed();
  return element as KpiToken;
}

/** Every token labelled `key`. */
export function tokensOf(node: CstNode, key: string): KpiToken[] {
  const elements = node.children[key] ?? [];
  return elements.map((element) => {
    if (!isToken(element) || element.isInsertedInRecovery === true) throw new Malformed();
    return element as KpiToken;
  });
}

/** The `index`-th sub-node labelled `key`, which must have parsed without recovery. */
export function nodeOf(node: CstNode, key: string, index = 0): CstNode {
  const element = node.children[key]?.[index];
  if (element === undefined || isToken(element) || element.recoveredNode === true) throw new Malformed();
  return element;
}

/** Every sub-node labelled `key`. */
export function nodesOf(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).map((element) => {
    if (isToken(element) || element.recoveredNode === true) throw new Malformed();
    return element;
  });
}

export function hasChild(node: CstNode, key: string): boolean {
  return (node.children[key]?.length ?? 0) > 0;
}

export function startOf(token: KpiToken): Position {
  return { offset: token.startOffset, line: token.line, column: token.column };
}

export function endOf(token: KpiToken): Position {
  return {
    offset: token.startOffset + token.image.length,
    line: token.line,
    column: token.column + token.image.length,
  };
}

export function tokenSpan(token: KpiToken): Span {
  return { start: startOf(token), end: endOf(token) };
}

export function spanFrom(start: Position | Span, end: Position | Span): Span {
  return { start: 'start' in start ? start.start : start, end: 'end' in end ? end.end : end };
}

/**
 * A name from an identifier, keyword or backticked name token. A backticked
 * name with no closing backtick (already reported by the lexer) is a hole:
 * its item is left out rather than resolved under a half-read name, which
 * would only add an `unknown-column` to the one real mistake.
 */
export function nameOf(token: KpiToken): Name {
  const type = token.tokenType;
  if (type === t.UnterminatedQuotedName) throw new Malformed();
  if (type === t.QuotedName) {
    return { kind: 'name', text: token.image.slice(1, -1).replaceAll('``', '`'), quoted: true, span: tokenSpan(token) };
  }
  return { kind: 'name', text: token.image, quoted: false, span: tokenSpan(token) };
}

/** The name held by a `name` rule node. */
export function nameNode(node: CstNode): Name {
  return nameOf(tokenOf(node, 'Word'));
}

/** A string literal with its escapes applied. */
export function stringOf(token: KpiToken): StringLit {
  return { kind: 'string', value: unescapeString(token.image), span: tokenSpan(token) };
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t' };

/** `"a\"b"` -> `a"b`. Unknown escapes (already reported) keep both characters. */
export function unescapeString(image: string): string {
  const quote = image[0];
  const closed = image.length >= 2 && image.endsWith(quote!) && !isEscapedEnd(image);
  const body = image.slice(1, closed ? -1 : undefined);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\' || i + 1 >= body.length) {
      out += char;
      continue;
    }
    const next = body[i + 1]!;
    out += ESCAPES[next] ?? `\\${next}`;
    i++;
  }
  return out;
}

/** Whether the last quote of `image` is escaped (`"abc\"`, unterminated). */
function isEscapedEnd(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
