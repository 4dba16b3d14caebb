// Text -> tokens, comments and lexical diagnostics.
//
// The Chevrotain lexer never fails here: characters the language does not
// use are lexed as `NonAscii` / `Unexpected` tokens, which this pass reports
// and removes. A name with a non-ASCII letter in it (`nаme` with a Cyrillic
// `а`) is glued back into one identifier, so the parser sees one name and
// the user one error instead of a cascade.

import { type ErrorCode, formatMessage } from '../codes.ts';
import { createTokenInstance, Lexer, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics.ts';
import type { Comment } from './ast.ts';
import {
  codePointLabel,
  describeCodePoint,
  isBidiControl,
  isControl,
  isInvisible,
  isJoiner,
  isWordCharacter,
  lookalikeOf,
} from './characters.ts';
import { MAX_CHARACTER_DIAGNOSTICS, MAX_NAME_LENGTH } from './limits.ts';
import { spanOf, syntaxDiagnostic, type SourceText } from './source-text.ts';
import * as t from './tokens.ts';

/** A token with the position the parser's layout rules and the AST need. */
export interface KpiToken extends IToken {
  line: number;
  column: number;
  /** Nothing but blanks and comments before it on its line. */
  startsLine: boolean;
}

export interface LexResult {
  readonly tokens: KpiToken[];
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
}

let shared: Lexer | undefined;

/**
 * Built on first use, as the parser is: commands that read no `.kpi` file do
 * not pay for analysing the token patterns. `validate: false` skips
 * Chevrotain's pattern checks; tests/syntax/grammar-checks.test.ts runs them.
 */
export function kpiLexer(options: { readonly validate: boolean } = { validate: false }): Lexer {
  if (options.validate) return new Lexer(t.ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  shared ??= new Lexer(t.ALL_TOKENS, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
    skipValidations: true,
  });
  return shared;
}

const SUSPICIOUS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/** Splits a file into tokens; never throws. */
export function tokenize(source: SourceText): LexResult {
  // A leading BOM becomes a space: offsets stay those of the given text.
  const text = source.text.charCodeAt(0) === 0xfeff ? ` ${source.text.slice(1)}` : source.text;
  const raw = kpiLexer().tokenize(text);
  // `onlyOffset` tracking records starts only; every token lies on one line, so its end follows.
  for (const token of raw.tokens) token.endOffset = token.startOffset + token.image.length - 1;
  const state: LexState = { source, diagnostics: [], characterReports: 0 };
  for (const error of raw.errors) {
    report(
      state,
      'invalid-character',
      error.offset,
      error.offset + error.length,
      'these characters are not part of the language',
    );
  }
  const comments: Comment[] = [];
  for (const token of raw.groups['comments'] ?? []) {
    token.endOffset = token.startOffset + token.image.length - 1;
    checkTextCharacters(state, token, true);
    comments.push({
      text: token.image.slice(1),
      span: spanOf(source, token.startOffset, token.startOffset + token.image.length),
    });
  }
  const tokens = placeTokens(source, cleanTokens(state, raw.tokens));
  return { tokens, comments, diagnostics: state.diagnostics };
}

interface LexState {
  readonly source: SourceText;
  readonly diagnostics: Diagnostic[];
  characterReports: number;
}

/** The offset just past a token. */
function after(token: IToken): number {
  return token.startOffset + token.image.length;
}

function report(state: LexState, code: ErrorCode, start: number, end: number, message: string, help?: string): void {
  const isCharacter = code.endsWith('-character');
  if (isCharacter && state.characterReports >= MAX_CHARACTER_DIAGNOSTICS) return;
  if (isCharacter) state.characterReports++;
  state.diagnostics.push(syntaxDiagnostic(state.source, code, start, end, message, help));
}

function cleanTokens(state: LexState, tokens: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (type === t.Unexpected) {
      i = reportUnexpectedRun(state, tokens, i);
    } else if (isWordLike(token) || (type === t.NonAscii && isNameCharacter(token))) {
      const end = wordRunEnd(tokens, i);
      if (end === i && type !== t.NonAscii) out.push(checkToken(state, token));
      else {
        const merged = mergeWordRun(state, tokens, i, end);
        if (merged !== undefined) out.push(merged);
      }
      i = end;
    } else if (type === t.NonAscii) {
      reportStrayNonAscii(state, token);
    } else {
      out.push(checkToken(state, token));
    }
  }
  return out;
}

function isWordLike(token: IToken): boolean {
  return (
    token.tokenType === t.Identifier ||
    (token.tokenType.CATEGORIES?.includes(t.Word) === true && /^[A-Za-z_]/.test(token.image))
  );
}

function isNameCharacter(token: IToken): boolean {
  const code = token.image.codePointAt(0)!;
  return isInvisible(code) || isWordCharacter(token.image);
}

