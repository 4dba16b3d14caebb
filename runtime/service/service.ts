// The one service behind `kpic mcp` and `kpic serve`: the project, reloaded
// when its definitions change (reload.ts), its sandboxed engine, the
// compiler's checks, bounded concurrency, a per-query timeout and a row
// limit. Each operation is the same function for both front ends, built on
// what `kpic list`, `explain`, `compile` and `run` use. It only reads:
// nothing here writes to the project.

import { suggest } from '../../compiler/index.ts';
import type { Kpi } from '../../compiler/index.ts';
import { findKpi } from '../cli/kpi-lookup.ts';
import type { Project } from '../project/open.ts';
import { atRisk } from './at-risk.ts';
import type { AtRiskAnswer, AtRiskArgs } from './at-risk.ts';
import { captureOutput } from './capture.ts';
import { deprecationNotice, describeKpi, listKpis } from './catalog.ts';
import type { KpiDescription, KpiFilters, KpiSummary } from './catalog.ts';
import { ServiceError, toServiceError } from './errors.ts';
import { createGate } from './gate.ts';
import type { GateStats } from './gate.ts';
import { answerQuery, explainQuery } from './query.ts';
import type { QueryAnswer, QueryArgs } from './query.ts';
import { holdProject } from './reload.ts';
import type { ModelStatus, ReloadOptions } from './reload.ts';

export interface ServiceOptions {
  /** Rows returned at most per answer (default 1,000); an answer with more says `truncated`. */
  readonly maxRows?: number;
  /** Per-query timeout in milliseconds (default 30,000); none when 0. */
  readonly timeoutMs?: number;
  /** Queries that may wait behind the running one (default 8); more are refused as `busy`. */
  readonly maxWaiting?: number;
  /** How changes to the definitions are picked up (reload.ts). */
  readonly reload?: ReloadOptions;
}

export const SERVICE_DEFAULTS = { maxRows: 1000, timeoutMs: 30_000, maxWaiting: 8 } as const;

/** Said in every answer's `notes` while a change of the files is not used (reload.ts). */
type Noted<T> = T & { readonly notes: readonly string[] };

export interface KpiService {
  listKpis(filters?: KpiFilters): Promise<Noted<{ kpis: KpiSummary[] }>>;
  describeKpi(name: string): Promise<Noted<KpiDescription>>;
  /** The KPI's declaration as written, with the file it is in. */
  definition(name: string): Promise<{ name: string; file: string; text: string; notice: string | null }>;
  queryKpi(args: QueryArgs, signal?: AbortSignal): Promise<QueryAnswer>;
  atRisk(args: AtRiskArgs, signal?: AbortSignal): Promise<AtRiskAnswer>;
  explainSql(args: QueryArgs): Promise<ReturnType<typeof explainQuery>>;
  stats(): GateStats & { model: ModelStatus };
  /** Close the engines this service opened (call once the server has stopped). */
  close(): Promise<void>;
}

export function createKpiService(initial: Project, options: ServiceOptions = {}): KpiService {
  const holder = holdProject(initial, options.reload);
  const maxRows = options.maxRows ?? SERVICE_DEFAULTS.maxRows;
  const timeout = options.timeoutMs ?? SERVICE_DEFAULTS.timeoutMs;
  const gate = createGate(options.maxWaiting ?? SERVICE_DEFAULTS.maxWaiting);
  const limits = (signal: AbortSignal | undefined) => ({
    maxRows,
    ...(timeout > 0 ? { timeoutMs: timeout } : {}),
    ...(signal ? { signal } : {}),
  });
  /** A change of the files that is not used is said in the answer, and in the error of a failure. */
  const noted = <T extends object>(answer: T): Noted<T> => {
    const { problem } = holder.status();
    const notes = (answer as { notes?: readonly string[] }).notes ?? [];
    return { ...answer, notes: problem === null ? notes : [...notes, problem] };
  };
  const said = async <T extends object>(task: (project: Project) => Promise<T>): Promise<Noted<T>> => {
    try {
      return noted(await holder.use(task));
    } catch (error) {
      const failure = toServiceError(error);
      const { problem } = holder.status();
      throw problem === null ? failure : new ServiceError(failure.code, `${failure.message}\nnote: ${problem}`);
    }
  };
  const guarded = <T extends object>(task: (project: Project) => Promise<T>, signal: AbortSignal | undefined) =>
    said((project) => gate.run(() => task(project), signal));
  return {
    listKpis: (filters) => said(async (project) => ({ kpis: listKpis(project, checkFilters(filters ?? {})) })),
    describeKpi: (name) =>
      said(async (project) => ({ ...describeKpi(project, lookup(project, name)), notes: [] as string[] })),
    definition: async (name) => {
      const project = await holder.current();
      const kpi = lookup(project, name);
      const text = (project.texts.get(kpi.file) ?? '').slice(kpi.span.start.offset, kpi.span.end.offset);
      return { name: kpi.name, file: kpi.file, text, notice: deprecationNotice(kpi) };
    },
    queryKpi: (args, signal) => guarded((project) => answerQuery(project, args, limits(signal)), signal),
    atRisk: (args, signal) => guarded((project) => atRisk(project, args, limits(signal)), signal),
    explainSql: (args) => said(async (project) => explainQuery(project, args)),
    stats: () => ({ ...gate.stats(), model: holder.status() }),
    close: () => holder.close(),
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
