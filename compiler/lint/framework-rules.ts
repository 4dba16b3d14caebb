// Findings about the linter's own inputs: rule ids in `kpic.yaml` and in
// suppression comments. They have ids, severities and doc pages like every
// rule (so `kpic.yaml` can turn them off), but the framework reports them.

import type { RuleMeta } from './rule.ts';

export const unknownRuleMeta: RuleMeta<
  'unknownInConfig' | 'unknownInSuppression' | 'badLevel' | 'didYouMean' | 'listRules' | 'listLevels'
> = {
  id: 'unknown-rule',
  defaultSeverity: 'warn',
  step: 'hygiene',
  description: 'A rule id in `kpic.yaml` or in a suppression comment names no rule of the linter.',
  messages: {
    unknownInConfig: '`{rule}` in `lint.rules` is not a rule of the linter, so its setting has no effect.',
    unknownInSuppression: '`{rule}` in this suppression is not a rule of the linter, so it suppresses nothing.',
    badLevel: '`{level}` is not a severity for `{rule}`: the rule keeps its default `{default}`.',
    didYouMean: 'did you mean `{suggestion}`?',
    listRules: 'the rules are listed in docs/rules/README.md.',
    listLevels: 'write one of `off`, `info`, `warn` or `error`.',
  },
  docs: 'docs/rules/unknown-rule.md',
};

export const missingReasonMeta: RuleMeta<'missingReason' | 'addReason'> = {
  id: 'suppression-missing-reason',
  defaultSeverity: 'warn',
  step: 'hygiene',
  description: 'A `kpic-disable-next-line` suppression does not say why the finding is acceptable.',
  messages: {
    missingReason:
      'this suppression of {rules} gives no reason: the next reader cannot tell a deliberate exception from a silenced problem.',
    addReason:
      'end the comment with `-- ` and the reason, e.g. `# kpic-disable-next-line {first} -- counted on purpose, see ADR 12`.',
  },
  docs: 'docs/rules/suppression-missing-reason.md',
};

export const unusedSuppressionMeta: RuleMeta<
  'unused' | 'noRules' | 'noCode' | 'malformed' | 'removeIt' | 'nameRules' | 'useDirective'
> = {
  id: 'unused-suppression',
  defaultSeverity: 'warn',
  step: 'hygiene',
  description: 'A suppression comment suppresses nothing: the finding it was written for is gone, or it is malformed.',
  messages: {
    unused: '`{rule}` is suppressed here, but the next line of code has no `{rule}` finding.',
    noRules: 'this suppression names no rule, so it suppresses nothing.',
    noCode: 'this suppression of {rules} is followed by no code, so it suppresses nothing.',
    malformed: '`{directive}` is not a suppression comment, so it suppresses nothing.',
    removeIt: 'remove it (or the rule id), so that a new finding on that line is not hidden.',
    nameRules: 'list the rule ids: `# kpic-disable-next-line RULE -- reason`.',
    useDirective: 'write `# kpic-disable-next-line RULE -- reason` on the line before the finding.',
  },
  docs: 'docs/rules/unused-suppression.md',
};

/** Every framework finding's metadata, for docs, SARIF and config checks. */
export const FRAMEWORK_RULES: readonly RuleMeta[] = [unknownRuleMeta, missingReasonMeta, unusedSuppressionMeta];