/** The index of the last token of the run of adjacent word pieces starting at `start`. */
function wordRunEnd(tokens: readonly IToken[], start: number): number {
  let end = start;
  while (end + 1 < tokens.length) {
    const next = tokens[end + 1]!;
    if (next.startOffset !== after(tokens[end]!)) break;
    const continues =
      isWordLike(next) ||
      (next.tokenType === t.NonAscii && isNameCharacter(next)) ||
      (next.tokenType === t.NumberLiteral && /^[0-9]+$/.test(next.image));
    if (!continues) break;
    end++;
  }
  return end;
}

function mergeWordRun(state: LexState, tokens: readonly IToken[], start: number, end: number): IToken | undefined {
  const first = tokens[start]!;
  const last = tokens[end]!;
  const image = state.source.text.slice(first.startOffset, after(last));
  let foreign: IToken | undefined;
  let visible = false;
  for (let i = start; i <= end; i++) {
    const piece = tokens[i]!;
    if (piece.tokenType !== t.NonAscii) visible = true;
    else if (isInvisible(piece.image.codePointAt(0)!))
      reportInvisible(state, piece.startOffset, piece.image.codePointAt(0)!);
    else {
      visible = true;
      foreign ??= piece;
    }
  }
  if (!visible) return undefined;
  if (foreign !== undefined) {
    const code = foreign.image.codePointAt(0)!;
    const looksLike = lookalikeOf(code);
    report(
      state,
      'invalid-character',
      foreign.startOffset,
      after(foreign),
      `\`${image}\` contains ${describeCodePoint(code)}: identifiers are ASCII letters, digits and \`_\``,
      `${asciiAdvice(image, code, looksLike)}; if a column really has this name, write it in backticks: \`\` \`${image}\` \`\`.`,
    );
  }
  const merged = createTokenInstance(t.Identifier, image, first.startOffset, after(last) - 1, NaN, NaN, NaN, NaN);
  return checkToken(state, merged);
}

/**
 * How to write a name in ASCII: the lookalike's ASCII letter, or the name
 * with fullwidth letters made ASCII and accents dropped (`ｎｐｓ` is `nps`,
 * `café` is `cafe`) when that leaves a valid identifier.
 */
function asciiAdvice(image: string, code: number, looksLike: string | undefined): string {
  if (looksLike !== undefined) return `${codePointLabel(code)} looks like \`${looksLike}\`: type it again as ASCII`;
  const ascii = image.normalize('NFKD').replace(/\p{M}/gu, '');
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(ascii)) return `type it in ASCII: \`${ascii}\``;
  return 'spell it with ASCII letters, digits and `_`';
}

function reportInvisible(state: LexState, offset: number, code: number): void {
  report(
    state,
    'invisible-character',
    offset,
    offset + 1,
    formatMessage('invisible-character', { character: describeCodePoint(code) }),
    'delete it (most editors show it once you move the cursor over it)',
  );
}

function reportBidi(state: LexState, offset: number, code: number): void {
  report(
    state,
    'bidi-control-character',
    offset,
    offset + 1,
    formatMessage('bidi-control-character', { character: describeCodePoint(code) }),
    'delete it; kpic refuses these characters anywhere, strings and comments included',
  );
}

function reportStrayNonAscii(state: LexState, token: IToken): void {
  const code = token.image.codePointAt(0)!;
  if (isBidiControl(code)) {
    reportBidi(state, token.startOffset, code);
    return;
  }
  if (isInvisible(code)) {
    reportInvisible(state, token.startOffset, code);
    return;
  }
  const looksLike = lookalikeOf(code);
  report(
    state,
    'invalid-character',
    token.startOffset,
    after(token),
    `unexpected character ${describeCodePoint(code)}`,
    looksLike === undefined
      ? 'outside strings, comments and backticked names the language is ASCII'
      : `write \`${looksLike}\` instead`,
  );
}

const ASCII_HELP: Readonly<Record<string, string>> = {
  ';': 'items need no `;`: one item per line',
  '!': 'write `not` for negation and `!=` for inequality',
  '&': 'write `and`',
  '|': 'write `or`',
  '%': 'a percentage is written right after its number: `5%`',
  '[': 'lists are written in parentheses: `x in ("a", "b")`',
  ']': 'lists are written in parentheses: `x in ("a", "b")`',
};

function reportUnexpectedRun(state: LexState, tokens: readonly IToken[], start: number): number {
  let end = start;
  while (
    end + 1 < tokens.length &&
    tokens[end + 1]!.tokenType === t.Unexpected &&
    tokens[end + 1]!.startOffset === after(tokens[end]!) &&
    tokens[end + 1]!.image === tokens[start]!.image
  ) {
    end++;
  }
  const char = tokens[start]!.image;
  const code = char.charCodeAt(0);
  const shown = code < 0x20 || code === 0x7f ? describeCodePoint(code) : `\`${char}\``;
  report(
    state,
    'invalid-character',
    tokens[start]!.startOffset,
    after(tokens[end]!),
    `unexpected character ${shown}`,
    ASCII_HELP[char],
  );
  return end;
}

