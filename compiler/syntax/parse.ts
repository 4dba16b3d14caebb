// The entry points of the syntax stage: text -> KpiFile, text -> Expr.
//
// text -> tokens (lexer.ts) -> CST (parser.ts) -> AST (to-ast*.ts). Limits
// are checked between the stages, before anything recurses. Never throws:
// an unforeseen failure becomes an `internal-error` diagnostic.

import { formatMessage } from '../codes.ts';
import type { CstNode, IRecognitionException } from 'chevrotain';
import type { Diagnostic, Result } from '../diagnostics.ts';
import type { Expr, KpiFile } from './ast.ts';
import { guard } from './to-ast.ts';
import { convertDeclarations } from './to-ast.ts';
import { convertExpression } from './to-ast-expr.ts';
import type { ConvertContext } from './cst-access.ts';
import { tokenize, type KpiToken } from './lexer.ts';
import { MAX_FILE_BYTES, MAX_NESTING_DEPTH } from './limits.ts';
import { toParserDiagnostics } from './messages.ts';
import { kpiParser } from './parser.ts';
import type { KpiParser } from './parser.ts';
import { indexSourceText, positionAt, spanOf, syntaxDiagnostic, utf8Length, type SourceText } from './source-text.ts';
import * as t from './tokens.ts';

/**
 * Parses one `.kpi` file. Every mistake is reported (error recovery is on);
 * declarations and items that could not be parsed are left out of the AST.
 *
 * `kpi nps { numerator promoters - detractors }` becomes a `KpiDecl` with one
 * `kpi-expr` item whose expression is `binary(-, ref promoters, ref detractors)`.
 */
export function parseFile(text: string, path: string): Result<KpiFile> {
  const source = indexSourceText(text, path);
  const empty: KpiFile = { kind: 'file', path, declarations: [], comments: [], span: fileSpan(source) };
  try {
    const tooLarge = checkSize(source);
    if (tooLarge !== undefined) return { value: empty, diagnostics: [tooLarge] };
    const lexed = tokenize(source);
    const file: KpiFile = { ...empty, comments: lexed.comments };
    const tooDeep = checkNesting(source, lexed.tokens);
    if (tooDeep !== undefined) return { value: file, diagnostics: finish([...lexed.diagnostics, tooDeep], []) };
    const { cst, errors } = runParser(lexed.tokens, (parser) => parser.file());
    const context: ConvertContext = { source, diagnostics: [] };
    const declarations = convertDeclarations(context, cst);
    const diagnostics = finish(lexed.diagnostics, [...toParserDiagnostics(source, errors), ...context.diagnostics]);
    return { value: { ...file, declarations }, diagnostics };
  } catch (error) {
    return { value: empty, diagnostics: [internalError(source, error)] };
  }
}

/**
 * Parses one expression, such as the `--where` filter of the CLI (`path` is
 * then `<query>`). The value is undefined when the text has errors.
 */
export function parseExpression(text: string, path: string): Result<Expr | undefined> {
  const source = indexSourceText(text, path);
  try {
    const tooLarge = checkSize(source);
    if (tooLarge !== undefined) return { value: undefined, diagnostics: [tooLarge] };
    const lexed = tokenize(source);
    if (lexed.tokens.length === 0) {
      const end = source.text.length;
      const missing = syntaxDiagnostic(
        source,
        'syntax-error',
        end,
        end,
        'expected an expression, found nothing',
        'write a condition such as `tier = "enterprise"`',
      );
      return { value: undefined, diagnostics: [...lexed.diagnostics, missing] };
    }
    const tooDeep = checkNesting(source, lexed.tokens);
    if (tooDeep !== undefined) return { value: undefined, diagnostics: finish([...lexed.diagnostics, tooDeep], []) };
    const { cst, errors } = runParser(lexed.tokens, (parser) => parser.standaloneExpression());
    const context: ConvertContext = { source, diagnostics: [] };
    const expr =
      errors.length === 0
        ? guard(() => convertExpression(context, cst.children['expression']![0] as CstNode))
        : undefined;
    const diagnostics = finish(lexed.diagnostics, [...toParserDiagnostics(source, errors), ...context.diagnostics]);
    return { value: diagnostics.some((d) => d.severity === 'error') ? undefined : expr, diagnostics };
  } catch (error) {
    return { value: undefined, diagnostics: [internalError(source, error)] };
  }
}

