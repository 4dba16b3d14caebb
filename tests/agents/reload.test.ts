// A running server picks up edits of the definitions: the next request after
// a `.kpi` file or kpic.yaml changes answers with the new model; an edit
// that breaks the project keeps the last good model answering and says why.
// No sleeps: each edit is written before the request that must see it.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, copyTemplate } from '../cli/helpers.ts';
import { postJson, request, serve } from './serve.ts';
import type { Served } from './serve.ts';

const COUNT_KPI = `
kpi survey_answers {
  title "Survey answers"
  owner "customer-success"
  numerator responses
}
`;

/** The answers in the template's surveys.csv whose nps is in 0..10 (the `nps_range` check), counted by hand. */
function answersInRange(dir: string): number {
  const [header, ...lines] = readFileSync(join(dir, 'data', 'surveys.csv'), 'utf8')
    .trim()
    .split('\n');
  const at = header!.split(',').indexOf('nps');
  return lines.filter((l) => {
    const n = Number(l.split(',')[at]);
    return n >= 0 && n <= 10;
  }).length;
}

type Row = Record<string, unknown>;

describe('kpic serve reloads the definitions when they change', () => {
  const project = copyTemplate('kpic-reload-');
  const npsFile = join(project.dir, 'metrics', 'nps.kpi');
  let server: Served;
  beforeAll(async () => {
    server = await serve(project.dir);
  });
  afterAll(async () => {
    await server?.stop();
    project.cleanup();
  });

  const names = async () => {
    const reply = await request(`${server.url}/kpis`);
    expect(reply.status).toBe(200);
    const body = reply.body as { kpis: Row[]; notes: string[] };
    return { names: body.kpis.map((k) => k['name']), notes: body.notes };
  };

  it('answers with a KPI added, then keeps the last good model through a broken edit, then takes the fix', async () => {
    expect((await names()).names).toEqual(['new_customers', 'nps']);

    appendFileSync(npsFile, COUNT_KPI);
    expect(await names()).toEqual({ names: ['new_customers', 'nps', 'survey_answers'], notes: [] });
    const counted = await postJson(`${server.url}/query`, { kpi: 'survey_answers', grain: 'none', by: [] });
    expect(counted.status).toBe(200);
    expect((counted.body as { rows: Row[] }).rows[0]!['value']).toBe(answersInRange(project.dir));

    // A broken edit: the model of the last good files keeps answering, and every answer says why.
    const good = readFileSync(npsFile, 'utf8');
    writeFileSync(npsFile, good.replace('numerator responses', 'numerator responsez'));
    const broken = await names();
    expect(broken.names).toEqual(['new_customers', 'nps', 'survey_answers']);
    expect(broken.notes).toHaveLength(1);
    expect(broken.notes[0]).toMatch(/the project's files changed, but the change is not used: 1 error/);
    expect(broken.notes[0]).toMatch(/metrics\/nps\.kpi:\d+:\d+ error unknown-measure[\s\S]*responsez/);
    const query = await postJson(`${server.url}/query`, { kpi: 'survey_answers', grain: 'none', by: [] });
    expect((query.body as { rows: Row[] }).rows[0]!['value']).toBe(answersInRange(project.dir));
    expect((query.body as { notes: string[] }).notes.join('\n')).toMatch(/responsez/);
    const failed = await postJson(`${server.url}/query`, { kpi: 'nsp' });
    expect((failed.body as { error: { message: string } }).error.message).toMatch(
      /unknown KPI `nsp`[\s\S]*note: the project's files changed, but the change is not used/,
    );
    const health = (await request(`${server.url}/health`)).body as { model: Row };
    expect(health.model).toMatchObject({ reloads: 1, kpis: 3 });
    expect(String(health.model['problem'])).toMatch(/responsez/);

    // The fix, with the KPI renamed: the new model answers and the note is gone.
    writeFileSync(npsFile, good.replace('kpi survey_answers', 'kpi answers'));
    expect(await names()).toEqual({ names: ['answers', 'new_customers', 'nps'], notes: [] });
    expect(((await request(`${server.url}/health`)).body as { model: Row }).model).toMatchObject({
      reloads: 2,
      problem: null,
    });
    expect(server.stderr()).toMatch(/kpic serve: reloaded: 3 KPIs/);
  });

  it('takes a change of kpic.yaml: a folder of definitions added to `metrics`', async () => {
    const extra = join(project.dir, 'more');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(extra);
    writeFileSync(join(extra, 'count.kpi'), COUNT_KPI);
    // Not named by kpic.yaml yet: not part of the project.
    expect((await names()).names).not.toContain('survey_answers');
    const config = join(project.dir, 'kpic.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'metrics: ["metrics/**/*.kpi"]',
        'metrics: ["metrics/**/*.kpi", "more/*.kpi"]',
      ),
    );
    expect((await names()).names).toContain('survey_answers');
  });
});

describe('kpic mcp reloads the definitions when they change', () => {
  const project = copyTemplate('kpic-reload-mcp-');
  let client: Client;
  let listChanged = 0;
  beforeAll(async () => {
    client = new Client({ name: 'kpic-tests', version: '1.0.0' });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanged += 1;
    });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, '--project', project.dir, 'mcp'],
        env: { ...(process.env as Record<string, string>), NO_COLOR: '1' },
        stderr: 'ignore',
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    project.cleanup();
  });

  it('the next describe_kpi sees the new title; a broken kpic.yaml keeps the last good model', async () => {
    const describe = async () =>
      (await client.callTool({ name: 'describe_kpi', arguments: { kpi: 'nps' } })) as CallToolResult;
    expect((await describe()).structuredContent).toMatchObject({ title: 'Net Promoter Score', notes: [] });
    const file = join(project.dir, 'metrics', 'nps.kpi');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Net Promoter Score"', '"NPS (edited)"'));
    expect((await describe()).structuredContent).toMatchObject({ title: 'NPS (edited)', notes: [] });
    // The client is told the list of KPIs (resources) may have changed, and reads the new one.
    while (listChanged === 0) await new Promise((done) => setTimeout(done, 20));
    const { resources } = await client.listResources();
    expect(resources.find((r) => r.name === 'nps')?.title).toBe('NPS (edited)');

    const config = join(project.dir, 'kpic.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('root: data', 'root: no-such-folder'));
    const kept = (await describe()).structuredContent as Row;
    expect(kept['title']).toBe('NPS (edited)');
    expect((kept['notes'] as string[]).join('\n')).toMatch(/the data root `no-such-folder` is not a folder/);
  });
});
