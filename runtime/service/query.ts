// Queries for agents and apps, through exactly what `kpic run` uses: the
// arguments become the same query flags (`prepareQuery`), so `where` is
// parsed as a kpic predicate and bound by the compiler, every other argument
// is checked by the same parsers, and the statement runs on the project's
// sandboxed engine (`runQuery`). Nothing an argument says becomes SQL text.

import { formatExcluded } from '../format/table.ts';
import { compileQuery, hasErrors, renderDiagnostics } from '../../compiler/index.ts';
import type { Diagnostic, Kpi, Query } from '../../compiler/index.ts';
import { prepareQuery, whereValueWarnings } from '../cli/kpi-query.ts';
import { printDiagnostics } from '../cli/report.ts';
import type { PreparedQuery } from '../cli/kpi-query.ts';
import { parseStatuses, QUERY_FILE } from '../cli/query-flags.ts';
import type { QueryFlags } from '../cli/query-flags.ts';
import { runQuery } from '../execute.ts';
import { latestCompletePeriod, rowsOfPeriod } from '../latest-period.ts';
import type { Project } from '../project/open.ts';
import { deprecationNotice } from './catalog.ts';
import { captureOutput } from './capture.ts';
import { ServiceError, toServiceError } from './errors.ts';
import { rowObjects } from './json-values.ts';
import type { JsonValue } from './json-values.ts';
import type { Value } from '../engine/values.ts';

export interface QueryArgs {
  readonly kpi: string;
  /** Segment dimensions; `[]` for the total; absent: the KPI's own `segment by`. */
  readonly by?: readonly string[];
  readonly grain?: string;
  readonly from?: string;
  readonly to?: string;
  /** A kpic predicate over dimensions, e.g. `tier = "enterprise"`. */
  readonly where?: string;
  /** Add previous_value, change and change_pct (the period before). */
  readonly compare?: boolean;
  /** Only rows with these statuses. */
  readonly status?: readonly string[];
  /** Only the latest complete period. */
  readonly latest?: boolean;
  /** At most this many rows (the service's own limit applies as well). */
  readonly limit?: number;
}

