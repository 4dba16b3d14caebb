import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../compiler/codes.ts';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { ALL_RULE_METAS } from '../../compiler/lint/lint.ts';
import { escapeData, escapeProperty, formatLintGithub } from '../../runtime/format/lint/github.ts';
import { formatLintJson } from '../../runtime/format/lint/json.ts';
import { formatLintPretty } from '../../runtime/format/lint/pretty.ts';
import { formatLintSarif } from '../../runtime/format/lint/sarif.ts';
import type { SarifLog } from './sarif-structure.ts';
import { checkSarifStructure } from './sarif-structure.ts';
import { docsBaseUrl, docsPageText } from '../../runtime/docs-links.ts';

/** SARIF of the installed docs, as `kpic lint --format sarif` writes it by default. */
const ERROR_CODES_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

const SARIF_OPTIONS = { version: '0.1.0', rules: ALL_RULE_METAS, docsBase: docsBaseUrl(), pageText: docsPageText };

const span = (line: number, column: number, endColumn: number) => ({
  start: { offset: 0, line, column },
  end: { offset: 0, line, column: endColumn },
});

const FINDINGS: Diagnostic[] = [
  {
    code: 'customer-reference',
    severity: 'error',
    message:
      'KPI `cost_per_lead` has no customer reference: its measures come from source `campaigns`, which has no `customer` or `join` path to `customers`.',
    file: 'metrics/campaigns.kpi',
    span: span(12, 5, 18),
    help: 'link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
  },
  {
    code: 'missing-owner',
    severity: 'warn',
    message: 'KPI `nps` has no `owner`: 100% sure.',
    file: 'metrics/nps kpis.kpi',
    span: span(3, 5, 8),
  },
  {
    code: 'unused-measure',
    severity: 'info',
    message: 'measure `x` of `y` is not used by any KPI.',
    file: 'metrics/nps kpis.kpi',
    span: span(7, 11, 12),
    help: 'use it, or remove it.',
  },
];

const TEXTS = new Map([
  ['metrics/campaigns.kpi', `${'\n'.repeat(11)}kpi cost_per_lead {\n`],
  ['metrics/nps kpis.kpi', 'customer c from "c.csv" {\n  key id\n}\n'],
]);

describe('json', () => {
  it('prints every field in a fixed order, help null when absent', () => {
    const parsed = JSON.parse(formatLintJson(FINDINGS)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(3);
    expect(Object.keys(parsed[0]!)).toEqual([
      'rule',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'help',
    ]);
    expect(parsed[0]).toEqual({
      rule: 'customer-reference',
      severity: 'error',
      message: FINDINGS[0]!.message,
      file: 'metrics/campaigns.kpi',
      line: 12,
      column: 5,
      endLine: 12,
      endColumn: 18,
      help: FINDINGS[0]!.help,
    });
    expect(parsed[1]!['help']).toBeNull();
    expect(formatLintJson([])).toBe('[]\n');
  });
});

describe('github', () => {
  it('writes one workflow command per finding with the right level', () => {
    const lines = formatLintGithub(FINDINGS).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '::error file=metrics/campaigns.kpi,line=12,col=5,endLine=12,endColumn=18,title=customer-reference::' +
        'KPI `cost_per_lead` has no customer reference: its measures come from source `campaigns`, which has no `customer` or `join` path to `customers`.' +
        '%0Ahint: link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
    );
    expect(lines[1]).toBe(
      '::warning file=metrics/nps kpis.kpi,line=3,col=5,endLine=3,endColumn=8,title=missing-owner::KPI `nps` has no `owner`: 100%25 sure.',
    );
    expect(lines[2]!.startsWith('::notice ')).toBe(true);
  });

  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    const odd = formatLintGithub([{ ...FINDINGS[1]!, file: 'odd,name:x.kpi' }]);
    expect(odd).toContain('file=odd%2Cname%3Ax.kpi,');
  });

  it('prefixes paths for a project in a subfolder of the repository', () => {
    expect(formatLintGithub([FINDINGS[1]!], { pathPrefix: 'kpis/' })).toContain('file=kpis/metrics/nps kpis.kpi,');
  });
});

