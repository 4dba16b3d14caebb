// `kpic lint --format sarif`: a SARIF 2.1.0 log for code-scanning tools
// (GitHub code scanning, Azure DevOps, IDE viewers). One run; the driver
// lists every rule with its doc link and default level; each result names
// its rule by id and index and points at a project-relative file.

import type { Diagnostic, Severity } from '../../../compiler/index.ts';
import type { RuleMeta } from '../../../compiler/index.ts';
import { docPageOf, ERROR_CODES, isErrorCode } from '../../../compiler/index.ts';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warn: 'warning', info: 'note' };

export interface SarifOptions {
  /** kpic's version (package.json). */
  readonly version: string;
  /** The rules the linter has: all of them are listed, found or not. */
  readonly rules: readonly RuleMeta[];
  /**
   * The absolute URL of a `docs/` folder: each rule's `helpUri` is its page
   * under it (`<docsBase>/rules/<id>.md`, `<docsBase>/errors/<code>.md`),
   * and the driver's `informationUri` is `<docsBase>/cli.md`.
   */
  readonly docsBase: string;
  /** The markdown of a code's page, embedded as the rule's `help`, so viewers show it without following the link. */
  readonly pageText?: (code: string) => string | undefined;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly help?: { readonly text: string; readonly markdown: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[] };
}

/** The SARIF log as a plain object. */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions) {
  const base = options.docsBase.replace(/\/+$/, '');
  const descriptors: SarifReportingDescriptor[] = options.rules.map((meta) => describeRule(meta, base, options));
  // Compiler and runtime diagnostics (syntax, names, data) found in the results get a descriptor from the code table.
  for (const d of diagnostics) {
    if (descriptors.some((r) => r.id === d.code)) continue;
    descriptors.push(describeCode(d, base, options));
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
            informationUri: `${base}/cli.md`,
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

function describeRule(meta: RuleMeta, base: string, options: SarifOptions): SarifReportingDescriptor {
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: {
      text: `${meta.description} Step: ${meta.step}. Default severity: ${meta.defaultSeverity}. Suppress one finding with \`# kpic-disable-next-line ${meta.id} -- reason\`.`,
    },
    ...links(meta.id, base, options),
    defaultConfiguration: { level: LEVELS[meta.defaultSeverity] },
    properties: { tags: ['kpic', meta.step] },
  };
}

function describeCode(d: Diagnostic, base: string, options: SarifOptions): SarifReportingDescriptor {
  const info = isErrorCode(d.code) ? ERROR_CODES[d.code] : undefined;
  const summary = info?.summary ?? `kpic diagnostic \`${d.code}\`.`;
  return {
    id: d.code,
    shortDescription: { text: summary },
    fullDescription: {
      text: `${summary} Reported by kpic's compiler or runtime, not by a lint rule: it cannot be suppressed, and the file cannot be linted reliably until it is fixed.`,
    },
    ...links(d.code, base, options),
    defaultConfiguration: { level: LEVELS[info?.severity ?? d.severity] },
    properties: { tags: ['kpic', 'compiler'] },
  };
}

/** `helpUri` (the page under the docs base) and `help` (the page itself), for a code that has a page. */
function links(code: string, base: string, options: SarifOptions): Pick<SarifReportingDescriptor, 'helpUri' | 'help'> {
  const page = docPageOf(code);
  if (page === undefined) return {};
  const text = options.pageText?.(code);
  return {
    helpUri: `${base}/${page.replace(/^docs\//, '')}`,
    ...(text === undefined ? {} : { help: { text, markdown: text } }),
  };
}

/** A project-relative path as a relative URI reference: each segment percent-encoded, slashes kept. */
function toUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
