// The OpenAPI document of `kpic serve` (GET /openapi.json), built from the
// same zod schemas that validate the requests, so it cannot drift from them.

import * as z from 'zod';
import { atRiskArgs, describeArgs, explainArgs, listArgs, outputs, queryArgs } from '../service/schemas.ts';

function schema(shape: z.ZodRawShape, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(z.strictObject(shape), { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: [
            'unknown-kpi',
            'unknown-alert',
            'invalid-argument',
            'kpi-error',
            'data-error',
            'timeout',
            'cancelled',
            'busy',
            'engine-error',
            'internal-error',
            'unauthorized',
            'not-found',
            'method-not-allowed',
            'payload-too-large',
            'unsupported-media-type',
            'forbidden-host',
          ],
        },
        message: {
          type: 'string',
          description: "what is wrong and what to do: the compiler's diagnostic text where there is one",
        },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: DESCRIPTIONS[code] ?? 'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid-argument: a bad argument (grain, date, dimension, a `where` that is not a kpic predicate, a field the schema does not know)',
  401: 'unauthorized: the server has a token and the request does not carry it as `Authorization: Bearer TOKEN`',
  404: 'unknown-kpi or unknown-alert (with a did-you-mean), or not-found',
  413: 'payload-too-large: the body is over 64 KiB',
  415: 'unsupported-media-type: POST bodies must be application/json',
  422: 'kpi-error (the KPI or a file it depends on has errors) or data-error (the data breaks the model)',
  500: 'engine-error or internal-error',
  503: 'busy: a query runs and the queue is full; retry after `Retry-After` seconds',
  504: "timeout: the query ran longer than the server's --timeout and was interrupted",
};

const post = (summary: string, input: string, output: string) => ({
  summary,
  requestBody: {
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${input}` } } },
  },
  responses: {
    '200': {
      description: 'the answer',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${output}` } } },
    },
    ...errors(400, 401, 404, 413, 415, 422, 500, 503, 504),
  },
});

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'kpic',
      version,
      description:
        'Governed KPIs of one kpic project: definitions, values with status against the declared thresholds, customers and segments at risk, and the compiled SQL. Read only. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [{}, { bearer: [] }],
    paths: {
      '/kpis': {
        get: {
          summary: 'list the KPIs',
          parameters: Object.entries(listArgs).map(([name, s]) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: s.description,
          })),
          responses: {
            '200': {
              description: 'the KPIs',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/KpiList' } } },
            },
            ...errors(400, 401),
          },
        },
      },
      '/kpis/{name}': {
        get: {
          summary: 'describe one KPI',
          parameters: [
            {
              name: 'name',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              description: describeArgs.kpi.description,
            },
          ],
          responses: {
            '200': {
              description: 'the description',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/KpiDescription' } } },
            },
            ...errors(401, 404, 422),
          },
        },
      },
      '/kpis/{name}/definition': {
        get: {
          summary: "the KPI's declaration as written in its .kpi file",
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'the text', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...errors(401, 404, 422),
          },
        },
      },
      '/query': { post: post('compute a KPI: rows with value, status and target_met', 'QueryRequest', 'QueryAnswer') },
      '/at-risk': {
        post: post(
          'the customers or segments in breach in the latest complete period: of a KPI (its thresholds) or of an alert (as `kpic alert` evaluates it, with who is responsible)',
          'AtRiskRequest',
          'AtRiskAnswer',
        ),
      },
      '/explain-sql': { post: post('the SQL of a query, compiled, not run', 'ExplainRequest', 'ExplainAnswer') },
      '/health': {
        get: {
          summary:
            'the queue (running, waiting, and counts of completed, failed, cancelled and refused queries) and the model: loaded_at, reloads, kpis, and problem (why the last change of the files is not used, or null)',
          responses: {
            '200': { description: 'counts', content: { 'application/json': { schema: { type: 'object' } } } },
            ...errors(401),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'required when the server was started with a token in its environment (KPIC_API_TOKEN by default)',
        },
      },
      schemas: {
        Error: ERROR,
        KpiList: schema(outputs.list, 'output'),
        KpiDescription: schema(outputs.describe, 'output'),
        QueryRequest: schema(queryArgs, 'input'),
        QueryAnswer: schema(outputs.query, 'output'),
        AtRiskRequest: schema(atRiskArgs, 'input'),
        AtRiskAnswer: schema(outputs.atRisk, 'output'),
        ExplainRequest: schema(explainArgs, 'input'),
        ExplainAnswer: schema(outputs.explain, 'output'),
      },
    },
  };
}
