// `kpic serve` under long queries: bounded concurrency (a full queue is
// refused with 503), the per-query timeout (504), and a client that
// disconnects mid-query (its statement is interrupted, not finished).
//
// The project reads a DuckDB file whose `events` view is a huge cross join
// (as in tests/cli/interrupt.test.ts): describing it is instant, counting it
// takes minutes, so every query on it is still running when the test acts.

import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, copyTemplate, createDatabase, STACK_FRAME } from '../cli/helpers.ts';
import { postJson, request, serve, waitForHealth } from './serve.ts';

const project = copyTemplate('kpic-serve-slow-');
afterAll(() => project.cleanup());

beforeAll(async () => {
  await createDatabase(join(project.dir, 'slow.duckdb'), [
    `create view events as
       select a.range % 8 + 1 as customer_id, timestamp '2024-01-01' + to_seconds(b.range % 1000) as at
       from range(1000000) a, range(1000000) b`,
  ]);
  writeFileSync(
    join(project.dir, 'kpic.yaml'),
    'metrics: ["metrics/**/*.kpi"]\ndata:\n  database: slow.duckdb\n  root: data\n',
  );
  writeFileSync(
    join(project.dir, 'metrics', 'events.kpi'),
    'source events from table events {\n  customer customer_id\n  time at\n  measure event_count = count()\n}\n\nkpi events_per_customer {\n  owner "product"\n  description "Events per customer."\n  numerator event_count\n  denominator signups\n}\n',
  );
});

/** POST /query with a raw socket the test can cut. */
function startQuery(port: number, body: unknown): { cut: () => void; ended: Promise<string> } {
  const text = JSON.stringify(body);
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/query',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
  });
  const ended = new Promise<string>((done) => {
    req.on('response', (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (c: string) => (data += c));
      res.on('end', () => done(`${res.statusCode} ${data}`));
      res.on('error', () => done('cut'));
    });
    req.on('error', () => done('cut'));
  });
  req.end(text);
  return { cut: () => req.destroy(), ended };
}

describe('kpic serve with long queries', () => {
  it('refuses a query beyond the queue with 503, and cancels a query whose client disconnects', async () => {
    const server = await serve(project.dir, ['--max-queue', '0', '--timeout', '0']);
    try {
      const long = startQuery(server.port, { kpi: 'events_per_customer', by: [], grain: 'none' });
      await waitForHealth(server.url, (s) => s['running'] === 1);
      // One runs, none may wait: the next query is refused at once, with a hint to retry.
      const refused = await postJson(`${server.url}/query`, { kpi: 'nps' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toMatchObject({ error: { code: 'busy' } });
      // Listing needs no engine: it is answered while the query runs.
      expect((await request(`${server.url}/kpis`)).status).toBe(200);

      long.cut();
      expect(await long.ended).toBe('cut');
      // The statement was interrupted: counted as cancelled, never completed, and the engine is free again.
      const stats = await waitForHealth(server.url, (s) => s['running'] === 0);
      expect(stats).toMatchObject({ running: 0, waiting: 0, completed: 0, cancelled: 1, refused: 1 });
      expect(server.stderr()).toMatch(/POST \/query cancelled: the client went away \d+ ms/);
      const after = await postJson(`${server.url}/query`, { kpi: 'nps', by: [], grain: 'none' });
      expect(after.status).toBe(200);
      expect(server.stderr()).not.toMatch(STACK_FRAME);
    } finally {
      expect(await server.stop()).not.toBeNull();
    }
  });

  it('interrupts a query that runs past --timeout with 504', async () => {
    const server = await serve(project.dir, ['--timeout', '1']);
    try {
      const reply = await postJson(`${server.url}/query`, { kpi: 'events_per_customer', by: [], grain: 'none' });
      expect(reply.status).toBe(504);
      expect(reply.body).toEqual({ error: { code: 'timeout', message: 'query interrupted after 1 s' } });
      const stats = await waitForHealth(server.url, (s) => s['running'] === 0);
      expect(stats).toMatchObject({ completed: 0, failed: 1, cancelled: 0 });
      expect((await postJson(`${server.url}/query`, { kpi: 'nps', by: [], grain: 'none' })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('lets queries wait their turn within the queue', async () => {
    const server = await serve(project.dir, ['--max-queue', '1', '--timeout', '0']);
    try {
      const long = startQuery(server.port, { kpi: 'events_per_customer', by: [], grain: 'none' });
      await waitForHealth(server.url, (s) => s['running'] === 1);
      const waiting = postJson(`${server.url}/query`, { kpi: 'nps', by: [], grain: 'none' });
      await waitForHealth(server.url, (s) => s['waiting'] === 1);
      expect((await postJson(`${server.url}/query`, { kpi: 'nps' })).status).toBe(503);
      long.cut();
      // The waiting query runs once the long one is cancelled.
      expect((await waiting).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('kpic mcp interrupts a query whose request the client cancels, and answers the next one', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, '--project', project.dir, 'mcp', '--timeout', '0'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'kpic-tests', version: '1.0.0' });
    await client.connect(transport);
    try {
      const controller = new AbortController();
      const long = client.callTool(
        { name: 'query_kpi', arguments: { kpi: 'events_per_customer', by: [], grain: 'none' } },
        undefined,
        { signal: controller.signal, timeout: 600_000 },
      );
      // The client sends notifications/cancelled; the server aborts the query's signal.
      controller.abort();
      await expect(long).rejects.toThrow();
      // Queries run one at a time: this one answers only because the long one was interrupted
      // (counting the cross join takes minutes, longer than this test may run).
      const next = await client.callTool(
        { name: 'query_kpi', arguments: { kpi: 'nps', by: [], grain: 'none' } },
        undefined,
        { timeout: 600_000 },
      );
      expect(next.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });
});
