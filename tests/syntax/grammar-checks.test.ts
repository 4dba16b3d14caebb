// kpic builds its lexer and parser without Chevrotain's self-checks, which
// cost about half of a start. The grammar is fixed, so running the checks
// here, once, keeps that safe: a grammar change that makes an alternative
// ambiguous or a token pattern invalid fails this test.

import { CstParser, createToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { kpiLexer } from '../../compiler/syntax/lexer.ts';
import { KpiParser, kpiParser } from '../../compiler/syntax/parser.ts';

describe('grammar checks', () => {
  it('the parser passes every Chevrotain grammar check', () => {
    // The constructor throws on definition errors when the checks run.
    expect(() => new KpiParser({ validate: true })).not.toThrow();
  });

  it('the checked and the unchecked parser record the same grammar', () => {
    const checked = new KpiParser({ validate: true }).getSerializedGastProductions();
    expect(kpiParser().getSerializedGastProductions()).toEqual(checked);
  });

  it('the lexer passes every Chevrotain pattern check', () => {
    const checked = kpiLexer({ validate: true });
    expect(checked.lexerDefinitionErrors).toEqual([]);
  });

  it('skipping the checks hides an ambiguous grammar; running them reports it', () => {
    const A = createToken({ name: 'A', pattern: /a/ });
    class Ambiguous extends CstParser {
      constructor(skipValidations: boolean) {
        super([A], { skipValidations });
        this.performSelfAnalysis();
      }
      top = this.RULE('top', () => {
        this.OR([{ ALT: () => this.CONSUME(A) }, { ALT: () => this.CONSUME2(A) }]);
      });
    }
    expect(() => new Ambiguous(true)).not.toThrow();
    expect(() => new Ambiguous(false)).toThrow(/Ambiguous Alternatives Detected/);
  });
});
