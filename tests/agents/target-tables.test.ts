// A threshold read from a target table (`target >= event_targets.goal`), as
// `kpic mcp` and `kpic explain` describe it: marked with the table and its
// column, never passed off as a number. On the hand-worked data of
// tests/alerts/target-data.ts.

import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../runtime/http/openapi.ts';
import { project } from '../alerts/target-data.ts';
import { BIN, kpic } from '../cli/helpers.ts';

const dir = project();
let client: Client;

beforeAll(async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--project', dir, 'mcp'],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1' },
    stderr: 'pipe',
  });
  client = new Client({ name: 'kpic-tests', version: '1.0.0' });
  await client.connect(transport);
}, 240_000);
afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

const EVENTS_VS_GOAL = [
  {
    level: 'target',
    op: '>=',
    value: null,
    for: null,
    since: null,
    from_table: { source: 'event_targets', column: 'goal' },
  },
  { level: 'target', op: '>=', value: '5', for: null, since: null, from_table: null },
  {
    level: 'warn',
    op: '<',
    value: null,
    for: null,
    since: null,
    from_table: { source: 'event_targets', column: 'goal' },
  },
];

describe('thresholds from a target table in the MCP answers', () => {
  it('describe_kpi marks each threshold read from the table with its source and column, and no value', async () => {
    const answer = await call('describe_kpi', { kpi: 'events_vs_goal' });
    expect(answer['thresholds']).toEqual(EVENTS_VS_GOAL);
  }, 240_000);

  it("at_risk gives the same thresholds, and the rows in breach of the table's target in the latest complete month", async () => {
    const answer = await call('at_risk', { kpi: 'events_vs_goal', by: ['region'] });
    expect(answer['thresholds']).toEqual(EVENTS_VS_GOAL);
    expect(answer['period']).toBe('2024-03-01');
    // March by hand: US 7 < 8 (the row for every region) is warn; EU 9 is not below 8.
    const rows = (answer['rows'] as Record<string, unknown>[]).map((r) => [r['region'], r['value'], r['status']]);
    expect(rows).toEqual([['US', 7, 'warn']]);
  }, 240_000);

  it('the OpenAPI document allows the marked threshold and refuses a table given as a bare text', () => {
    const doc = openApiDocument('0.0.0') as { components: { schemas: Record<string, unknown> } };
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'openapi', components: doc.components });
    const check = ajv.compile({ $ref: 'openapi#/components/schemas/KpiDescription/properties/thresholds' });
    expect(check(EVENTS_VS_GOAL)).toBe(true);
    expect(check([{ level: 'target', op: '>=', value: 'event_targets.goal', for: null }])).toBe(false);
  });
});

describe('kpic explain with a target table', () => {
  it('prints the table and column of each threshold read from it', async () => {
    const result = await kpic(dir, ['explain', 'events_vs_goal']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      [
        '  target >= event_targets.goal (per period, from a target table)',
        '  target >= 5',
        '  warn < event_targets.goal (per period, from a target table)',
      ].join('\n'),
    );
  }, 240_000);
});
