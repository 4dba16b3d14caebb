// The MCP server of `kpic mcp`: the service's operations as tools, each
// KPI's definition as a resource, and two prompts. Built on the official
// TypeScript SDK; the transport (stdio) is the caller's.
//
// A failure is a tool result with `isError` and the diagnostic's text (the
// compiler's code frame, the CLI's hint), never a stack trace.

import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { toServiceError } from '../service/errors.ts';
import { atRiskArgs, describeArgs, explainArgs, listArgs, outputs, queryArgs } from '../service/schemas.ts';
import type { KpiService } from '../service/service.ts';
import { reviewScorecard, investigateDrop } from './prompts.ts';

export function createMcpServer(service: KpiService, version: string): McpServer {
  const server = new McpServer({ name: 'kpic', version }, { instructions: INSTRUCTIONS });
  const readOnly = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;

  server.registerTool(
    'list_kpis',
    {
      title: 'List KPIs',
      description:
        'The KPIs of the project with title, description, owner, perspective, indicator and lifecycle (draft, active, deprecated). Filters: status, owner, perspective, tag, text.',
      inputSchema: listArgs,
      outputSchema: outputs.list,
      annotations: readOnly,
    },
    (args) => answerAsync(() => service.listKpis(defined(args))),
  );

  server.registerTool(
    'describe_kpi',
    {
      title: 'Describe a KPI',
      description:
        "One KPI's governed definition: formula, measures, segments, allowed grains, thresholds, the path to the customer, the KPIs it reads and that read it, and its replacement when deprecated.",
      inputSchema: describeArgs,
      outputSchema: outputs.describe,
      annotations: readOnly,
    },
    (args) => answerAsync(() => service.describeKpi(args.kpi)),
  );

  server.registerTool(
    'query_kpi',
    {
      title: 'Query a KPI',
      description:
        'Compute a KPI: rows with value, status (ok, warn, critical, insufficient) and target_met per period and segment, the periods still incomplete and the rows the data checks excluded. `compare: true` adds the change on the period before; `latest: true` keeps only the latest complete period. `where` is a kpic predicate over dimensions, never SQL.',
      inputSchema: queryArgs,
      outputSchema: outputs.query,
      annotations: readOnly,
    },
    (args, extra) => answerAsync(() => service.queryKpi(defined(args), extra.signal)),
  );

  server.registerTool(
    'at_risk',
    {
      title: 'Customers or segments at risk',
      description:
        'The customers or segments at risk in the latest complete period. With `alert` (list_kpis lists each KPI\'s alerts): the breaches of that alert exactly as `kpic alert` reports them, with value, previous value, threshold, periods in breach and who is responsible, accountable and told (RACI). With `kpi`: the customers (by: ["customer"]) or segments in breach of the KPI\'s thresholds (critical, then warn), worst first, with its owner and thresholds.',
      inputSchema: atRiskArgs,
      outputSchema: outputs.atRisk,
      annotations: readOnly,
    },
    (args, extra) => answerAsync(() => service.atRisk(defined(args), extra.signal)),
  );

  server.registerTool(
    'explain_sql',
    {
      title: 'Show the SQL of a query',
      description: 'The one SQL statement kpic compiles for a query, without running it (read only).',
      inputSchema: explainArgs,
      outputSchema: outputs.explain,
      annotations: readOnly,
    },
    (args) => answerAsync(() => service.explainSql(defined(args))),
  );

  server.registerResource(
    'kpi-definition',
    new ResourceTemplate('kpi://{name}', {
      list: async () => ({
        resources: (await service.listKpis()).kpis.map((k) => ({
          uri: `kpi://${encodeURIComponent(k.name)}`,
          name: k.name,
          ...(k.title ? { title: k.title } : {}),
          ...(k.description ? { description: k.description } : {}),
          mimeType: 'text/plain',
        })),
      }),
    }),
    { title: 'KPI definition', description: "A KPI's declaration as written in its .kpi file", mimeType: 'text/plain' },
    async (uri, variables) => {
      const name = decodeURIComponent(String(variables['name']));
      const { file, text, notice } = await service.definition(name);
      return {
        contents: [
          { uri: uri.href, mimeType: 'text/plain', text: `# ${file}\n${notice ? `# ${notice}\n` : ''}${text}\n` },
        ],
      };
    },
  );

  server.registerPrompt(
    'review_scorecard',
    {
      title: 'Review the scorecard',
      description:
        'Review every active KPI in its latest complete period: what is off target, by how much, and who owns it.',
      argsSchema: { owner: z.string().optional().describe('only the KPIs of this owner') },
    },
    (args) => reviewScorecard(args.owner),
  );

  server.registerPrompt(
    'investigate_kpi_drop',
    {
      title: "Investigate a KPI's drop",
      description:
        'Find where and since when a KPI fell, from its definition, its change on the period before, its segments and the customers in breach.',
      argsSchema: { kpi: z.string().describe('the KPI that dropped') },
    },
    (args) => investigateDrop(args.kpi),
  );

  return server;
}

const INSTRUCTIONS = [
  "kpic answers with governed KPIs: each value comes with its status against the KPI's declared thresholds, its owner and its lifecycle.",
  'Ask kpic for numbers instead of computing them: use `compare: true` for the change on the period before and `latest: true` for the latest complete period.',
  '`where` takes a kpic predicate over dimensions such as tier = "enterprise"; it is never SQL.',
  'For "who is at risk": list_kpis gives each KPI\'s alerts (what is watched, the condition, who is responsible and accountable); `at_risk` with `alert` gives that alert\'s breaches in the latest complete period, with who owns each.',
  'A deprecated KPI still answers; its notes and `replaced_by` name the KPI to use instead.',
].join('\n');

/** Leave out the arguments a client sent as undefined. */
function defined<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as T;
}

async function answerAsync(task: () => Promise<object>): Promise<CallToolResult> {
  try {
    return success(await task());
  } catch (error) {
    return failure(error);
  }
}

function success(value: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

function failure(error: unknown): CallToolResult {
  const { code, message } = toServiceError(error);
  return { content: [{ type: 'text', text: `${code}: ${message}` }], isError: true };
}
