// The one service behind `kpic mcp` and `kpic serve`: the project opened
// once, its sandboxed engine, the compiler's checks, bounded concurrency, a
// per-query timeout and a row limit. Each operation is the same function for
// both front ends, built on what `kpic list`, `explain`, `compile` and `run`
// use. It only reads: nothing here writes to the project.

import { suggest } from '../../compiler/index.ts';
import type { Kpi } from '../../compiler/index.ts';
import { findKpi } from '../cli/kpi-lookup.ts';
import type { Project } from '../project/open.ts';
import { atRisk } from './at-risk.ts';
import type { AtRiskAnswer, AtRiskArgs } from './at-risk.ts';
import { captureOutput } from './capture.ts';
import { describeKpi, listKpis } from './catalog.ts';
import type { KpiDescription, KpiFilters, KpiSummary } from './catalog.ts';
import { ServiceError, toServiceError } from './errors.ts';
import { createGate } from './gate.ts';
import type { GateStats } from './gate.ts';
import { answerQuery, explainQuery } from './query.ts';
import type { QueryAnswer, QueryArgs } from './query.ts';

export interface ServiceOptions {
  /** Rows returned at most per answer (default 1,000); an answer with more says `truncated`. */
  readonly maxRows?: number;
  /** Per-query timeout in milliseconds (default 30,000); none when 0. */
  readonly timeoutMs?: number;
  /** Queries that may wait behind the running one (default 8); more are refused as `busy`. */
  readonly maxWaiting?: number;
}

export const SERVICE_DEFAULTS = { maxRows: 1000, timeoutMs: 30_000, maxWaiting: 8 } as const;

export interface KpiService {
  readonly project: Project;
  listKpis(filters?: KpiFilters): KpiSummary[];
  describeKpi(name: string): KpiDescription;
  /** The KPI's declaration as written, with the file it is in. */
  definition(name: string): { name: string; file: string; text: string };
  queryKpi(args: QueryArgs, signal?: AbortSignal): Promise<QueryAnswer>;
  atRisk(args: AtRiskArgs, signal?: AbortSignal): Promise<AtRiskAnswer>;
  explainSql(args: QueryArgs): ReturnType<typeof explainQuery>;
  stats(): GateStats;
}

export function createKpiService(project: Project, options: ServiceOptions = {}): KpiService {
  const maxRows = options.maxRows ?? SERVICE_DEFAULTS.maxRows;
  const timeout = options.timeoutMs ?? SERVICE_DEFAULTS.timeoutMs;
  const gate = createGate(options.maxWaiting ?? SERVICE_DEFAULTS.maxWaiting);
  const limits = (signal: AbortSignal | undefined) => ({
    maxRows,
    ...(timeout > 0 ? { timeoutMs: timeout } : {}),
    ...(signal ? { signal } : {}),
  });
  const guarded = async <T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
    try {
      return await gate.run(task, signal);
    } catch (error) {
      throw toServiceError(error);
    }
  };
  return {
    project,
    listKpis: (filters) => listKpis(project, checkFilters(filters ?? {})),
    describeKpi: (name) => describeKpi(project, lookup(project, name)),
    definition: (name) => {
      const kpi = lookup(project, name);
      const text = (project.texts.get(kpi.file) ?? '').slice(kpi.span.start.offset, kpi.span.end.offset);
      return { name: kpi.name, file: kpi.file, text };
    },
    queryKpi: (args, signal) => guarded(() => answerQuery(project, args, limits(signal)), signal),
    atRisk: (args, signal) => guarded(() => atRisk(project, args, limits(signal)), signal),
    explainSql: (args) => explainQuery(project, args),
    stats: () => gate.stats(),
  };
}

/** A lifecycle or perspective that does not exist is a mistake, not an empty list. */
function checkFilters(filters: KpiFilters): KpiFilters {
  const closed = { status: ['draft', 'active', 'deprecated'], perspective: ['customer', 'company'] } as const;
  for (const key of ['status', 'perspective'] as const) {
    const given = filters[key]?.trim().toLowerCase();
    if (given === undefined || (closed[key] as readonly string[]).includes(given)) continue;
    const guess = suggest(given, closed[key]);
    throw new ServiceError(
      'invalid-argument',
      `${key}: \`${filters[key]}\` is not a ${key === 'status' ? 'lifecycle status' : 'perspective'}\nhint: ${guess ? `did you mean \`${guess}\`? ` : ''}${key === 'status' ? 'statuses' : 'perspectives'} are ${closed[key].join(', ')}.`,
    );
  }
  return filters;
}

/** The KPI called `name`, or the CLI's error for it (unknown, with a did-you-mean; or unusable). */
function lookup(project: Project, name: string): Kpi {
  const output = captureOutput();
  let kpi: Kpi | number;
  try {
    kpi = findKpi(project, name, output);
  } catch (error) {
    throw toServiceError(error);
  }
  if (typeof kpi === 'number') throw new ServiceError('kpi-error', output.text());
  return kpi;
}
