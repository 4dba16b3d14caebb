// What a lint rule is: metadata (id, severity, step, message templates, doc
// page) plus a `check` that reads the resolved model and reports findings by
// message id. Message text lives in the metadata, never in `check`, so the
// wording of a rule is reviewed in one place and its docs can quote it.

import type { LintRuleId } from '../codes.ts';
import type { Severity } from '../diagnostics.ts';
import type { KpiDecl, Span } from '../syntax/ast.ts';
import type { Kpi, Model } from '../semantic/model.ts';

/** A severity as `kpic.yaml` writes it: `off` disables the rule. */
export type RuleLevel = 'off' | Severity;
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'info', 'warn', 'error'];

/** The step of the customer-centric method a rule serves (lint-rules.md), or the kind of hygiene it checks. */
export type RuleStep = 'Reassess' | 'Renew' | 'Reinvent' | 'governance' | 'correctness' | 'hygiene';

export interface RuleMeta<M extends string = string> {
  /** Stable kebab-case id: used in `kpic.yaml`, suppressions, SARIF. Never renamed. */
  readonly id: LintRuleId;
  readonly defaultSeverity: Severity;
  readonly step: RuleStep;
  /** One sentence: what the rule finds. */
  readonly description: string;
  /** Templates; `{name}` is replaced by the finding's `data.name`. */
  readonly messages: Readonly<Record<M, string>>;
  /** `docs/rules/<id>.md`, relative to the repository root. */
  readonly docs: string;
}

/** What a rule reports: message ids and data, never finished text. */
export interface Finding<M extends string = string> {
  readonly messageId: M;
  /** The template of the `help` line, also from `meta.messages`. */
  readonly help?: M;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly file: string;
  readonly span: Span;
}

export interface RuleContext<M extends string = string> {
  readonly model: Model;
  /** The declaration a KPI of the model was resolved from. */
  kpiDecl(kpi: Kpi): KpiDecl | undefined;
  report(finding: Finding<M>): void;
}

export interface LintRule<M extends string = string> {
  readonly meta: RuleMeta<M>;
  check(context: RuleContext<M>): void;
}

/**
 * Declare a rule with its message ids checked by the type system:
 * `report({ messageId: 'typo' })` does not compile when `typo` has no template.
 */
export function defineRule<M extends string>(rule: LintRule<M>): LintRule<M> {
  return rule;
}

/**
 * Fill a template: `fillTemplate('KPI `{kpi}` ...', { kpi: 'nps' })`.
 * A placeholder with no data is a bug in the rule, so it throws.
 */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`lint message placeholder {${key}} has no data`);
    return String(value);
  });
}