describe('pretty', () => {
  it('groups findings by file with code frames and a summary line, without colour off a terminal', () => {
    const text = formatLintPretty(FINDINGS, TEXTS, { color: false });
    expect(text).not.toMatch(/\u001b\[/);
    const lines = text.split('\n');
    expect(lines[0]).toBe('metrics/campaigns.kpi');
    expect(text).toContain('metrics/campaigns.kpi:12:5 error customer-reference');
    expect(text).toContain('12 | kpi cost_per_lead {');
    expect(text).toContain('   |     ^^^^^^^^^^^^^');
    expect(text).toContain('hint: link `campaigns` to the customer');
    // Each file heads its group once, in order.
    expect(lines.filter((l) => l === 'metrics/nps kpis.kpi')).toHaveLength(1);
    expect(text.indexOf('metrics/nps kpis.kpi:3:5')).toBeGreaterThan(text.indexOf('metrics/campaigns.kpi:12:5'));
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error, 1 warning, 1 info in 2 files');
  });

  it('uses colour when asked, and says so when there is nothing to report', () => {
    expect(formatLintPretty(FINDINGS, TEXTS, { color: true })).toMatch(/\u001b\[/);
    expect(formatLintPretty([], TEXTS, { color: false, fileCount: 3 })).toBe('no problems in 3 files\n');
  });
});

describe('sarif', () => {
  const log = JSON.parse(formatLintSarif(FINDINGS, SARIF_OPTIONS)) as SarifLog;

  it('lists every rule with its doc link and default level', () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('kpic');
    expect(driver.rules.map((r) => r.id)).toEqual(ALL_RULE_METAS.map((m) => m.id));
    const reference = driver.rules.find((r) => r.id === 'customer-reference')!;
    expect(reference.defaultConfiguration.level).toBe('error');
    expect(reference.helpUri).toMatch(/^file:\/\/.+\/docs\/rules\/customer-reference\.md$/);
    expect(driver.rules.find((r) => r.id === 'missing-description')!.defaultConfiguration.level).toBe('note');
  });

  it('maps results to rules, levels and project-relative places', () => {
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, log.runs[0]!.tool.driver.rules[r.ruleIndex]!.id, r.level])).toEqual([
      ['customer-reference', 'customer-reference', 'error'],
      ['missing-owner', 'missing-owner', 'warning'],
      ['unused-measure', 'unused-measure', 'note'],
    ]);
    expect(results[1]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'metrics/nps%20kpis.kpi' },
      region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 8 },
    });
    expect(results[0]!.message.text).toContain('\nhint: link `campaigns`');
  });

  it('gives compiler diagnostics a descriptor of their own', () => {
    const withSyntax = JSON.parse(
      formatLintSarif([{ ...FINDINGS[1]!, code: 'syntax-error', severity: 'error' }], SARIF_OPTIONS),
    ) as SarifLog;
    const run = withSyntax.runs[0]!;
    const descriptor = run.tool.driver.rules[run.results[0]!.ruleIndex]!;
    expect(descriptor.id).toBe('syntax-error');
    expect(descriptor.shortDescription.text).toBe('The text does not follow the grammar of the language.');
    expect(descriptor.helpUri).toMatch(/^file:\/\/.+\/docs\/errors\/syntax-error\.md$/);
  });

  it('links every rule and code to a page that exists, and embeds the page as help', () => {
    const codes: Diagnostic[] = ERROR_CODES_LIST.map((code) => ({ ...FINDINGS[1]!, code }));
    const all = JSON.parse(formatLintSarif([...FINDINGS, ...codes], SARIF_OPTIONS)) as SarifLog;
    const rules = all.runs[0]!.tool.driver.rules;
    expect(rules).toHaveLength(ALL_RULE_METAS.length + ERROR_CODES_LIST.length);
    for (const rule of rules) {
      const path = fileURLToPath(rule.helpUri!);
      expect(existsSync(path), rule.helpUri).toBe(true);
      expect(rule.help?.markdown, rule.id).toBe(readFileSync(path, 'utf8'));
      expect(rule.help?.markdown, rule.id).toContain(`# \`${rule.id}\``);
    }
    expect(existsSync(fileURLToPath(all.runs[0]!.tool.driver.informationUri))).toBe(true);
  });

  it('links under a published docs folder when given one', () => {
    const published = JSON.parse(
      formatLintSarif(FINDINGS, { ...SARIF_OPTIONS, docsBase: 'https://example.org/kpic/v1/docs/' }),
    ) as SarifLog;
    const driver = published.runs[0]!.tool.driver;
    expect(driver.rules.find((r) => r.id === 'customer-reference')!.helpUri).toBe(
      'https://example.org/kpic/v1/docs/rules/customer-reference.md',
    );
    expect(driver.informationUri).toBe('https://example.org/kpic/v1/docs/cli.md');
  });

  it('has the structure SARIF 2.1.0 requires', () => {
    expect(checkSarifStructure(log)).toEqual([]);
    expect(checkSarifStructure(JSON.parse(formatLintSarif([], SARIF_OPTIONS)) as SarifLog)).toEqual([]);
  });
});
