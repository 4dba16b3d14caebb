// The formatter: one canonical layout for `.kpi` files.
//
// Two-space indent, one item per line, one blank line between declarations,
// blank lines between items kept (at most one), lower-case keywords, strings
// in double quotes, numbers and names as written. Comments stay where they
// were: an own-line comment before the item or declaration that follows it,
// a trailing comment at the end of its item's line; a comment inside a
// multi-line item moves up to just before that item. Items longer than 100
// columns break at their operators, `case` arms, arguments and modifiers
// (format-expr.ts, format-doc.ts), always further right than the item. The
// result is checked by parsing it again: same AST, same comments, or no
// output at all.

import { hasErrors, type Diagnostic, type Result } from '../diagnostics.ts';
import type { AlertItem, Comment, Declaration, Expr, KpiAlertItem, KpiFile, KpiItem, SourceItem } from './ast.ts';
import { group, indent, line, renderDoc, type Doc } from './format-doc.ts';
import { exprDoc, printDuration, printExpr, printName, printNumber, printString } from './format-expr.ts';
import { parseFile } from './parse.ts';
import { indexSourceText, positionAt, syntaxDiagnostic, type SourceText } from './source-text.ts';

/**
 * Formats a file. A file with syntax errors is not formatted: its
 * diagnostics are returned with an undefined value.
 *
 * `kpi  nps{grain month   target>=40}` becomes
 * `kpi nps {\n  grain month\n  target >= 40\n}\n`.
 */
export function formatFile(text: string, path: string): Result<string | undefined> {
  const parsed = parseFile(text, path);
  if (hasErrors(parsed.diagnostics)) return { value: undefined, diagnostics: parsed.diagnostics };
  let output = printFile(parsed.value, text, WIDTH);
  let problem = verify(parsed.value, output, text, path);
  if (problem?.code === 'fmt-failed') {
    // Defensive: were a broken line ever read differently (the layout rule
    // is the parser's, not ours), one line per item still says the same.
    output = printFile(parsed.value, text, Number.POSITIVE_INFINITY);
    problem = verify(parsed.value, output, text, path);
  }
  return problem === undefined ? { value: output, diagnostics: [] } : { value: undefined, diagnostics: [problem] };
}

/** Lines longer than this are broken where the layout allows. */
const WIDTH = 100;
const ITEM_INDENT = 2;

/** A printed line group: the comments before it, the text, its trailing comment. */
interface Unit {
  readonly start: number;
  readonly end: number;
  readonly endLine: number;
  readonly leading: Comment[];
  trailing?: Comment;
}

function unit(start: number, end: number, endLine: number): Unit {
  return { start, end, endLine, leading: [] };
}

/** Header, items and closing brace of each declaration, in source order. */
interface DeclarationUnits {
  readonly declaration: Declaration;
  readonly header: Unit;
  readonly items: Unit[];
  readonly close: Unit;
}

