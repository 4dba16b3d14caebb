// The properties, as plain functions that throw an Error saying what broke.
// The vitest files and the fuzz runner (`npm run fuzz`) share them.

import fc from 'fast-check';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { lintModel } from '../../compiler/lint/lint.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { formatFile } from '../../compiler/syntax/format.ts';
import { tokenize } from '../../compiler/syntax/lexer.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { indexSourceText } from '../../compiler/syntax/source-text.ts';
import { anyText, tokenSoup, validFile } from './arbitraries.ts';
import { loadCorpus, mutate } from './corpus.ts';
import type { CorpusFile, Mutation } from './corpus.ts';

function fail(message: string): never {
  throw new Error(message);
}

function noInternalErrors(stage: string, diagnostics: readonly Diagnostic[]): void {
  const internal = diagnostics.find((d) => d.code === 'internal-error');
  if (internal) fail(`${stage} reported internal-error: ${internal.message}`);
}

/** parseFile never throws, reports no internal error, and every span lies inside the text. */
export function checkParse(text: string): void {
  const { diagnostics } = parseFile(text, 'p.kpi');
  noInternalErrors('parse', diagnostics);
  for (const d of diagnostics) {
    const { start, end } = d.span;
    if (
      !(
        start.offset >= 0 &&
        start.offset <= end.offset &&
        end.offset <= text.length &&
        start.line >= 1 &&
        start.column >= 1
      )
    ) {
      fail(`${d.code} has a span outside the text: ${JSON.stringify(d.span)} (length ${text.length})`);
    }
  }
}

/**
 * Token spans are monotonic, inside the text, match their images, and cover
 * the input: what lies between tokens is blanks, comments or characters a
 * lexical diagnostic names.
 */
export function checkTokens(text: string): void {
  const lexed = tokenize(indexSourceText(text, 'p.kpi'));
  const covered: [number, number][] = [
    ...lexed.comments.map((c): [number, number] => [c.span.start.offset, c.span.end.offset]),
    ...lexed.diagnostics.map((d): [number, number] => [d.span.start.offset, d.span.end.offset]),
  ];
  let previous = 0;
  const gap = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (/\s/.test(text[i]!) || (i === 0 && text[i] === '\ufeff')) continue;
      if (covered.some(([s, e]) => s <= i && i < Math.max(e, s + 1))) continue;
      fail(`character ${JSON.stringify(text[i])} at offset ${i} is in no token, comment or diagnostic`);
    }
  };
  for (const token of lexed.tokens) {
    const start = token.startOffset;
    const end = start + token.image.length;
    if (start < previous)
      fail(`token ${JSON.stringify(token.image)} at ${start} starts before the previous token ends (${previous})`);
    if (end > text.length) fail(`token ${JSON.stringify(token.image)} ends past the text`);
    if (text.slice(start, end) !== token.image && !(start === 0 && text[0] === '\ufeff')) {
      fail(
        `token image ${JSON.stringify(token.image)} differs from the text at ${start}: ${JSON.stringify(text.slice(start, end))}`,
      );
    }
    gap(previous, start);
    previous = end;
  }
  gap(previous, text.length);
}

/** parse -> resolve -> lint -> compile (every KPI, default and total queries) never throws. */
export function checkPipeline(files: readonly CorpusFile[]): void {
  const parsed = files.map((f) => {
    const result = parseFile(f.text, f.path);
    noInternalErrors(`parse ${f.path}`, result.diagnostics);
    return result.value;
  });
  const resolved = resolveProject(parsed, EMPTY_CATALOG, { timezone: 'Europe/Berlin' });
  noInternalErrors('resolve', resolved.diagnostics);
  noInternalErrors('lint', lintModel(resolved.value));
  for (const name of resolved.value.kpis.keys()) {
    for (const query of [
      { kpi: name },
      { kpi: name, by: 'none' as const, grain: 'none' as const },
      { kpi: name, grain: 'week' as const, from: '2024-01-01', to: '2024-03-01' },
    ]) {
      const compiled = compileQuery(resolved.value, query, { dataRoot: '/data' });
      noInternalErrors(`compile ${name}`, compiled.diagnostics);
    }
  }
}

