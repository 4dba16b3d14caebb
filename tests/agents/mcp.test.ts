// `kpic mcp` as an assistant runs it: an MCP client from the official SDK
// starts it as a subprocess over stdio, lists its tools, resources and
// prompts, and calls every tool on the saas example (checks.ts compares the
// values with hand-written SQL).

import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainKpi } from '../../runtime/cli/explain-kpi.ts';
import type { KpiDescription } from '../../runtime/service/catalog.ts';
import { BIN, copyTemplate, kpic } from '../cli/helpers.ts';
import { defineServiceChecks } from './checks.ts';
import type { Answer, Call } from './checks.ts';
import { enterpriseUsageDropBreaches, hand, SAAS } from './hand.ts';

async function connect(project: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--project', project, 'mcp'],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'kpic-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => {
      const stat = statSync(join(dir, f));
      return `${f} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

function callerOf(client: Client): Call {
  return async (tool, args): Promise<Answer> => {
    const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
    if (result.isError) return { ok: false, message: text };
    // The text content is the same answer as the structured one.
    expect(JSON.parse(text)).toEqual(result.structuredContent);
    return { ok: true, value: result.structuredContent as Record<string, unknown> };
  };
}

describe('kpic mcp on the saas example', () => {
  let session: { client: Client; stderr: () => string };
  beforeAll(async () => {
    session = await connect(SAAS);
  });
  afterAll(async () => {
    await session?.client.close();
  });

  it('lists the five tools, with JSON schemas for their arguments and results, read only', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'at_risk',
      'describe_kpi',
      'explain_sql',
      'list_kpis',
      'query_kpi',
    ]);
    const query = tools.find((t) => t.name === 'query_kpi')!;
    expect(Object.keys(query.inputSchema.properties ?? {}).sort()).toEqual([
      'by',
      'compare',
      'from',
      'grain',
      'kpi',
      'latest',
      'limit',
      'status',
      'to',
      'where',
    ]);
    expect(query.inputSchema.required).toEqual(['kpi']);
    expect(query.outputSchema?.properties).toHaveProperty('rows');
    for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    expect(session.stderr()).toMatch(/kpic mcp: 33 KPIs of .* on stdio/);
  });

  it("offers each KPI's definition as a resource, as written in its file", async () => {
    const { resources } = await session.client.listResources();
    expect(resources).toHaveLength(33); // every KPI of examples/saas, metrics/ included
    expect(resources.find((r) => r.name === 'nps')).toMatchObject({
      uri: 'kpi://nps',
      title: 'Net Promoter Score',
      mimeType: 'text/plain',
    });
    const { contents } = await session.client.readResource({ uri: 'kpi://nps' });
    const text = String((contents[0] as { text: string }).text);
    expect(text).toContain('# ../../metrics/kpis/nps.kpi\nkpi nps {\n  title "Net Promoter Score"');
    expect(text).toContain('critical < 0 for region = "EMEA"\n}');
  });

  it('offers the two prompts, naming the tools to use', async () => {
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['investigate_kpi_drop', 'review_scorecard']);
    const review = await session.client.getPrompt({ name: 'review_scorecard', arguments: { owner: 'support' } });
    const reviewText = (review.messages[0]!.content as { text: string }).text;
    expect(reviewText).toContain('list_kpis with status "active" and owner "support"');
    expect(reviewText).toContain('latest: true');
    expect(reviewText).toContain('call at_risk with that alert');
    const drop = await session.client.getPrompt({ name: 'investigate_kpi_drop', arguments: { kpi: 'nps' } });
    const dropText = (drop.messages[0]!.content as { text: string }).text;
    for (const tool of ['describe_kpi', 'query_kpi', 'at_risk']) expect(dropText).toContain(tool);
  });

  it('list_kpis and describe_kpi say what kpic list and kpic explain print (one function each)', async () => {
    const call = callerOf(session.client);
    const listed = await call('list_kpis', {});
    const cli = await kpic(SAAS, ['list', '--json']);
    expect(cli.code).toBe(0);
    const printed = JSON.parse(cli.stdout) as Record<string, unknown>[];
    const answered = (listed.ok ? listed.value['kpis'] : []) as Record<string, unknown>[];
    expect(answered.map((k) => [k['name'], k['owner'], k['lifecycle'], k['version'], k['file'], k['line']])).toEqual(
      printed.map((k) => [k['name'], k['owner'], k['status'], k['version'], k['file'], k['line']]),
    );
    // The same filters: owner and text in any case.
    const filtered = await call('list_kpis', { owner: 'Customer-Success', text: 'NPS' });
    const cliFiltered = await kpic(SAAS, ['list', '--json', '--owner', 'Customer-Success', '--text', 'NPS']);
    const filteredNames = ((filtered.ok ? filtered.value['kpis'] : []) as Record<string, unknown>[]).map(
      (k) => k['name'],
    );
    expect(filteredNames.length).toBeGreaterThan(1);
    expect((JSON.parse(cliFiltered.stdout) as Record<string, unknown>[]).map((k) => k['name'])).toEqual(filteredNames);
    // A health score (components, weights) and a KPI with segments and thresholds: explain's text is the description's.
    for (const name of ['customer_health', 'regional_nps']) {
      const described = await call('describe_kpi', { kpi: name });
      expect(described.ok).toBe(true);
      const explained = await kpic(SAAS, ['explain', name]);
      expect(explained.code).toBe(0);
      expect(explainKpi((described.ok ? described.value : {}) as unknown as KpiDescription)).toBe(explained.stdout);
    }
  });

  it('answers "which enterprise accounts are at risk this week and who owns them" from the tools (docs/mcp.md)', async () => {
    const call = callerOf(session.client);
    // 1. What does this project call "at risk" for an enterprise account? The alerts listed with the KPIs say.
    const listed = await call('list_kpis', {});
    const kpis = (listed.ok ? listed.value['kpis'] : []) as {
      name: string;
      owner: string | null;
      alerts: { name: string; by: string[]; where: string | null; accountable: string[]; responsible: string[] }[];
    }[];
    const watching = kpis.flatMap((k) =>
      k.alerts
        .filter((a) => a.by.includes('customer') && /enterprise/.test(a.where ?? ''))
        .map((a) => ({ kpi: k, alert: a })),
    );
    expect(watching.map((w) => `${w.kpi.name}.${w.alert.name}`)).toEqual([
      'account_weekly_usage.enterprise_usage_drop',
    ]);
    const [{ kpi, alert }] = watching as [(typeof watching)[number]];
    // 2. The accounts in breach this week (the latest complete one).
    const answered = await call('at_risk', { alert: alert.name, limit: 5000 });
    expect(answered.ok).toBe(true);
    const answer = answered.ok ? answered.value : {};
    const rows = answer['rows'] as Record<string, string | number | boolean | null>[];
    // 3. The answer against hand SQL: the same accounts, each an enterprise one, the same week...
    const expected = await enterpriseUsageDropBreaches();
    expect(answer['period']).toBe(expected.week);
    expect(rows.map((r) => r['customer']).sort()).toEqual(expected.rows.map((r) => r['customer']).sort());
    const enterprise = new Set(
      (
        await hand(
          `SELECT CAST(customer_id AS VARCHAR) AS id FROM read_csv('{data}/customers.csv') WHERE tier = 'enterprise'`,
        )
      ).map((r) => r['id']),
    );
    for (const row of rows) expect(enterprise.has(row['customer'])).toBe(true);
    // ...and who owns them: the alert's responsible role for each, its accountable one for those escalated
    // (three weeks or more in breach, by hand), the KPI's owner for the measure itself.
    const escalated = new Set(expected.rows.filter((r) => r['escalated']).map((r) => r['customer']));
    expect(escalated.size).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row['responsible']).toBe(alert.responsible.join(', '));
      const told = String(row['notify']).split(', ');
      expect(told.includes(alert.accountable[0]!), String(row['customer'])).toBe(escalated.has(row['customer']));
    }
    expect(alert.responsible).toEqual(['csm-team']);
    expect(alert.accountable).toEqual(['cs-manager']);
    expect(answer['owner']).toBe(kpi.owner);
    expect(kpi.owner).toBe('customer-success');
  });

  defineServiceChecks(() => callerOf(session.client));
});

describe('kpic mcp on a project with a deprecated KPI', () => {
  const project = copyTemplate('kpic-mcp-');
  let session: { client: Client; stderr: () => string };
  beforeAll(async () => {
    appendFileSync(
      join(project.dir, 'metrics', 'nps.kpi'),
      '\nkpi old_nps {\n  title "NPS (old)"\n  owner "customer-success"\n  description "Promoters only."\n  numerator promoters\n  denominator responses\n  status deprecated\n  replaced_by nps\n}\n',
    );
    session = await connect(project.dir);
  });
  afterAll(async () => {
    await session?.client.close();
    project.cleanup();
  });

  it('answers for a deprecated KPI with its replacement named', async () => {
    const call = callerOf(session.client);
    const listed = await call('list_kpis', { status: 'deprecated' });
    expect(listed.ok && listed.value['kpis']).toEqual([
      expect.objectContaining({ name: 'old_nps', lifecycle: 'deprecated', replaced_by: 'nps' }),
    ]);
    const described = await call('describe_kpi', { kpi: 'old_nps' });
    expect(described.ok && described.value).toMatchObject({
      replaced_by: 'nps',
      notice: 'KPI `old_nps` is deprecated: use `nps` instead.',
    });
    const queried = await call('query_kpi', { kpi: 'old_nps', by: [], grain: 'none' });
    expect(queried.ok && queried.value).toMatchObject({ lifecycle: 'deprecated', replaced_by: 'nps' });
    expect(queried.ok && queried.value['notes']).toContain('KPI `old_nps` is deprecated: use `nps` instead.');
    const { contents } = await session.client.readResource({ uri: 'kpi://old_nps' });
    expect((contents[0] as { text: string }).text).toContain('# KPI `old_nps` is deprecated: use `nps` instead.');
  });

  it('writes nothing to the project', async () => {
    const before = snapshot(project.dir);
    const call = callerOf(session.client);
    expect((await call('query_kpi', { kpi: 'nps' })).ok).toBe(true);
    expect((await call('at_risk', { kpi: 'nps', by: [] })).ok).toBe(true);
    expect((await call('explain_sql', { kpi: 'nps' })).ok).toBe(true);
    expect(snapshot(project.dir)).toEqual(before);
  });
});
