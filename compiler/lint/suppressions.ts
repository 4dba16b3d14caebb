// `# kpic-disable-next-line RULE[, RULE] -- reason` comments.
//
// A suppression covers the next line that holds code: blank lines and lines
// with only comments are skipped, so suppressions can stack and a reason may
// run on over several comment lines. Only findings that START on that line
// are suppressed, which keeps a suppression above `kpi x {` from hiding
// everything inside the block.

import type { Comment, KpiFile, Span } from '../syntax/ast.ts';

const DIRECTIVE = 'kpic-disable-next-line';

export interface SuppressedRule {
  /** As written in the comment. */
  readonly id: string;
  /** The place of the id inside the comment, for findings about it. */
  readonly span: Span;
}

export interface Suppression {
  readonly file: string;
  readonly comment: Comment;
  readonly rules: readonly SuppressedRule[];
  readonly reason?: string;
  /** The line whose findings it suppresses; `undefined` when no code follows. */
  readonly targetLine?: number;
}

/** A comment that starts like a directive but is not one (`kpic-disable-line`, `kpic-disable`). */
export interface MalformedDirective {
  readonly file: string;
  readonly comment: Comment;
  readonly directive: string;
  readonly span: Span;
}

export interface FileSuppressions {
  readonly suppressions: readonly Suppression[];
  readonly malformed: readonly MalformedDirective[];
}

/** Read the suppression comments of a file. */
export function readSuppressions(file: KpiFile): FileSuppressions {
  const suppressions: Suppression[] = [];
  const malformed: MalformedDirective[] = [];
  let codeLines: readonly number[] | undefined;
  for (const comment of file.comments) {
    const leading = comment.text.length - comment.text.trimStart().length;
    const body = comment.text.slice(leading);
    const word = /^kpic-disable[a-z-]*/.exec(body)?.[0];
    if (word === undefined) continue;
    if (word !== DIRECTIVE) {
      malformed.push({ file: file.path, comment, directive: word, span: spanInComment(comment, leading, word.length) });
      continue;
    }
    codeLines ??= listCodeLines(file);
    const rest = body.slice(DIRECTIVE.length);
    const dashes = rest.indexOf('--');
    const list = dashes === -1 ? rest : rest.slice(0, dashes);
    const reason = dashes === -1 ? undefined : rest.slice(dashes + 2).trim();
    const offset = leading + DIRECTIVE.length;
    const suppression: Suppression = {
      file: file.path,
      comment,
      rules: splitRuleIds(list).map((r) => ({ id: r.id, span: spanInComment(comment, offset + r.at, r.id.length) })),
      ...(reason ? { reason } : {}),
      ...withTarget(codeLines.find((line) => line > comment.span.start.line)),
    };
    suppressions.push(suppression);
  }
  return { suppressions, malformed };
}

function withTarget(line: number | undefined): { targetLine?: number } {
  return line === undefined ? {} : { targetLine: line };
}

/** `a, b ,c` -> ids with their offsets in the text. */
function splitRuleIds(list: string): { id: string; at: number }[] {
  const ids: { id: string; at: number }[] = [];
  for (const match of list.matchAll(/[^\s,]+/g)) ids.push({ id: match[0], at: match.index });
  return ids;
}

/** A span inside a comment's text: `at` counts from just after `#`. Comments never span lines. */
function spanInComment(comment: Comment, at: number, length: number): Span {
  const start = comment.span.start;
  const column = start.column + 1 + at;
  const offset = start.offset + 1 + at;
  return {
    start: { offset, line: start.line, column },
    end: { offset: offset + length, line: start.line, column: column + length },
  };
}

/**
 * Lines on which some node of the syntax tree starts or ends: the lines that
 * hold code. Every token belongs to a node with a span, so a line with code
 * has one; a line with only a comment or nothing has none.
 */
export function listCodeLines(file: KpiFile): number[] {
  const lines = new Set<number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as { kind?: unknown; span?: Span };
    if (node.span && node.kind !== 'file' && isSpan(node.span)) {
      lines.add(node.span.start.line);
      // An exclusive end at column 1 stops before that line begins.
      lines.add(node.span.end.column === 1 ? node.span.end.line - 1 : node.span.end.line);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'span' && key !== 'comments') visit(child);
    }
  };
  visit(file.declarations);
  return [...lines].sort((a, b) => a - b);
}

function isSpan(value: unknown): value is Span {
  const span = value as Span;
  return typeof span.start?.line === 'number' && typeof span.end?.line === 'number';
}
