// `kpic serve` on 127.0.0.1 and a random port, called over HTTP: the same
// checks as the MCP server's (checks.ts, against hand SQL), the OpenAPI
// document describing what it answers, the token, CORS and the Host check.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineServiceChecks } from './checks.ts';
import type { Answer, Call } from './checks.ts';
import { SAAS } from './hand.ts';
import { postJson, request, serve } from './serve.ts';
import type { Reply, Served } from './serve.ts';

/** The parts of the OpenAPI document the tests read. */
interface OpenApi {
  openapi: string;
  paths: Record<string, unknown>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const TOKEN = 'test-token-3f9a';
const AUTH = { authorization: `Bearer ${TOKEN}` };

let server: Served;
let openapi: OpenApi;
beforeAll(async () => {
  server = await serve(SAAS, [], { KPIC_API_TOKEN: TOKEN });
  openapi = (await request(`${server.url}/openapi.json`, { headers: AUTH })).body as OpenApi;
});
afterAll(async () => {
  await server?.stop();
});

const ROUTES: Record<
  string,
  { method: 'GET' | 'POST'; path: (args: Record<string, unknown>) => string; schema: string }
> = {
  list_kpis: {
    method: 'GET',
    path: (args) => `/kpis?${new URLSearchParams(args as Record<string, string>)}`,
    schema: 'KpiList',
  },
  describe_kpi: {
    method: 'GET',
    path: (args) => `/kpis/${encodeURIComponent(String(args['kpi']))}`,
    schema: 'KpiDescription',
  },
  query_kpi: { method: 'POST', path: () => '/query', schema: 'QueryAnswer' },
  at_risk: { method: 'POST', path: () => '/at-risk', schema: 'AtRiskAnswer' },
  explain_sql: { method: 'POST', path: () => '/explain-sql', schema: 'ExplainAnswer' },
};

/** Every answer is checked against the schema the OpenAPI document gives for it. */
function validate(schema: string, body: unknown): void {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema({ $id: 'openapi', components: openapi.components });
  const check = ajv.compile({ $ref: `openapi#/components/schemas/${schema}` });
  expect(check(body), JSON.stringify(check.errors)).toBe(true);
}

const call: Call = async (tool, args) => {
  const route = ROUTES[tool]!;
  const reply: Reply =
    route.method === 'GET'
      ? await request(server.url + route.path(args), { headers: AUTH })
      : await postJson(server.url + route.path(args), args, AUTH);
  if (reply.status !== 200) {
    validate('Error', reply.body);
    return { ok: false, message: (reply.body as { error: { message: string } }).error.message } as Answer;
  }
  validate(route.schema, reply.body);
  return { ok: true, value: reply.body as Record<string, unknown> };
};

describe('kpic serve on the saas example', () => {
  defineServiceChecks(() => call);

  it('answers with HTTP statuses a client can act on', async () => {
    expect((await postJson(`${server.url}/query`, { kpi: 'nsp' }, AUTH)).status).toBe(404);
    expect((await postJson(`${server.url}/query`, { kpi: 'nps', grain: 'fortnight' }, AUTH)).status).toBe(400);
    const typo = await postJson(`${server.url}/query`, { kpi: 'nps', grian: 'month' }, AUTH);
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body)).toContain('grian');
    const text = await request(`${server.url}/query`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'text/plain' },
      body: '{"kpi":"nps"}',
    });
    expect(text.status).toBe(415);
    const big = await postJson(`${server.url}/query`, { kpi: 'nps', where: 'x'.repeat(70_000) }, AUTH);
    expect(big.status).toBe(413);
    expect((await request(`${server.url}/nowhere`, { headers: AUTH })).status).toBe(404);
    expect((await request(`${server.url}/query`, { headers: AUTH })).status).toBe(405);
    const definition = await request(`${server.url}/kpis/nps/definition`, { headers: AUTH });
    expect(definition.status).toBe(200);
    expect(String(definition.body)).toMatch(/^kpi nps \{/);
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const none = await request(`${server.url}/kpis`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body).toEqual({
      error: { code: 'unauthorized', message: 'this server needs a token: send `Authorization: Bearer TOKEN`' },
    });
    const wrong = await postJson(`${server.url}/query`, { kpi: 'nps' }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect((await request(`${server.url}/openapi.json`)).status).toBe(401);
  });

  it('sends no CORS header unless configured, and answers only to a loopback Host', async () => {
    const reply = await request(`${server.url}/kpis`, { headers: { ...AUTH, origin: 'https://example.com' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) is refused.
    const { request: raw } = await import('node:http');
    const status = await new Promise<number>((done, fail) => {
      const req = raw(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/kpis',
          headers: { ...AUTH, host: `attacker.example:${server.port}` },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('publishes an OpenAPI 3.1 document of every endpoint', () => {
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths).sort()).toEqual([
      '/at-risk',
      '/explain-sql',
      '/health',
      '/kpis',
      '/kpis/{name}',
      '/kpis/{name}/definition',
      '/query',
    ]);
    expect(Object.keys(openapi.components.schemas['QueryRequest']?.properties ?? {}).sort()).toEqual([
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
  });
});

describe('kpic serve with CORS configured', () => {
  it('allows the configured origin only', async () => {
    const cors = await serve(SAAS, ['--cors-origin', 'https://app.example']);
    try {
      const allowed = await request(`${cors.url}/kpis`, { headers: { origin: 'https://app.example' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const preflight = await request(`${cors.url}/query`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
      const other = await request(`${cors.url}/kpis`, { headers: { origin: 'https://other.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.stop();
    }
  });
});
