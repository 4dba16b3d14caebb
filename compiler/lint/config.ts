// `lint.rules` of kpic.yaml: severities per rule id, checked against the
// rules the linter has. A wrong id or level is a finding in kpic.yaml, never
// a crash: the rest of the configuration still applies.

import type { Diagnostic, Severity } from '../diagnostics.ts';
import { FILE_START, suggest } from '../diagnostics.ts';
import type { Span } from '../syntax/ast.ts';
import { unknownRuleMeta } from './framework-rules.ts';
import type { RuleLevel, RuleMeta } from './rule.ts';
import { RULE_LEVELS, fillTemplate } from './rule.ts';

export interface LintConfig {
  /** Severity per rule id, as `lint.rules` of kpic.yaml writes it. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  /** The project file's path for findings about the configuration (default `kpic.yaml`). */
  readonly file?: string;
  /** Where each rule id is written in the project file, when the caller knows (for precise findings). */
  readonly spans?: ReadonlyMap<string, Span>;
}

export interface EffectiveLevels {
  /** The level of every known rule id, defaults applied. */
  readonly levels: ReadonlyMap<string, RuleLevel>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Apply `config.rules` over the defaults of `metas`. */
export function resolveLevels(metas: readonly RuleMeta[], config: LintConfig = {}): EffectiveLevels {
  const levels = new Map<string, RuleLevel>(metas.map((m) => [m.id, m.defaultSeverity]));
  const defaults = new Map<string, Severity>(metas.map((m) => [m.id, m.defaultSeverity]));
  const pending: {
    rule: string;
    messageId: 'unknownInConfig' | 'badLevel';
    data: Record<string, string>;
    help?: string;
  }[] = [];
  for (const [rule, level] of Object.entries(config.rules ?? {})) {
    const known = defaults.get(rule);
    if (known === undefined) {
      const near = suggest(rule, defaults.keys());
      pending.push({
        rule,
        messageId: 'unknownInConfig',
        data: { rule },
        help: near
          ? fillTemplate(unknownRuleMeta.messages.didYouMean, { suggestion: near })
          : unknownRuleMeta.messages.listRules,
      });
    } else if (!RULE_LEVELS.includes(level)) {
      pending.push({
        rule,
        messageId: 'badLevel',
        data: { rule, level: String(level), default: known },
        help: unknownRuleMeta.messages.listLevels,
      });
    } else {
      levels.set(rule, level);
    }
  }
  // The unknown-rule finding obeys its own configured level, like every finding.
  const own = levels.get(unknownRuleMeta.id);
  const diagnostics: Diagnostic[] =
    own === undefined || own === 'off'
      ? []
      : pending.map((p) => ({
          code: unknownRuleMeta.id,
          severity: own,
          message: fillTemplate(unknownRuleMeta.messages[p.messageId], p.data),
          file: config.file ?? 'kpic.yaml',
          span: config.spans?.get(p.rule) ?? FILE_START,
          ...(p.help ? { help: p.help } : {}),
        }));
  return { levels, diagnostics };
}
