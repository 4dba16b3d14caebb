// `kpic lint --format sarif`: a SARIF 2.1.0 log for code-scanning tools
// (GitHub code scanning, Azure DevOps, IDE viewers). One run; the driver
// lists every rule with its doc link and default level; each result names
// its rule by id and index and points at a project-relative file.

import type { Diagnostic, Severity } from '../../../compiler/index.ts';
import type { RuleMeta } from '../../../compiler/index.ts';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where the project lives; rule pages are `<repository>/blob/main/docs/rules/<id>.md`. A placeholder until the project publishes its home. */
export const DEFAULT_REPOSITORY_URL = 'https://github.com/kpic/kpic';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warn: 'warning', info: 'note' };

export interface SarifOptions {
  /** kpic's version (package.json). */
  readonly version: string;
  /** The rules the linter has: all of them are listed, found or not. */
  readonly rules: readonly RuleMeta[];
  /** An absolute URL of the repository; rule pages are linked under it. */
  readonly repositoryUrl?: string;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[] };
}

/** The SARIF log as a plain object. */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions) {
  const repository = (options.repositoryUrl ?? DEFAULT_REPOSITORY_URL).replace(/\/+$/, '');
  const descriptors: SarifReportingDescriptor[] = options.rules.map((meta) => describeRule(meta, repository));
  // Compiler diagnostics (syntax, names) have no rule page but still need a descriptor for their index.
  for (const d of diagnostics) {
    if (descriptors.some((r) => r.id === d.code)) continue;
    descriptors.push({
      id: d.code,
      shortDescription: { text: `kpic compiler diagnostic \`${d.code}\`.` },
      fullDescription: {
        text: `A problem kpic's parser or resolver reports as \`${d.code}\`; the file cannot be linted reliably until it is fixed.`,
      },
      defaultConfiguration: { level: LEVELS[d.severity] },
      properties: { tags: ['compiler'] },
    });
  }
  const index = new Map(descriptors.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'kpic',
            version: options.version,
            semanticVersion: options.version,
            informationUri: repository,
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits' as const,
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: index.get(d.code)!,
          level: LEVELS[d.severity],
          message: { text: d.help ? `${d.message}\nhint: ${d.help}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(d.file) },
                region: {
                  startLine: d.span.start.line,
                  startColumn: d.span.start.column,
                  endLine: d.span.end.line,
                  endColumn: d.span.end.column,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** SARIF text with a final newline. */
export function formatLintSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(diagnostics, options), null, 2)}\n`;
}

function describeRule(meta: RuleMeta, repository: string): SarifReportingDescriptor {
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: {
      text: `${meta.description} Step: ${meta.step}. Default severity: ${meta.defaultSeverity}. Suppress one finding with \`# kpic-disable-next-line ${meta.id} -- reason\`.`,
    },
    helpUri: `${repository}/blob/main/${meta.docs}`,
    defaultConfiguration: { level: LEVELS[meta.defaultSeverity] },
    properties: { tags: ['kpic', meta.step] },
  };
}

/** A project-relative path as a relative URI reference: each segment percent-encoded, slashes kept. */
function toUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
