// Validates `kpic lint --format sarif` against the published SARIF 2.1.0 JSON
// schema, formats included (absolute URIs where SARIF wants them).
//
// The schema (a draft-04 JSON schema) is a fixture kept in the repository,
// tests/fixtures/sarif/ (origin and licence in its README.md); Ajv for draft-04
// (`ajv-draft-04`) and `ajv-formats` are dev dependencies. The test never skips.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { ALL_RULE_METAS } from '../../compiler/lint/lint.ts';
import { formatLintSarif } from '../../runtime/format/lint/sarif.ts';
import { docsBaseUrl, docsPageText } from '../../runtime/docs-links.ts';

/** SARIF of the installed docs, as `kpic lint --format sarif` writes it by default. */
const SARIF_OPTIONS = { version: '0.1.0', rules: ALL_RULE_METAS, docsBase: docsBaseUrl(), pageText: docsPageText };

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
interface Validator {
  compile(schema: object): Validate;
}

const require = createRequire(import.meta.url);

function loadValidator(): Validate {
  const schemaFile = fileURLToPath(new URL('../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url));
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
  const draft04 = require('ajv-draft-04') as { default?: unknown };
  const formats = require('ajv-formats') as { default?: unknown };
  const Ajv = (draft04.default ?? draft04) as new (options: object) => Validator;
  const addFormats = (formats.default ?? formats) as (ajv: Validator) => void;
  // The published schema has a pattern that is invalid with the `u` flag (`...{2}]?$`): compile patterns without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = loadValidator();

const finding: Diagnostic = {
  code: 'customer-reference',
  severity: 'error',
  message: 'KPI `x` has no customer reference.',
  file: 'metrics/a b.kpi',
  span: { start: { offset: 0, line: 2, column: 5 }, end: { offset: 4, line: 2, column: 9 } },
  help: 'link it.',
};

describe('sarif against the published SARIF 2.1.0 schema', () => {
  it('accepts logs with findings, compiler diagnostics, and none', () => {
    const cases: Diagnostic[][] = [
      [
        finding,
        { ...finding, code: 'syntax-error', severity: 'warn' },
        { ...finding, code: 'missing-description', severity: 'info' },
      ],
      [],
    ];
    for (const diagnostics of cases) {
      const log: unknown = JSON.parse(formatLintSarif(diagnostics, SARIF_OPTIONS));
      const ok = validate(log);
      expect(validate.errors ?? null).toBeNull();
      expect(ok).toBe(true);
    }
  });

  it('rejects a broken log, so the check is real', () => {
    const log = JSON.parse(formatLintSarif([finding], SARIF_OPTIONS)) as {
      runs: { results: { level: string }[]; tool: { driver: { informationUri: string } } }[];
    };
    log.runs[0]!.results[0]!.level = 'warn';
    expect(validate(log)).toBe(false);
    log.runs[0]!.results[0]!.level = 'warning';
    log.runs[0]!.tool.driver.informationUri = 'kpic home';
    expect(validate(log)).toBe(false);
  });
});
