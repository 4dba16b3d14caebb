// The linter: run every enabled rule over the model, give findings their
// configured severity, drop the ones a suppression comment covers, and
// report the suppressions that are unused, unexplained or name no rule.

import type { Diagnostic, Severity } from '../diagnostics.ts';
import { sortDiagnostics, suggest } from '../diagnostics.ts';
import type { KpiDecl, Span } from '../syntax/ast.ts';
import type { Kpi, Model } from '../semantic/model.ts';
import type { LintConfig } from './config.ts';
import { resolveLevels } from './config.ts';
import { FRAMEWORK_RULES, missingReasonMeta, unknownRuleMeta, unusedSuppressionMeta } from './framework-rules.ts';
import { findKpiDecl } from './model-query.ts';
import type { Finding, LintRule, RuleLevel, RuleMeta } from './rule.ts';
import { fillTemplate } from './rule.ts';
import { RULES } from './rules/index.ts';
import type { Suppression } from './suppressions.ts';
import { readSuppressions } from './suppressions.ts';

export type { LintConfig } from './config.ts';

/** The metadata of every finding the linter can report: the rules, then the framework's own. */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...FRAMEWORK_RULES];

/**
 * Lint a resolved model. Pure: the same model and config give the same,
 * sorted diagnostics. `config.rules` comes from `lint.rules` in kpic.yaml:
 * `{ 'missing-owner': 'error', naming: 'off' }`.
 */
export function lintModel(model: Model, config: LintConfig = {}, rules: readonly LintRule[] = RULES): Diagnostic[] {
  const metas = rules === RULES ? ALL_RULE_METAS : [...rules.map((r) => r.meta), ...FRAMEWORK_RULES];
  const { levels, diagnostics: configDiagnostics } = resolveLevels(metas, config);
  const findings = runRules(model, rules, levels);
  const read = model.files.map(readSuppressions);
  const suppressions = read.flatMap((r) => r.suppressions.map((s) => ({ suppression: s, used: new Set<string>() })));
  const kept = findings.filter((d) => !isSuppressed(d, suppressions));
  const report = new Reporter(levels);
  for (const { suppression, used } of suppressions) checkSuppression(report, suppression, used, levels);
  for (const bad of read.flatMap((r) => r.malformed)) {
    report.add(unusedSuppressionMeta, 'malformed', 'useDirective', { directive: bad.directive }, bad.file, bad.span);
  }
  return sortDiagnostics([...configDiagnostics, ...kept, ...report.diagnostics]);
}

function runRules(model: Model, rules: readonly LintRule[], levels: ReadonlyMap<string, RuleLevel>): Diagnostic[] {
  const declCache = new Map<Kpi, KpiDecl | undefined>();
  const kpiDecl = (kpi: Kpi): KpiDecl | undefined => {
    if (!declCache.has(kpi)) declCache.set(kpi, findKpiDecl(model.files, kpi));
    return declCache.get(kpi);
  };
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const level = levels.get(rule.meta.id);
    if (level === undefined || level === 'off') continue;
    rule.check({
      model,
      kpiDecl,
      report: (finding) => diagnostics.push(toDiagnostic(rule.meta, level, finding)),
    });
  }
  return diagnostics;
}

function toDiagnostic(meta: RuleMeta, severity: Severity, finding: Finding): Diagnostic {
  const template = meta.messages[finding.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} has no message ${finding.messageId}`);
  const help = finding.help === undefined ? undefined : meta.messages[finding.help];
  return {
    code: meta.id,
    severity,
    message: fillTemplate(template, finding.data),
    file: finding.file,
    span: finding.span,
    ...(help === undefined ? {} : { help: fillTemplate(help, finding.data) }),
  };
}

interface TrackedSuppression {
  readonly suppression: Suppression;
  /** Lower-cased rule ids that suppressed at least one finding. */
  readonly used: Set<string>;
}

function isSuppressed(diagnostic: Diagnostic, suppressions: readonly TrackedSuppression[]): boolean {
  const code = diagnostic.code.toLowerCase();
  let suppressed = false;
  for (const { suppression, used } of suppressions) {
    if (suppression.file !== diagnostic.file || suppression.targetLine !== diagnostic.span.start.line) continue;
    if (!suppression.rules.some((r) => r.id.toLowerCase() === code)) continue;
    used.add(code);
    suppressed = true;
  }
  return suppressed;
}

function checkSuppression(
  report: Reporter,
  suppression: Suppression,
  used: ReadonlySet<string>,
  levels: ReadonlyMap<string, RuleLevel>,
): void {
  const { file, comment, rules } = suppression;
  const ruleList = rules.map((r) => `\`${r.id}\``).join(', ');
  if (rules.length === 0) {
    report.add(unusedSuppressionMeta, 'noRules', 'nameRules', {}, file, comment.span);
  } else if (suppression.targetLine === undefined) {
    report.add(unusedSuppressionMeta, 'noCode', 'removeIt', { rules: ruleList }, file, comment.span);
  }
  for (const rule of rules) {
    const id = rule.id.toLowerCase();
    const level = levels.get(id);
    if (level === undefined) {
      const near = suggest(rule.id, levels.keys());
      report.add(
        unknownRuleMeta,
        'unknownInSuppression',
        near ? 'didYouMean' : 'listRules',
        { rule: rule.id, suggestion: near ?? '' },
        file,
        rule.span,
      );
    } else if (level !== 'off' && suppression.targetLine !== undefined && !used.has(id)) {
      // A rule turned off in kpic.yaml leaves its suppressions idle, not wrong.
      report.add(unusedSuppressionMeta, 'unused', 'removeIt', { rule: rule.id }, file, rule.span);
    }
  }
  if (suppression.reason === undefined && rules.length > 0) {
    report.add(
      missingReasonMeta,
      'missingReason',
      'addReason',
      { rules: ruleList, first: rules[0]!.id },
      file,
      comment.span,
    );
  }
}

/** Framework findings, at their configured levels. */
class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  readonly #levels: ReadonlyMap<string, RuleLevel>;

  constructor(levels: ReadonlyMap<string, RuleLevel>) {
    this.#levels = levels;
  }

  add(meta: RuleMeta, messageId: string, help: string, data: Record<string, string>, file: string, span: Span): void {
    const level = this.#levels.get(meta.id);
    if (level === undefined || level === 'off') return;
    this.diagnostics.push(toDiagnostic(meta, level, { messageId, help, data, file, span }));
  }
}
