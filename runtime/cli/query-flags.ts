// The query flags of `compile` and `run` (cli.md): `--by`, `--grain`, `--from`, `--to`, `--where`, `--dialect`;
// and (docs/time-analytics.md) `--compare previous`, `--status LIST`, `--incomplete`, `--components`.
//
// Everything the user types becomes a `Query`; nothing becomes SQL text.
// `--where` is parsed as a kpic predicate (file `<query>` in diagnostics),
// so `--where "1=1; drop table x"` is a syntax error, not an injection.

import type { Command } from 'commander';
import { Option } from 'commander';
import type { Diagnostic } from '../../compiler/index.ts';
import { hasErrors, suggest } from '../../compiler/index.ts';
import type { Dialect, Query, ResultStatus } from '../../compiler/index.ts';
import { RESULT_STATUSES } from '../../compiler/index.ts';
import type { DimensionName, Grain } from '../../compiler/index.ts';
import { GRAINS } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';
import { parseExpression } from '../../compiler/index.ts';
import { UsageError } from './errors.ts';

/** The file name of `--where` text in diagnostics. */
export const QUERY_FILE = '<query>';

export interface QueryFlags {
  by?: string;
  grain?: string;
  from?: string;
  to?: string;
  where?: string;
  dialect?: string;
  compare?: string;
  status?: string;
  incomplete?: boolean;
  components?: boolean;
  latest?: boolean;
  last?: string;
}

/** Add the query flags to a command. */
export function addQueryOptions(command: Command): Command {
  return command
    .option('--by <dims>', 'segment by these dimensions (comma-separated; `none` for the total)')
    .option('--grain <grain>', `time grain: ${GRAINS.join(', ')}, or none for one period over the range`)
    .option('--from <date>', 'inclusive start, YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS"')
    .option('--to <date>', 'exclusive end, same forms as --from')
    .option('--where <pred>', 'a kpic predicate over dimensions, e.g. "tier = \'gold\'" (never raw SQL)')
    .addOption(new Option('--dialect <dialect>', 'SQL dialect').choices(['duckdb', 'postgres']))
    .addOption(
      new Option('--compare <period>', 'add previous_value, change and change_pct after value').choices(['previous']),
    )
    .option('--status <statuses>', `only rows with these statuses (comma-separated: ${RESULT_STATUSES.join(', ')})`)
    .option('--incomplete', 'add the column `incomplete`: true for a period the data does not cover to its end')
    .option(
      '--components',
      "a derived KPI's inputs as columns: each score and its weighted contribution to a health score",
    )
    .option('--latest', 'only the latest complete period (the same as --last 1)')
    .option('--last <n>', 'only the N latest complete periods');
}

export interface ParsedQuery {
  readonly query: Query;
  /** Diagnostics of the `--where` text (warnings; errors throw). */
  readonly diagnostics: readonly Diagnostic[];
  /** The `--where` text by file name, for code frames. */
  readonly texts: ReadonlyMap<string, string>;
}

/** A `--where` that does not parse: its diagnostics, shown with the text; exit code 2. */
export class QueryTextError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
  constructor(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>) {
    super('the --where predicate does not parse');
    this.name = 'QueryTextError';
    this.diagnostics = diagnostics;
    this.texts = texts;
  }
}

/**
 * Build the query for `kpi` from the flags; bad values throw `UsageError` or
 * `QueryTextError` (exit code 2).
 *
 * The compiler reports problems of `--by` and `--where` in one file,
 * `<query>`; its text is the two flags on one line (`--by tier --where
 * tier = "gold"`), and both are read at their place in it, so every caret
 * lands under what the user typed.
 */
