// `kpic serve`: the project's KPIs as a small JSON HTTP API (docs/api.md).
//
// Listens on 127.0.0.1 unless told otherwise; reads a bearer token from the
// environment (never from a flag, which `ps` would show). The project is
// opened read only and reloaded when its definitions change; Ctrl-C stops
// the server.

import type { Command } from 'commander';
import type { Server } from 'node:http';
import { PACKAGE_JSON } from '../../package-root.ts';
import { createKpiService } from '../../service/service.ts';
import { readFileSync } from 'node:fs';
import { EXIT, UsageError } from '../errors.ts';
import { addServiceOptions, count, serviceOptionsOf } from '../service-flags.ts';
import type { ServiceFlags } from '../service-flags.ts';
import { requireRunnableEngine, withProject } from '../session.ts';

export const DEFAULT_PORT = 8484;
export const DEFAULT_TOKEN_ENV = 'KPIC_API_TOKEN';

interface ServeFlags extends ServiceFlags {
  host: string;
  port: string;
  tokenEnv: string;
  corsOrigin?: string[];
}

export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('serve the KPIs as a JSON HTTP API (GET /kpis, POST /query, ...; GET /openapi.json)')
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--port <port>', 'the port to listen on (0: any free port)', String(DEFAULT_PORT))
    .option(
      '--token-env <name>',
      'the environment variable holding the bearer token; when it is set, every request needs it',
      DEFAULT_TOKEN_ENV,
    )
    .option(
      '--cors-origin <origin>',
      'allow browser calls from this origin (repeatable; `*` for any); none by default',
      collect,
    );
  addServiceOptions(command).action(async (flags: ServeFlags, cmd: Command) => {
    const options = serviceOptionsOf(flags);
    const port = count('--port', flags.port, 0);
    if (port > 65_535)
      throw new UsageError(`--port: ${port} is not a port`, 'a port is from 1 to 65535 (0: any free port)');
    const token = process.env[flags.tokenEnv] || undefined;
    process.exitCode = await withProject(cmd, undefined, async (project) => {
      requireRunnableEngine(project);
      const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
      // Loaded here, not at start-up: other commands do not pay for zod and the OpenAPI document.
      const { createHttpServer } = await import('../../http/server.ts');
      const service = createKpiService(project, {
        ...options,
        reload: { log: (line) => void process.stderr.write(`kpic serve: ${line}\n`) },
      });
      const server = createHttpServer(service, {
        host: flags.host,
        ...(token ? { token } : {}),
        corsOrigins: flags.corsOrigin ?? [],
        log: (line) => void process.stderr.write(`${line}\n`),
        version,
      });
      const stopped = new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await listen(server, flags.host, port);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      const shown = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
      process.stderr.write(
        `kpic serve: ${project.model.kpis.size} KPIs of ${project.root} on http://${shown}:${actual} (${token ? `token from ${flags.tokenEnv}` : 'no token'})\n`,
      );
      if (!token && !isLoopback(flags.host))
        process.stderr.write(
          `warning: listening on ${flags.host} without a token; set ${flags.tokenEnv} to require one\n`,
        );
      await stopped;
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await service.close();
      return EXIT.ok;
    });
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        new UsageError(
          `cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
          'choose another --port (0: any free port)',
        ),
      ),
    );
    server.listen(port, host, () => done());
  });
}
