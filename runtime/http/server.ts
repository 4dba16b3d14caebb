// The JSON HTTP API of `kpic serve`: the service's operations over HTTP.
//
// Safe defaults: it listens on 127.0.0.1; when bound to a loopback address
// it answers only requests addressed to a loopback name (a web page cannot
// reach it through DNS rebinding); a bearer token is required when one is
// configured; no CORS header is sent unless origins are configured; POST
// bodies must be JSON (so a plain cross-site form cannot post one) and at
// most 64 KiB. A client that disconnects cancels its query.

import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as z from 'zod';
import { toServiceError } from '../service/errors.ts';
import type { ServiceError, ServiceErrorCode } from '../service/errors.ts';
import { atRiskArgs, explainArgs, listArgs, queryArgs } from '../service/schemas.ts';
import type { KpiService } from '../service/service.ts';
import { openApiDocument } from './openapi.ts';

export interface HttpOptions {
  /** The address the server listens on: loopback requests are checked for a loopback `Host`. */
  readonly host: string;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Origins allowed to call from a browser (CORS); none by default. `*` allows any. */
  readonly corsOrigins?: readonly string[];
  /** Where one line per request goes (stderr in `kpic serve`). */
  readonly log?: (line: string) => void;
  readonly version: string;
}

export const MAX_BODY_BYTES = 64 * 1024;

type HttpCode =
  | ServiceErrorCode
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'forbidden-host';

class HttpError extends Error {
  readonly code: HttpCode;
  readonly status: number;
  constructor(status: number, code: HttpCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const STATUS: Record<ServiceErrorCode, number> = {
  'unknown-kpi': 404,
  'unknown-alert': 404,
  'invalid-argument': 400,
  'kpi-error': 422,
  'data-error': 422,
  timeout: 504,
  cancelled: 499,
  busy: 503,
  'engine-error': 500,
  'internal-error': 500,
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function createHttpServer(service: KpiService, options: HttpOptions): Server {
  const openapi = JSON.stringify(openApiDocument(options.version));
  const loopback = LOOPBACK_NAMES.has(options.host) || /^127\./.test(options.host);
  const log = options.log ?? (() => undefined);
  return createServer((req, res) => {
    const started = Date.now();
    const controller = new AbortController();
    // The response closing before it was written means the client went away: stop its query.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    handle(req, res, controller.signal)
      .catch((error: unknown) => {
        const failure = error instanceof HttpError ? error : serviceFailure(toServiceError(error));
        if (failure.code === 'cancelled' || res.destroyed) return failure.code;
        if (failure.code === 'busy') res.setHeader('Retry-After', '1');
        if (failure.code === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer');
        sendJson(res, failure.status, { error: { code: failure.code, message: failure.message } });
        return failure.code;
      })
      .then((outcome) => {
        const status =
          outcome === 'cancelled' || controller.signal.aborted
            ? 'cancelled: the client went away'
            : String(res.statusCode);
        log(`${req.method} ${pathOf(req)} ${status} ${Date.now() - started} ms`);
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    if (loopback && !LOOPBACK_NAMES.has(hostName(req.headers.host))) {
      throw new HttpError(
        403,
        'forbidden-host',
        `this server answers requests to localhost only, not to ${JSON.stringify(req.headers.host ?? '')}`,
      );
    }
    const cors = corsOrigin(req, options.corsOrigins ?? []);
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', cors);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS' && cors) {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    checkToken(req, options.token);
    const path = pathOf(req);
    const route = `${req.method} ${path.replace(/^\/kpis\/[^/]+/, '/kpis/{name}')}`;
    switch (route) {
      case 'GET /openapi.json':
        return sendText(res, 200, openapi, 'application/json');
      case 'GET /health':
        return sendJson(res, 200, service.stats());
      case 'GET /kpis':
        return sendJson(res, 200, await service.listKpis(parse(listArgs, queryParams(req))));
      case 'GET /kpis/{name}':
        return sendJson(res, 200, await service.describeKpi(nameIn(path)));
      case 'GET /kpis/{name}/definition':
        return sendText(res, 200, `${(await service.definition(nameIn(path))).text}\n`, 'text/plain; charset=utf-8');
      case 'POST /query':
        return sendJson(res, 200, await service.queryKpi(parse(queryArgs, await readJson(req)), signal));
      case 'POST /at-risk':
        return sendJson(res, 200, await service.atRisk(parse(atRiskArgs, await readJson(req)), signal));
      case 'POST /explain-sql':
        return sendJson(res, 200, await service.explainSql(parse(explainArgs, await readJson(req))));
    }
    const known = [
      '/openapi.json',
      '/health',
      '/kpis',
      '/kpis/{name}',
      '/kpis/{name}/definition',
      '/query',
      '/at-risk',
      '/explain-sql',
    ];
    if (known.includes(route.slice(route.indexOf(' ') + 1)))
      throw new HttpError(405, 'method-not-allowed', `${req.method} is not allowed on ${path}`);
    throw new HttpError(404, 'not-found', `no such endpoint: ${path}; GET /openapi.json lists them`);
  }
}

function serviceFailure(error: ServiceError): HttpError {
  return new HttpError(STATUS[error.code], error.code, error.message);
}

function checkToken(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const header = req.headers.authorization ?? '';
  const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  // Compared in constant time, so the token cannot be guessed from response times.
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new HttpError(
      401,
      'unauthorized',
      header === '' ? 'this server needs a token: send `Authorization: Bearer TOKEN`' : "the token is not the server's",
    );
  }
}

function corsOrigin(req: IncomingMessage, allowed: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  if (allowed.length === 0 || origin === undefined) return undefined;
  if (allowed.includes('*')) return '*';
  return allowed.includes(origin) ? origin : undefined;
}

function hostName(host: string | undefined): string {
  if (host === undefined) return '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
}

function nameIn(path: string): string {
  try {
    return decodeURIComponent(path.split('/')[2] ?? '');
  } catch {
    throw new HttpError(400, 'invalid-argument', 'the KPI name in the path is not valid percent-encoding');
  }
}

function queryParams(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
}

/** Validate against the operation's schema; unknown fields are refused (a typo must not be ignored silently). */
function parse<S extends z.ZodRawShape>(shape: S, value: unknown): z.infer<z.ZodObject<S>> {
  const result = z.strictObject(shape).safeParse(value);
  if (!result.success) throw new HttpError(400, 'invalid-argument', z.prettifyError(result.error));
  return Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined)) as z.infer<z.ZodObject<S>>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new HttpError(415, 'unsupported-media-type', 'send the body as JSON with `Content-Type: application/json`');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'payload-too-large', `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new HttpError(
      400,
      'invalid-argument',
      `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

function sendText(res: ServerResponse, status: number, text: string, type: string): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}
