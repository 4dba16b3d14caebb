// `kpic mcp`: a Model Context Protocol server on stdio for the project.
//
// stdout carries the protocol only; notes go to stderr. The project is
// opened read only, reloaded when its definitions change (the next request
// sees the edit), and closed when the client closes stdin (or on Ctrl-C).

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PACKAGE_JSON } from '../../package-root.ts';
import { createKpiService } from '../../service/service.ts';
import { EXIT } from '../errors.ts';
import { addServiceOptions, serviceOptionsOf } from '../service-flags.ts';
import type { ServiceFlags } from '../service-flags.ts';
import { requireRunnableEngine, withProject } from '../session.ts';

export function register(program: Command): void {
  const command = program
    .command('mcp')
    .description('serve the KPIs to AI assistants: a Model Context Protocol server on stdio');
  addServiceOptions(command).action(async (flags: ServiceFlags, cmd: Command) => {
    const options = serviceOptionsOf(flags);
    process.exitCode = await withProject(cmd, undefined, async (project) => {
      requireRunnableEngine(project);
      const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
      // Loaded here, not at start-up: other commands do not pay for the SDK.
      const { createMcpServer } = await import('../../mcp/server.ts');
      const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
      const listeners: { reloaded?: () => void } = {};
      const service = createKpiService(project, {
        ...options,
        reload: {
          log: (line) => void process.stderr.write(`kpic mcp: ${line}\n`),
          // The KPIs (each a resource) may have changed: the client re-reads the list.
          onReload: () => listeners.reloaded?.(),
        },
      });
      const server = createMcpServer(service, version);
      listeners.reloaded = () => server.sendResourceListChanged();
      const closed = new Promise<void>((done) => {
        server.server.onclose = done;
        process.stdin.once('end', done);
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await server.connect(new StdioServerTransport());
      const errors = project.diagnostics.filter((d) => d.severity === 'error').length;
      process.stderr.write(
        `kpic mcp: ${project.model.kpis.size} KPIs of ${project.root} on stdio${errors > 0 ? ` (the project has ${errors} error${errors === 1 ? '' : 's'}; run \`kpic check\`)` : ''}\n`,
      );
      await closed;
      await server.close();
      await service.close();
      return EXIT.ok;
    });
  });
}