export interface QueryLimits {
  readonly maxRows: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface QueryAnswer {
  readonly kpi: string;
  readonly title: string | null;
  readonly owner: string | null;
  readonly lifecycle: string;
  readonly replaced_by: string | null;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, JsonValue>[];
  /** Periods the data or the range covers only in part. */
  readonly incomplete_periods: readonly string[];
  /** With `latest`: the period answered (null: the result has no complete period). */
  readonly latest_period?: string | null;
  /** Rows left out by the sources' checks over the query's range. */
  readonly excluded: readonly { readonly source: string; readonly check: string; readonly rows: number }[];
  readonly row_count: number;
  readonly truncated: boolean;
  /** The deprecation notice, warnings on the arguments, errors elsewhere in the project. */
  readonly notes: readonly string[];
}

/** Compile a query without running it: the SQL `kpic compile` prints. */
export function explainQuery(
  project: Project,
  args: QueryArgs,
): { kpi: string; sql: string; check_report_sql: string | null; columns: string[]; notes: string[] } {
  const { prepared, notes } = prepare(project, args);
  const compiled = compileQuery(project.model, prepared.query, { dataRoot: project.dataRoot });
  failOnErrors(compiled.diagnostics, prepared.texts);
  const value = compiled.value!;
  return {
    kpi: prepared.kpi.name,
    sql: value.sql,
    check_report_sql: value.checkReportSql ?? null,
    columns: value.columns.map((c) => c.name),
    notes,
  };
}

/** The rows of a query before the row limit: what `query_kpi` and `at_risk` share. */
export interface QueryRows {
  readonly kpi: Kpi;
  readonly columns: readonly string[];
  readonly types: readonly string[];
  readonly rows: readonly (readonly Value[])[];
  readonly incomplete: readonly string[];
  readonly latest: string | null | undefined;
  readonly excluded: QueryAnswer['excluded'];
  readonly notes: readonly string[];
}

/** Run a query; failures throw `ServiceError`. */
export async function answerQuery(project: Project, args: QueryArgs, limits: QueryLimits): Promise<QueryAnswer> {
  const result = await queryRows(project, args, limits);
  return answerOf(result, result.rows, Math.min(limits.maxRows, args.limit ?? limits.maxRows));
}

/** The answer with at most `max` of `rows` (the result's rows, maybe reordered). */
export function answerOf(result: QueryRows, rows: readonly (readonly Value[])[], max: number): QueryAnswer {
  return {
    ...identity(result.kpi),
    columns: result.columns,
    rows: rowObjects(result.columns, result.types, rows.slice(0, max)),
    incomplete_periods: result.incomplete,
    ...(result.latest === undefined ? {} : { latest_period: result.latest }),
    excluded: result.excluded,
    row_count: rows.length,
    truncated: rows.length > max,
    notes: result.notes,
  };
}

export async function queryRows(project: Project, args: QueryArgs, limits: QueryLimits): Promise<QueryRows> {
  const { prepared, notes: prepareNotes } = prepare(project, args);
  const notes = [...prepareNotes, ...(await valueNotes(project, prepared))];
  // `latest` picks the period before filtering on status: the latest complete
  // period is that of the data, not of the rows in breach.
  const { status: statuses, ...rest } = prepared.query;
  const query: Query = { ...rest, markIncomplete: true, ...(statuses && !args.latest ? { status: statuses } : {}) };
  let result: Awaited<ReturnType<typeof runQuery>>;
  try {
    result = await runQuery(project, query, {
      ...(limits.timeoutMs === undefined ? {} : { timeoutMs: limits.timeoutMs }),
      ...(limits.signal ? { signal: limits.signal } : {}),
    });
  } catch (error) {
    throw toServiceError(error);
  }
  failOnErrors(result.diagnostics, prepared.texts);
  const value = result.value!;
  const columns = value.columns.map((c) => c.name);
  const period = columns.indexOf('period');
  let rows = value.rows;
  let latest: string | null | undefined;
  if (args.latest) {
    if (period < 0)
      throw new ServiceError(
        'invalid-argument',
        `latest: \`${prepared.kpi.name}\` has no periods at this grain; give a grain, e.g. "grain": "month"`,
      );
    latest = latestCompletePeriod({ columns, rows }) ?? null;
    rows = latest === null ? [] : rowsOfPeriod({ columns, rows }, latest).rows;
    const status = columns.indexOf('status');
    if (statuses !== undefined) rows = rows.filter((row) => (statuses as readonly unknown[]).includes(row[status]));
  }
  const flag = columns.indexOf('incomplete');
  const incomplete =
    flag < 0 || period < 0
      ? []
      : [...new Set(value.rows.filter((r) => r[flag] === true).map((r) => String(r[period])))];
  return {
    kpi: prepared.kpi,
    columns,
    types: value.types,
    rows,
    incomplete,
    latest,
    excluded: value.excluded.map((e) => ({ source: e.source, check: e.check, rows: Number(e.excluded) })),
    // Malformed rows skipped (`data.skip_malformed_rows`) are said as the CLI's footnote says them.
    notes: [
      ...notes,
      ...formatExcluded({ excluded: [], ...(value.skipped ? { skipped: value.skipped } : {}) }).map((n) => n.slice(2)),
    ],
  };
}

export function identity(kpi: Kpi): Pick<QueryAnswer, 'kpi' | 'title' | 'owner' | 'lifecycle' | 'replaced_by'> {
  return {
    kpi: kpi.name,
    title: kpi.title ?? null,
    owner: kpi.owner ?? null,
    lifecycle: kpi.status,
    replaced_by: kpi.replacedBy ?? null,
  };
}

/** `unknown-value` warnings on the `where` argument, rendered as the CLI prints them. */
async function valueNotes(project: Project, prepared: PreparedQuery): Promise<string[]> {
  let warnings: Diagnostic[];
  try {
    warnings = await whereValueWarnings(project, prepared.query.where);
  } catch (error) {
    throw toServiceError(error);
  }
  if (warnings.length === 0) return [];
  const output = captureOutput();
  printDiagnostics(output, warnings, prepared.texts, 'err');
  return output.chunks();
}

/** The arguments as the CLI's query flags, through the CLI's own checks. */
function prepare(project: Project, args: QueryArgs): { prepared: PreparedQuery; notes: string[] } {
  const output = captureOutput();
  let prepared: PreparedQuery | number;
  try {
    if (args.status !== undefined && args.status.length > 0) parseStatuses(args.status.join(','));
    prepared = prepareQuery(project, args.kpi, flagsOf(args), output);
  } catch (error) {
    throw toServiceError(error);
  }
  if (typeof prepared === 'number')
    throw new ServiceError('kpi-error', output.text() || `KPI \`${args.kpi}\` cannot be used: the project has errors`);
  const notice = deprecationNotice(prepared.kpi);
  return { prepared, notes: [...(notice ? [notice] : []), ...output.chunks()] };
}

function flagsOf(args: QueryArgs): QueryFlags {
  return {
    ...(args.by === undefined ? {} : { by: args.by.length === 0 ? 'none' : args.by.join(',') }),
    ...(args.grain === undefined ? {} : { grain: args.grain }),
    ...(args.from === undefined ? {} : { from: args.from }),
    ...(args.to === undefined ? {} : { to: args.to }),
    ...(args.where === undefined ? {} : { where: args.where }),
    ...(args.compare ? { compare: 'previous' } : {}),
    ...(args.status === undefined || args.status.length === 0 ? {} : { status: args.status.join(',') }),
  };
}

/** Errors become a `ServiceError` with every diagnostic rendered; warnings pass. */
function failOnErrors(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): void {
  if (!hasErrors(diagnostics)) return;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const message = renderDiagnostics(errors, texts, { color: false }).trimEnd();
  if (errors.some((d) => d.code === 'non-unique-key')) throw new ServiceError('data-error', message);
  throw new ServiceError(errors.some((d) => d.file === QUERY_FILE) ? 'invalid-argument' : 'kpi-error', message);
}
