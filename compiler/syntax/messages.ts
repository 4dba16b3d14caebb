// Parser errors in words a user reads.
//
// Chevrotain's own messages name token types ("Expecting token of type
// --> RCurly <--"); ours say what was expected, after what, and what came
// instead: "expected `}` to close `kpi nps` opened at 3:1". The message
// provider only returns strings, so it packs code, message and help into
// one string that `toParserDiagnostics` unpacks.

import { type ErrorCode, isErrorCode } from '../codes.ts';
import {
  EOF,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Diagnostic } from '../diagnostics.ts';
import type { Position } from './ast.ts';
import type { KpiToken } from './lexer.ts';
import { positionAt, type SourceText } from './source-text.ts';
import * as t from './tokens.ts';

/** The declaration whose body is open. */
export interface BlockContext {
  readonly label: string;
  readonly line: number;
  readonly column: number;
}

const SEPARATOR = '\u0001';

function pack(code: ErrorCode, message: string, help?: string): string {
  return [code, message, help ?? ''].join(SEPARATOR);
}

const EXPECTED_LABELS = new Map<TokenType, string>([
  [t.Word, 'a name'],
  [t.ExprWord, 'a name'],
  [t.StringLiteral, 'a string in quotes'],
  [t.NumberLiteral, 'a number'],
  [t.UnitWord, 'a duration unit (`hour`, `day`, `week`, `month`, `quarter` or `year`)'],
  [t.ComparisonOp, 'a comparison (`>=`, `>`, `<=`, `<`, `=` or `!=`)'],
  [t.AnyToken, 'more input'],
]);

const RULE_EXPECTATIONS: Readonly<Record<string, string>> = {
  primary: 'an expression',
  name: 'a name',
  qualifiedName: 'a name',
  operand: 'an expression',
  expression: 'an expression',
  arith: 'an expression',
  arithOperand: 'an expression',
  sourceRef: 'a file path in quotes, `table NAME` or the name of a source',
  caseExpr: '`when`',
  whenClause: '`when`',
  kpiThresholdItem: "a number or a target table's column (`TABLE.COLUMN`)",
};

function describeExpected(type: TokenType): string {
  const label = EXPECTED_LABELS.get(type);
  if (label !== undefined) return label;
  if (type === EOF) return 'the end of the input';
  return type.LABEL ?? `\`${type.name}\``;
}

/** How a token reads in a message: `` `x` ``, or "the end of the file". */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return 'the end of the file';
  const image = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
  return image.includes('`') ? `\`\` ${image} \`\`` : `\`${image}\``;
}

function after(previous: IToken | undefined): string {
  return previous === undefined ||
    previous.tokenType === EOF ||
    previous.isInsertedInRecovery === true ||
    previous.image === ''
    ? ''
    : ` after ${describeToken(previous)}`;
}

function found(actual: IToken | undefined): string {
  if (actual === undefined || actual.tokenType === EOF) return ', found the end of the file';
  if ((actual as KpiToken).startsLine) return ', but the line ends there';
  return `, found ${describeToken(actual)}`;
}

function listAlternatives(paths: readonly (readonly TokenType[])[]): string {
  const labels = [...new Set(paths.map((path) => (path[0] === undefined ? 'nothing' : describeExpected(path[0]))))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** A message provider that knows which declaration is open. */
export function createErrorMessageProvider(openBlock: () => BlockContext | undefined): IParserErrorMessageProvider {
  return {
    buildMismatchTokenMessage({ expected, actual, previous }) {
      const block = openBlock();
      if (expected === t.RCurly && block !== undefined) {
        return pack(
          'unclosed-block',
          `expected \`}\` to close \`${block.label}\` opened at ${block.line}:${block.column}${(actual as KpiToken).startsLine ? '' : found(actual)}`,
          `add \`}\` after the last item of \`${block.label}\``,
        );
      }
      if (expected === t.LCurly) {
        return pack(
          'syntax-error',
          `expected \`{\`${after(previous)}${found(actual)}`,
          'a declaration body is written between `{` and `}`',
        );
      }
      if (actual.tokenType === t.SqlNotEquals) {
        return pack(
          'syntax-error',
          `expected ${describeExpected(expected)}${after(previous)}${found(actual)}`,
          'inequality is written `!=`',
        );
      }
      return pack('syntax-error', `expected ${describeExpected(expected)}${after(previous)}${found(actual)}`);
    },
    buildNotAllInputParsedMessage({ firstRedundant }) {
      return pack(
        'syntax-error',
        `unexpected ${describeToken(firstRedundant)} after the end of the expression`,
        'combine conditions with `and` or `or`',
      );
    },
    buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
      const expectation = RULE_EXPECTATIONS[ruleName] ?? listAlternatives(expectedPathsPerAlt.flat());
      const help = ruleName === 'primary' && actual[0]?.tokenType === t.Star ? 'count rows with `count()`' : undefined;
      return pack('syntax-error', `expected ${expectation}${after(previous)}${found(actual[0])}`, help);
    },
    buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
      const expectation = RULE_EXPECTATIONS[ruleName] ?? listAlternatives(expectedIterationPaths);
      return pack('syntax-error', `expected ${expectation}${after(previous)}${found(actual[0])}`);
    },
  };
}

/** Chevrotain's errors as diagnostics, each at the token it is about. */
export function toParserDiagnostics(source: SourceText, errors: readonly IRecognitionException[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const [packed = '', message = error.message, help = ''] = error.message.split(SEPARATOR);
    const code: ErrorCode = isErrorCode(packed) ? packed : 'syntax-error';
    const previous = (error as { previousToken?: IToken }).previousToken;
    const span = errorSpan(source, error.token, previous);
    const base = { code, severity: 'error' as const, message, file: source.path, span };
    out.push(help === '' ? base : { ...base, help });
  }
  return out;
}

/** At the offending token; at the end of the previous token when input ends or the line does. */
function errorSpan(source: SourceText, actual: IToken, previous: IToken | undefined) {
  const usable = (token: IToken | undefined): token is KpiToken =>
    token !== undefined &&
    token.tokenType !== EOF &&
    token.isInsertedInRecovery !== true &&
    Number.isFinite(token.startOffset) &&
    token.startOffset >= 0;
  if (usable(actual) && !(actual.startsLine && usable(previous))) {
    const start = tokenStart(actual);
    return {
      start,
      end: { offset: start.offset + actual.image.length, line: start.line, column: start.column + actual.image.length },
    };
  }
  const end = usable(previous) ? tokenEnd(previous) : positionAt(source, source.text.length);
  return { start: end, end };
}

function tokenStart(token: KpiToken): Position {
  return { offset: token.startOffset, line: token.line, column: token.column };
}

function tokenEnd(token: KpiToken): Position {
  return {
    offset: token.startOffset + token.image.length,
    line: token.line,
    column: token.column + token.image.length,
  };
}
