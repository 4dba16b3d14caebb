// The project's time zone: an IANA name the JavaScript runtime knows.

import type { Diagnostic } from '../diagnostics.ts';
import { FILE_START } from '../diagnostics.ts';
import { didYouMean, reportError } from './report.ts';

/** The canonical spelling of a known IANA zone (any case), or undefined. */
export function canonicalTimezone(name: string): string | undefined {
  if (!name || /[^A-Za-z0-9_/+-]/.test(name)) return undefined;
  // The default zone needs no asking: the first Intl call loads the time zone data (about 10 ms at start).
  if (name === 'UTC') return name;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Validate `timezone` from kpic.yaml; the model keeps the canonical spelling (or `UTC` when invalid). */
export function resolveTimezone(timezone: string | undefined, sink: Diagnostic[]): string {
  if (timezone === undefined) return 'UTC';
  const canonical = canonicalTimezone(timezone);
  if (canonical) return canonical;
  const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  reportError(
    sink,
    'unknown-timezone',
    'kpic.yaml',
    FILE_START,
    `\`${timezone}\` is not a time zone: \`timezone\` takes an IANA name such as \`Europe/Paris\` or \`UTC\`.`,
    { help: didYouMean(timezone, zones, 'see the IANA time zone database for names') },
  );
  return 'UTC';
}