function printFile(file: KpiFile, text: string, width: number): string {
  const source = indexSourceText(text, file.path);
  const declarations = file.declarations.map((d) => unitsOf(d, source));
  const all = declarations.flatMap((d) => [d.header, ...d.items, d.close]);
  const orphans = placeComments(file.comments, all);
  const lines: string[] = [];
  let previousEnd = -1;
  for (const d of declarations) {
    if (lines.length > 0) lines.push('');
    emitUnit(lines, d.header, headerText(d.declaration), '', text, -1);
    previousEnd = d.header.trailing?.span.end.offset ?? d.header.end;
    d.declaration.items.forEach((item, index) => {
      const itemUnit = d.items[index]!;
      emitUnit(
        lines,
        itemUnit,
        renderDoc(itemDoc(item), width, ITEM_INDENT),
        '  ',
        text,
        index === 0 ? -1 : previousEnd,
      );
      previousEnd = itemUnit.trailing?.span.end.offset ?? itemUnit.end;
    });
    emitUnit(lines, d.close, '}', '  ', text, d.declaration.items.length > 0 ? previousEnd : -1, '');
    previousEnd = d.close.trailing?.span.end.offset ?? d.close.end;
  }
  orphans.forEach((comment) => {
    if (lines.length > 0 && hasBlankLine(text, previousEnd, comment.span.start.offset)) lines.push('');
    lines.push(`#${comment.text.trimEnd()}`);
    previousEnd = comment.span.end.offset;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Emits a unit's leading comments, then the unit with its trailing comment.
 * `previousEnd` is where the previous sibling ended (-1: no blank line before).
 */
function emitUnit(
  lines: string[],
  u: Unit,
  body: string,
  commentIndent: string,
  text: string,
  previousEnd: number,
  bodyIndent = commentIndent,
): void {
  let cursor = previousEnd;
  for (const comment of u.leading) {
    if (cursor >= 0 && cursor <= comment.span.start.offset && hasBlankLine(text, cursor, comment.span.start.offset))
      lines.push('');
    lines.push(`${commentIndent}#${comment.text.trimEnd()}`);
    cursor = comment.span.end.offset;
  }
  if (body !== '}' && cursor >= 0 && cursor <= u.start && hasBlankLine(text, cursor, u.start)) lines.push('');
  const trailing = u.trailing === undefined ? '' : `  #${u.trailing.text.trimEnd()}`;
  lines.push(`${bodyIndent}${body}${trailing}`);
}

function hasBlankLine(text: string, from: number, to: number): boolean {
  return /(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)/.test(text.slice(from, to));
}

function unitsOf(declaration: Declaration, source: SourceText): DeclarationUnits {
  const brace = findOpenBrace(source.text, declaration);
  const header = unit(declaration.span.start.offset, brace + 1, positionAt(source, brace).line);
  const items = declaration.items.map((item) => unit(item.span.start.offset, item.span.end.offset, item.span.end.line));
  const close = unit(declaration.span.end.offset - 1, declaration.span.end.offset, declaration.span.end.line);
  return { declaration, header, items, close };
}

/** The `{` after the header: only blanks and comments can stand between. */
function findOpenBrace(text: string, declaration: Declaration): number {
  let offset = declaration.kind === 'kpi' ? declaration.name.span.end.offset : declaration.from.span.end.offset;
  while (offset < text.length && text[offset] !== '{') {
    if (text[offset] === '#') {
      while (offset < text.length && text[offset] !== '\n' && text[offset] !== '\r') offset++;
    } else offset++;
  }
  return offset;
}

/**
 * Gives each comment a place: inside a unit -> before it; on the line where
 * a unit ends -> after it; otherwise before the next unit. What follows the
 * last unit stays at the end of the file.
 */
function placeComments(comments: readonly Comment[], units: readonly Unit[]): Comment[] {
  const orphans: Comment[] = [];
  let next = 0;
  for (const comment of comments) {
    const at = comment.span.start.offset;
    while (next < units.length && units[next]!.end <= at) next++;
    const containing = units[next];
    if (containing !== undefined && containing.start < at) {
      containing.leading.push(comment);
      continue;
    }
    const previous = units[next - 1];
    if (previous !== undefined && previous.endLine === comment.span.start.line && previous.trailing === undefined) {
      previous.trailing = comment;
      continue;
    }
    if (containing !== undefined) containing.leading.push(comment);
    else orphans.push(comment);
  }
  return orphans;
}

function headerText(declaration: Declaration): string {
  if (declaration.kind === 'kpi') return `kpi ${printName(declaration.name)} {`;
  const keyword = declaration.isCustomer ? 'customer' : 'source';
  const from = declaration.from;
  const ref =
    from.kind === 'file-ref'
      ? printString(from.path)
      : from.kind === 'table-ref'
        ? `table ${from.schema === undefined ? '' : `${printName(from.schema)}.`}${printName(from.table)}`
        : printName(from.source);
  return `${keyword} ${printName(declaration.name)} from ${ref} {`;
}

/**
 * An item's layout. What follows the item's keyword sits in an indent, so
 * every line the item breaks onto is further right than the item itself
 * (the parser's layout rule then never reads it as the next item).
 */
function itemDoc(item: SourceItem | KpiItem): Doc {
  switch (item.kind) {
    case 'key':
      return `key ${printName(item.column)}`;
    case 'customer-link':
      return `customer ${printName(item.column)}`;
    case 'join':
      return `join ${printName(item.target)} on ${printName(item.column)}${item.targetColumn === undefined ? '' : ` = ${printName(item.targetColumn)}`}`;
    case 'time':
      return `time ${printName(item.column)}`;
    case 'valid':
      return `valid from ${printName(item.from)} to ${printName(item.to)}`;
    case 'dimensions':
      return `dimension ${item.names.map(printName).join(', ')}${item.internal ? ' internal' : ''}`;
    case 'computed-dimension':
      return [
        `dimension ${printName(item.name)} = `,
        indent([
          exprDoc(item.expr),
          modifiersDoc(item.where === undefined ? [] : [wordThen('where', item.where)]),
          item.internal ? ' internal' : '',
        ]),
      ];
    case 'measure': {
      const modifiers: Doc[] = [];
      if (item.where !== undefined) modifiers.push(wordThen('where', item.where));
      if (item.time !== undefined) modifiers.push(`time ${printName(item.time)}`);
      if (item.cumulative) modifiers.push('cumulative');
      if (item.at !== undefined) modifiers.push(`at period ${item.at.value}`);
      if (item.side !== undefined) modifiers.push(`side ${item.side.value}`);
      if (item.retention !== undefined) modifiers.push(item.retention.value);
      return [`measure ${printName(item.name)} = `, indent([exprDoc(item.aggregate), modifiersDoc(modifiers)])];
    }
    case 'check':
      return [
        'check ',
        indent([exprDoc(item.predicate), item.name === undefined ? '' : ` as ${printName(item.name)}`]),
      ];
    case 'description':
      return `description ${printString(item.text)}`;
    case 'kpi-text':
      return `${item.field} ${printString(item.value)}`;
    case 'kpi-word':
      return `${item.field} ${printName(item.value)}`;
    case 'kpi-expr':
      return [`${item.field} `, indent(exprDoc(item.expr))];
    case 'kpi-number':
      return `${item.field} ${printNumber(item.value)}`;
    case 'kpi-segment':
      return `segment by ${item.dimensions.map((d) => printExpr(d)).join(', ')}`;
    case 'kpi-cohort':
      return `cohort by ${printExpr(item.dimension)}`;
    case 'kpi-window':
      return `window ${printDuration(item.duration)}`;
    case 'kpi-threshold':
      return [
        `${item.level} ${item.op} `,
        indent([
          exprDoc(item.value),
          item.from === undefined ? '' : ` from ${item.from.date}`,
          modifiersDoc(item.for === undefined ? [] : [wordThen('for', item.for)]),
        ]),
      ];
    case 'kpi-replaced-by':
      return `replaced_by ${printName(item.kpi)}`;
    case 'kpi-tags':
      return `tags ${item.tags.map(printString).join(', ')}`;
    case 'kpi-format': {
      const unit = item.unit === undefined ? '' : ` ${printString(item.unit)}`;
      const decimals =
        item.decimals === undefined
          ? ''
          : ` ${printName(item.decimals.word).toLowerCase()} ${printNumber(item.decimals.value)}`;
      return `format ${printName(item.style)}${unit}${decimals}`;
    }
    case 'kpi-alert':
      return alertText(item);
  }
}

/** An alert's block, one item per line, indented under the KPI's items (the closing brace at the item's column). */
function alertText(alert: KpiAlertItem): string {
  const lines = alert.items.map((item) => `\n    ${alertItemText(item)}`);
  return `alert ${printName(alert.name)} {${lines.join('')}\n  }`;
}

function alertItemText(item: AlertItem): string {
  switch (item.kind) {
    case 'alert-by':
      return `by ${item.dimensions.map((d) => printExpr(d)).join(', ')}`;
    case 'alert-where':
      return `where ${printExpr(item.expr)}`;
    case 'alert-when': {
      if (item.status !== undefined) return `when ${printName(item.subject)} ${printName(item.status)}`;
      const against =
        item.against === undefined
          ? ''
          : ` ${printName(item.against.word)} ${printName(item.against.baseline)}${item.against.periods === undefined ? '' : ` ${printNumber(item.against.periods)}`}`;
      return `when ${printName(item.subject)} ${item.op} ${printExpr(item.value!)}${against}`;
    }
    case 'alert-count': {
      const head =
        item.field === 'escalate'
          ? `escalate ${item.after === undefined ? 'after' : printName(item.after)}`
          : item.field;
      return `${head} ${printNumber(item.count)}${item.unit === undefined ? '' : ` ${printName(item.unit)}`}`;
    }
    case 'alert-level':
      return `level ${printName(item.value)}`;
    case 'alert-role':
      return `${item.role} ${item.people.map(printString).join(', ')}`;
  }
}

/** `where PRED`: a chain in the predicate breaks further right than the word. */
function wordThen(word: string, expr: Expr): Doc {
  return [`${word} `, indent(exprDoc(expr))];
}

/** Trailing clauses: on the item's line when it fits, otherwise each on its own line. */
function modifiersDoc(modifiers: readonly Doc[]): Doc {
  return modifiers.length === 0 ? '' : group(modifiers.map((m) => [line, m]));
}

/** Parses the output again: it must mean the same and keep every comment, in order. */
function verify(original: KpiFile, output: string, text: string, path: string): Diagnostic | undefined {
  const again = parseFile(output, path);
  const source = indexSourceText(text, path);
  if (hasErrors(again.diagnostics) || !sameIgnoringSpans(again.value.declarations, original.declarations)) {
    return syntaxDiagnostic(
      source,
      'fmt-failed',
      0,
      0,
      'the formatter could not print this file without changing its meaning',
      'this is a bug in kpic; please report it with the file',
    );
  }
  const before = original.comments.map((c) => c.text.trimEnd());
  const after = again.value.comments.map((c) => c.text.trimEnd());
  const lost = original.comments.find((c, index) => after[index] !== before[index]);
  if (before.length !== after.length || lost !== undefined) {
    const at = lost ?? original.comments[original.comments.length - 1]!;
    return syntaxDiagnostic(
      source,
      'fmt-comment-unplaceable',
      at.span.start.offset,
      at.span.end.offset,
      'the formatter cannot keep this comment in its place',
      'move the comment to its own line before the item it is about',
    );
  }
  return undefined;
}

/**
 * Deep equality of two ASTs, spans aside. Iterative: a 5,000-term chain is
 * a 5,000-deep tree, too deep for recursion or JSON.stringify.
 */
function sameIgnoringSpans(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (
      x === null ||
      y === null ||
      typeof x !== 'object' ||
      typeof y !== 'object' ||
      Array.isArray(x) !== Array.isArray(y)
    )
      return false;
    const keysX = Object.keys(x).filter((key) => key !== 'span');
    const keysY = Object.keys(y).filter((key) => key !== 'span');
    if (keysX.length !== keysY.length) return false;
    for (const key of keysX) {
      if (!Object.hasOwn(y, key)) return false;
      pending.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}
