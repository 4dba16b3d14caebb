// The arguments of the service's operations as zod schemas: the MCP tools'
// input schemas, the HTTP API's request validation and its OpenAPI document
// come from these, so the three cannot disagree.
//
// Grains, dates, statuses and dimension names are plain strings here on
// purpose: the CLI's parsers and the compiler check them, so a wrong value
// gets the same message as `kpic run` gives (with a did-you-mean), not a
// schema validator's.

import * as z from 'zod';
import { GRAINS, RESULT_STATUSES } from '../../compiler/index.ts';

const NAME = z.string().min(1).max(200);

export const listArgs = {
  status: z.string().max(20).optional().describe('lifecycle: draft, active or deprecated'),
  owner: z.string().max(200).optional().describe('the owner as declared, e.g. "customer-success"'),
  perspective: z.string().max(20).optional().describe('customer or company'),
  tag: z.string().max(200).optional(),
  text: z.string().max(200).optional().describe('case-insensitive text searched in name, title and description'),
};

export const describeArgs = {
  kpi: NAME.describe('the KPI name (any case)'),
};

const queryShape = {
  kpi: NAME.describe('the KPI name (any case); list_kpis gives the names'),
  by: z
    .array(z.string().min(1).max(200))
    .max(16)
    .optional()
    .describe(
      'segment dimensions, e.g. ["tier"] or ["customer"] for each customer; [] for the total; omitted: the KPI\'s own segments',
    ),
  grain: z
    .string()
    .max(20)
    .optional()
    .describe(`time grain: ${GRAINS.join(', ')}, or none for one period over the range; omitted: the KPI's grain`),
  from: z.string().max(40).optional().describe('inclusive start, YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS"'),
  to: z.string().max(40).optional().describe('exclusive end, same forms as from'),
  where: z
    .string()
    .max(4000)
    .optional()
    .describe('a kpic predicate over dimensions (never SQL), e.g. tier = "enterprise" and region in ("EMEA", "NA")'),
};

export const queryArgs = {
  ...queryShape,
  compare: z
    .boolean()
    .optional()
    .describe('add previous_value, change and change_pct: the value of the period before, computed by kpic'),
  status: z
    .array(z.string().max(20))
    .max(8)
    .optional()
    .describe(`only rows with these statuses: ${RESULT_STATUSES.join(', ')}`),
  latest: z.boolean().optional().describe('only the latest complete period (a period still running is never reported)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('at most this many rows (the server has its own limit too)'),
};

export const atRiskArgs = {
  ...queryShape,
  kpi: NAME.optional().describe(
    "the KPI name (any case): its segments or customers in breach of its thresholds; a name that is only an alert's is that alert",
  ),
  alert: NAME.optional().describe(
    "an alert name (list_kpis gives each KPI's alerts): its breaches as `kpic alert` reports them, with who is responsible; takes no by, grain, from, to, where or status",
  ),
  status: z
    .array(z.string().max(20))
    .max(8)
    .optional()
    .describe('the statuses that count as at risk; default ["critical", "warn"]'),
  limit: queryArgs.limit,
};

export const explainArgs = {
  ...queryShape,
  compare: queryArgs.compare,
  status: queryArgs.status,
};

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const identity = {
  kpi: z.string(),
  title: z.string().nullable(),
  owner: z.string().nullable(),
  lifecycle: z.string(),
  replaced_by: z.string().nullable(),
};
const answerShape = {
  ...identity,
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), cell)),
  incomplete_periods: z.array(z.string()),
  latest_period: z.string().nullable().optional(),
  excluded: z.array(z.object({ source: z.string(), check: z.string(), rows: z.number() })),
  row_count: z.number(),
  truncated: z.boolean(),
  notes: z.array(z.string()),
};
const threshold = z.object({
  level: z.string(),
  op: z.string(),
  value: z.string().nullable().describe('the number as an exact decimal; null when it is read from a target table'),
  for: z.string().nullable().describe('the segments it applies to (`region = "EMEA"`); null: all'),
  since: z.string().nullable().describe('`YYYY-MM-DD`: in force for the periods starting on or after it; null: always'),
  from_table: z
    .object({ source: z.string(), column: z.string() })
    .nullable()
    .describe("a target table: each period's (and segment's) value is its row's in this source's column"),
});
const alertShape = z.object({
  name: z.string(),
  by: z.array(z.string()),
  where: z.string().nullable(),
  condition: z.string(),
  level: z.string(),
  for_periods: z.number(),
  escalate_after: z.number().nullable(),
  responsible: z.array(z.string()),
  accountable: z.array(z.string()),
  consulted: z.array(z.string()),
  informed: z.array(z.string()),
});
const summaryShape = {
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  owner: z.string().nullable(),
  perspective: z.string(),
  indicator: z.string().nullable(),
  lifecycle: z.string(),
  replaced_by: z.string().nullable(),
  segments: z.array(z.string()),
  grain: z.string().nullable(),
  direction: z.string().nullable(),
  tags: z.array(z.string()),
  version: z.number().nullable(),
  file: z.string(),
  line: z.number(),
  alerts: z.array(alertShape),
};

/** The shapes of the answers (MCP `structuredContent`, HTTP response bodies). */
export const outputs = {
  list: {
    kpis: z.array(z.object(summaryShape)),
    notes: z.array(z.string()).describe('set while a change of the project files is not used (it has errors)'),
  },
  describe: {
    ...summaryShape,
    column: z.number(),
    definition: z.string(),
    customer_value: z.string().nullable(),
    formula: z.string(),
    cohort: z.string().nullable(),
    where: z.string().nullable(),
    min_sample: z.number().nullable(),
    window: z.string().nullable(),
    measures: z.array(
      z.object({
        name: z.string(),
        source: z.string(),
        definition: z.string(),
        aggregate: z.string(),
        time: z.string(),
      }),
    ),
    sources: z.array(z.object({ name: z.string(), relation: z.string(), role: z.string() })),
    joins: z.array(z.string()),
    aggregated_dimensions: z.array(z.object({ name: z.string(), definition: z.string(), rows: z.string() })),
    computed_from: z.array(z.string()),
    repeated_values: z.array(z.string()),
    components: z.array(z.string()),
    weighted: z.boolean(),
    thresholds: z.array(threshold),
    allowed_grains: z.array(z.string()),
    path_to_customer: z.array(z.object({ measure: z.string(), path: z.array(z.string()) })),
    reads: z.array(z.string()),
    read_by: z.array(z.string()),
    notice: z.string().nullable(),
    notes: z.array(z.string()),
  },
  query: answerShape,
  atRisk: {
    ...answerShape,
    direction: z.string().nullable(),
    thresholds: z.array(threshold),
    period: z.string().nullable(),
    segments: z.array(z.string()),
    alert: alertShape.nullable(),
  },
  explain: {
    kpi: z.string(),
    sql: z.string(),
    check_report_sql: z.string().nullable(),
    columns: z.array(z.string()),
    notes: z.array(z.string()),
  },
};
