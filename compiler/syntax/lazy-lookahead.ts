// Chevrotain's LL(k) lookahead, each decision's function built the first
// time the parser reaches that decision instead of all of them when the
// parser is constructed. Building every one took about two thirds of the
// parser's construction (~40 ms of a start); a file uses only some of them.
// The functions are the same ones Chevrotain builds (same grammar, same
// options), so the parse is the same; grammar validation is unchanged.

import { LLkLookaheadStrategy } from 'chevrotain';
import type { ILookaheadStrategy } from 'chevrotain';

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0];
type OptionalOptions = Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0];
type AlternationLookahead = ReturnType<ILookaheadStrategy['buildLookaheadForAlternation']>;
type OptionalLookahead = ReturnType<ILookaheadStrategy['buildLookaheadForOptional']>;

export class LazyLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: AlternationOptions): AlternationLookahead {
    let built: AlternationLookahead | undefined;
    const build = () => super.buildLookaheadForAlternation(options);
    return function (this: unknown, alternatives) {
      built ??= build();
      return built.call(this, alternatives);
    };
  }

  override buildLookaheadForOptional(options: OptionalOptions): OptionalLookahead {
    let built: OptionalLookahead | undefined;
    const build = () => super.buildLookaheadForOptional(options);
    return function (this: unknown) {
      built ??= build();
      return built.call(this);
    };
  }
}