export function parseQueryFlags(kpi: string, flags: QueryFlags): ParsedQuery {
  let display = '';
  let byOffset = 0;
  if (flags.by !== undefined) {
    byOffset = '--by '.length;
    display = `--by ${flags.by}`;
  }
  let diagnostics: readonly Diagnostic[] = [];
  let where: Query['where'];
  if (flags.where !== undefined) {
    display += `${display === '' ? '' : ' '}--where `;
    const whereOffset = display.length;
    display += flags.where;
    const parsed = parseExpression(' '.repeat(whereOffset) + flags.where, QUERY_FILE);
    diagnostics = parsed.diagnostics;
    if (hasErrors(parsed.diagnostics)) throw new QueryTextError(parsed.diagnostics, new Map([[QUERY_FILE, display]]));
    if (!parsed.value)
      throw new UsageError(
        '--where is empty',
        'give a predicate such as --where "tier = \'gold\'", or leave the flag out.',
      );
    where = parsed.value;
  }
  const texts = new Map<string, string>(display === '' ? [] : [[QUERY_FILE, display]]);
  const from = flags.from === undefined ? undefined : parseInstant('--from', flags.from);
  const to = flags.to === undefined ? undefined : parseInstant('--to', flags.to);
  if (from !== undefined && to !== undefined && compareInstants(from, to) >= 0) {
    throw new UsageError(
      `--from ${from} is not before --to ${to}`,
      '--from is inclusive and --to exclusive: the range must not be empty.',
    );
  }
  const query: Query = {
    kpi,
    ...(flags.by === undefined ? {} : { by: parseBy(flags.by, byOffset) }),
    ...(flags.grain === undefined ? {} : { grain: parseGrain(flags.grain) }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(where === undefined ? {} : { where, whereFile: QUERY_FILE }),
    ...(flags.dialect === undefined ? {} : { dialect: flags.dialect as Dialect }),
    ...(flags.compare === undefined ? {} : { compare: 'previous' as const }),
    ...(flags.status === undefined ? {} : { status: parseStatuses(flags.status) }),
    ...(flags.incomplete ? { markIncomplete: true, keepIncomplete: true } : {}),
    ...lastOf(flags),
    ...(flags.components ? { components: true } : {}),
  };
  return { query, diagnostics, texts };
}

/** `--latest` is `--last 1`; `--last N` takes a whole number of periods, 1 or more. */
function lastOf(flags: QueryFlags): { last?: number } {
  if (flags.latest && flags.last !== undefined)
    throw new UsageError(
      '--latest and --last both choose the periods shown',
      '--latest is --last 1: give one of them.',
    );
  if (flags.latest) return { last: 1 };
  if (flags.last === undefined) return {};
  const n = Number(flags.last);
  if (!/^\d+$/.test(flags.last.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(
      `--last: \`${flags.last}\` is not a number of periods`,
      'e.g. --last 4 (the four latest complete periods), or --latest for one.',
    );
  }
  return { last: n };
}

/** `critical,warn` -> the statuses; an unknown one is a usage error. */
export function parseStatuses(text: string): ResultStatus[] {
  const statuses = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  for (const status of statuses) {
    if (!(RESULT_STATUSES as readonly string[]).includes(status)) {
      const guess = suggest(status, RESULT_STATUSES);
      throw new UsageError(
        `--status: \`${status}\` is not a status`,
        `${guess ? `did you mean \`${guess}\`? ` : ''}statuses are ${RESULT_STATUSES.join(', ')}.`,
      );
    }
  }
  if (statuses.length === 0) throw new UsageError('--status is empty', 'e.g. --status critical,warn');
  return statuses as ResultStatus[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `tier,customers.region` -> dimension names; `none` -> the total. Spans count from `base` in the `<query>` text. */
export function parseBy(text: string, base = 0): readonly DimensionName[] | 'none' {
  if (text.trim().toLowerCase() === 'none') return 'none';
  const names: DimensionName[] = [];
  let offset = base;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const start = offset + raw.indexOf(item);
    offset += raw.length + 1;
    const parts = item.split('.');
    if (item === '' || parts.length > 2 || !parts.every((p) => NAME.test(p))) {
      throw new UsageError(
        `--by: \`${item}\` is not a dimension name`,
        'write names separated by commas, e.g. --by tier,region or --by customers.tier; --by none for the total.',
      );
    }
    const span = spanAt(start, item.length);
    names.push(parts.length === 2 ? { qualifier: parts[0]!, name: parts[1]!, span } : { name: parts[0]!, span });
  }
  return names;
}

function spanAt(offset: number, length: number): Span {
  return {
    start: { offset, line: 1, column: offset + 1 },
    end: { offset: offset + length, line: 1, column: offset + length + 1 },
  };
}

export function parseGrain(text: string): Grain | 'none' {
  const value = text.trim().toLowerCase();
  if (value === 'none' || (GRAINS as readonly string[]).includes(value)) return value as Grain | 'none';
  const guess = suggest(value, [...GRAINS, 'none']);
  throw new UsageError(
    `--grain: \`${text}\` is not a grain`,
    `${guess ? `did you mean \`${guess}\`? ` : ''}grains are ${GRAINS.join(', ')}, and none.`,
  );
}

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]` (a `T` is accepted), checked against the calendar. */
export function parseInstant(flag: string, text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  const bad = () =>
    new UsageError(
      `${flag}: \`${text}\` is not a date`,
      'write YYYY-MM-DD (e.g. 2024-01-31) or "YYYY-MM-DD HH:MM:SS".',
    );
  if (!match) throw bad();
  const [, y, m, d, hh, mm, ss] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d))
    throw bad();
  if (hh === undefined) return `${y}-${m}-${d}`;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? '0') > 59) throw bad();
  return `${y}-${m}-${d} ${hh}:${mm}:${ss ?? '00'}`;
}

/** Dates and timestamps compare as text once a date is read as its midnight. */
function compareInstants(a: string, b: string): number {
  const full = (s: string) => (s.length === 10 ? `${s} 00:00:00` : s);
  return full(a) < full(b) ? -1 : full(a) > full(b) ? 1 : 0;
}