/**
 * How often a known bug (each pinned by an `it.fails` in regressions.test.ts)
 * was met and set aside, so that the properties keep looking for new ones.
 * None is open now (bugs 4 and 5 of docs/reliability.md are fixed).
 */
export const knownBugHits: Record<string, number> = {};

/** Drop spans (and nothing else) so two parses of differently laid-out text compare. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'span') out[k] = withoutSpans(v);
    return out;
  }
  return value;
}

/**
 * For a file that parses cleanly: format(file) parses to the same AST
 * (spans aside), formatting is idempotent, and every comment is kept.
 */
export function checkFormat(text: string): void {
  const parsed = parseFile(text, 'f.kpi');
  const formatted = formatFile(text, 'f.kpi');
  if (parsed.diagnostics.some((d) => d.severity === 'error')) {
    if (formatted.value !== undefined) fail('the formatter printed a file that has syntax errors');
    return;
  }
  if (formatted.value === undefined) {
    fail(
      `the formatter refused a file that parses cleanly: ${formatted.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
    );
  }
  const again = parseFile(formatted.value, 'f.kpi');
  if (again.diagnostics.some((d) => d.severity === 'error'))
    fail(`the formatted text does not parse:\n${formatted.value}`);
  const a = JSON.stringify(withoutSpans(parsed.value.declarations));
  const b = JSON.stringify(withoutSpans(again.value.declarations));
  if (a !== b) fail(`parse(format(x)) differs from parse(x):\n--- formatted\n${formatted.value}`);
  const comments = (file: typeof parsed.value) => file.comments.map((c) => c.text.trimEnd());
  if (JSON.stringify(comments(parsed.value)) !== JSON.stringify(comments(again.value))) {
    fail(`comments changed:\n${JSON.stringify(comments(parsed.value))}\n${JSON.stringify(comments(again.value))}`);
  }
  const twice = formatFile(formatted.value, 'f.kpi');
  if (twice.value !== formatted.value)
    fail(`format is not idempotent:\n--- once\n${formatted.value}\n--- twice\n${twice.value}`);
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom('{', '}', '(', ')', '"', '`', '\n', ' kpi ', ' where ', ' = ', '#', '\u202e', ' - '),
  }),
);

/** A project of the corpus with one file mutated. */
export function mutatedProject(): fc.Arbitrary<{ files: CorpusFile[]; changed: string }> {
  const corpus = loadCorpus();
  return fc
    .tuple(fc.nat({ max: corpus.length - 1 }), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([p, f, mutations]) => {
      const project = corpus[p]!;
      const index = f % project.length;
      const files = project.map((file, i) => (i === index ? { ...file, text: mutate(file.text, mutations) } : file));
      return { files, changed: files[index]!.text };
    });
}

export interface NamedProperty {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<unknown>;
  /** Throws when the property does not hold for `value`. */
  readonly check: (value: never) => void;
}

/** Every property of this folder, by name. */
export function properties(): NamedProperty[] {
  const corpus = loadCorpus();
  const realFile = fc.constantFrom(...corpus.flat()).map((f) => f.text);
  const named = <T>(name: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => void): NamedProperty => ({
    name,
    arbitrary,
    check: check as (value: never) => void,
  });
  return [
    named('parse never throws on any text', anyText, checkParse),
    named('token spans are monotonic and cover the input', fc.oneof(anyText, validFile), checkTokens),
    named('the whole compiler never throws on mutated real projects', mutatedProject(), ({ files }) =>
      checkPipeline(files),
    ),
    named('the whole compiler never throws on a token soup', fc.tuple(tokenSoup, validFile), ([soup, file]) =>
      checkPipeline([{ path: 'a.kpi', text: soup }, { path: 'b.kpi', text: file }, ...corpus[0]!]),
    ),
    named('format round-trips generated files', validFile, checkFormat),
    named('format round-trips real files', realFile, checkFormat),
    named('format round-trips or refuses mutated real files', mutatedProject(), ({ changed }) => checkFormat(changed)),
  ];
}