function runParser(
  tokens: KpiToken[],
  rule: (parser: KpiParser) => CstNode,
): { cst: CstNode; errors: IRecognitionException[] } {
  const parser = kpiParser();
  parser.input = tokens;
  parser.prepare();
  const cst = rule(parser);
  const errors = [...parser.errors];
  // Let go of the tokens: the parser is shared and lives as long as the process.
  parser.input = [];
  return { cst, errors };
}

function fileSpan(source: SourceText) {
  return spanOf(source, source.text.charCodeAt(0) === 0xfeff ? 1 : 0, source.text.length);
}

function checkSize(source: SourceText): Diagnostic | undefined {
  // Cheap first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (source.text.length * 3 <= MAX_FILE_BYTES) return undefined;
  const bytes = utf8Length(source.text);
  if (bytes <= MAX_FILE_BYTES) return undefined;
  return syntaxDiagnostic(
    source,
    'file-too-large',
    0,
    0,
    formatMessage('file-too-large', { bytes, limit: MAX_FILE_BYTES }),
    'split the declarations over several files',
  );
}

/**
 * The deepest nesting of parentheses, `case`, and prefix operators, checked
 * on tokens so that the recursive descent never meets more than the limit.
 */
function checkNesting(source: SourceText, tokens: readonly KpiToken[]): Diagnostic | undefined {
  const caseKeyword = t.keyword('case');
  const endKeyword = t.keyword('end');
  const notKeyword = t.keyword('not');
  let parens = 0;
  let cases = 0;
  let prefixes = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === t.LCurly || type === t.RCurly) {
      parens = 0;
      cases = 0;
    } else if (type === t.LParen) parens++;
    else if (type === t.RParen) parens = Math.max(0, parens - 1);
    else if (type === caseKeyword) cases++;
    else if (type === endKeyword) cases = Math.max(0, cases - 1);
    prefixes = type === notKeyword || type === t.Minus ? prefixes + 1 : 0;
    if (parens + cases + prefixes > MAX_NESTING_DEPTH) {
      return syntaxDiagnostic(
        source,
        'nesting-too-deep',
        token.startOffset,
        token.startOffset + token.image.length,
        formatMessage('nesting-too-deep', { limit: MAX_NESTING_DEPTH }),
        'split it into computed dimensions or measures',
      );
    }
  }
  return undefined;
}

/**
 * Lexical diagnostics first, then parser ones. A syntax error on a line that
 * already has an error is most often that error's echo, so it is dropped.
 */
function finish(lexical: readonly Diagnostic[], syntactic: readonly Diagnostic[]): Diagnostic[] {
  const byOffset = (a: Diagnostic, b: Diagnostic) => a.span.start.offset - b.span.start.offset;
  const kept = [...lexical].sort(byOffset);
  const lines = new Set(kept.map((d) => d.span.start.line));
  for (const diagnostic of [...syntactic].sort(byOffset)) {
    if (lines.has(diagnostic.span.start.line)) continue;
    lines.add(diagnostic.span.start.line);
    kept.push(diagnostic);
  }
  return kept.sort(byOffset);
}

function internalError(source: SourceText, error: unknown): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal-error',
    severity: 'error',
    message: `the parser failed on this file: ${detail}`,
    file: source.path,
    span: { start: positionAt(source, 0), end: positionAt(source, 0) },
    help: 'this is a bug in kpic; please report it with the file',
  };
}