/** Checks the text inside a string, comment or backticked name, and names' lengths. */
function checkToken(state: LexState, token: IToken): IToken {
  const type = token.tokenType;
  if (type === t.StringLiteral || type === t.UnterminatedString) checkString(state, token);
  else if (type === t.QuotedName || type === t.UnterminatedQuotedName) checkQuotedName(state, token);
  else if (type === t.Identifier && token.image.length > MAX_NAME_LENGTH) reportLongName(state, token);
  return token;
}

function reportLongName(state: LexState, token: IToken): void {
  report(
    state,
    'name-too-long',
    token.startOffset,
    after(token),
    formatMessage('name-too-long', { length: token.image.length, limit: MAX_NAME_LENGTH }),
    'use a shorter name',
  );
}

function checkTextCharacters(state: LexState, token: IToken, allowJoiners: boolean): void {
  const image = token.image;
  if (!SUSPICIOUS.test(image)) return;
  for (let i = 0; i < image.length; i++) {
    const code = image.charCodeAt(i);
    const offset = token.startOffset + i;
    if (isBidiControl(code)) reportBidi(state, offset, code);
    else if (isInvisible(code) && !(allowJoiners && isJoiner(code))) reportInvisible(state, offset, code);
    else if (code === 0)
      report(
        state,
        'invalid-character',
        offset,
        offset + 1,
        'NUL character (U+0000)',
        'delete it: a `.kpi` file is text',
      );
    else if (isControl(code)) reportControl(state, offset, code);
  }
}

/**
 * A control character inside a string or comment (tab aside) would reach a
 * terminal through `list`, `explain` or a lint message: ESC starts sequences
 * that move the cursor, erase lines and retitle the window.
 */
function reportControl(state: LexState, offset: number, code: number): void {
  report(
    state,
    'invalid-character',
    offset,
    offset + 1,
    `control character ${describeCodePoint(code)}: it can rewrite what a terminal shows`,
    'delete it; in a string write a line break as `\\n` and a tab as `\\t`',
  );
}

function checkString(state: LexState, token: IToken): void {
  checkTextCharacters(state, token, true);
  const image = token.image;
  const quote = image[0]!;
  const closed = token.tokenType === t.StringLiteral && image.length >= 2;
  if (!closed) {
    report(
      state,
      'unterminated-string',
      token.startOffset,
      after(token),
      formatMessage('unterminated-string', { quote }),
      `close it with \`${quote}\`; a string cannot span lines (write a line break as \`\\n\`)`,
    );
  }
  for (let i = 1; i < image.length; i++) {
    if (image[i] !== '\\') continue;
    const escaped = image[i + 1];
    if (escaped !== undefined && !'\\"\'nt'.includes(escaped)) {
      report(
        state,
        'invalid-escape',
        token.startOffset + i,
        token.startOffset + i + 2,
        formatMessage('invalid-escape', { escape: escaped }),
        'the escapes are `\\\\`, `\\"`, `\\\'`, `\\n` and `\\t`; write a backslash as `\\\\`',
      );
    }
    i++;
  }
}

function checkQuotedName(state: LexState, token: IToken): void {
  checkTextCharacters(state, token, false);
  if (token.tokenType === t.UnterminatedQuotedName) {
    report(
      state,
      'unterminated-name',
      token.startOffset,
      after(token),
      formatMessage('unterminated-name', {}),
      'close it with a backtick: `` `Total Charges` ``',
    );
    return;
  }
  const inner = token.image.slice(1, -1).replaceAll('``', '`');
  if (inner.length === 0) {
    report(
      state,
      'empty-name',
      token.startOffset,
      after(token),
      formatMessage('empty-name', {}),
      'write the name between the backticks',
    );
  } else if (inner.length > MAX_NAME_LENGTH) {
    reportLongName(state, { ...token, image: inner });
  }
}

/** Records each token's line, column and whether it starts its line, in one pass. */
function placeTokens(source: SourceText, tokens: IToken[]): KpiToken[] {
  const starts = source.lineStarts;
  let line = 0;
  let previousEnd = 0;
  for (const token of tokens) {
    while (line + 1 < starts.length && starts[line + 1]! <= token.startOffset) line++;
    const placed = token as KpiToken;
    placed.line = line + 1;
    placed.column = token.startOffset - starts[line]! + 1;
    placed.startsLine = previousEnd === 0 || starts[line]! >= previousEnd;
    previousEnd = after(token);
  }
  return tokens as KpiToken[];
}
