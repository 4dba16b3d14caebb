// Latency of a KPI query asked by an agent or an app, warm (the project
// open in a running `kpic mcp` / `kpic serve`), against `kpic run` as a
// process for the same query (which opens the project every time); and the
// same for an alert's breaches: `at_risk` warm against `kpic alert`. The
// warm figures include the per-request look at the definitions' files
// (docs/mcp.md, "Editing the KPIs while the server runs").
//
//   npx node bench/agents.ts [--repeats 15]     (also part of `npm run bench`; `--only agents`)
//
// On the saas example's committed data (2,000 customers). Figures are
// printed; nothing here fails on a slow machine.

import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const QUERY = { kpi: 'nps', by: ['tier'], grain: 'month' };
const RUN_ARGS = ['run', 'nps', '--by', 'tier', '--grain', 'month', '--format', 'json'];
const ALERT = { alert: 'enterprise_usage_drop', limit: 5000 };
const ALERT_ARGS = ['alert', 'account_weekly_usage', '--format', 'json', '--fail-on', 'none'];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timed(repeats: number, task: () => Promise<unknown>): Promise<number> {
  await task(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchAgents(repo: string, repeats: number): Promise<void> {
  const bin = join(repo, 'runtime', 'cli', 'bin.js');
  const project = join(repo, 'examples', 'saas');
  console.log(
    `\n## query_kpi warm against kpic run as a process (saas example, nps by tier and month, median of ${repeats})`,
  );

  const cli = await timed(repeats, async () => {
    const r = spawnSync(process.execPath, [bin, '--project', project, ...RUN_ARGS], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kpic run failed: ${r.stderr}`);
  });

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, '--project', project, 'mcp'],
    stderr: 'ignore',
  });
  const client = new Client({ name: 'kpic-bench', version: '1.0.0' });
  await client.connect(transport);
  const mcp = await timed(repeats, async () => {
    const r = await client.callTool({ name: 'query_kpi', arguments: QUERY });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  });
  const mcpAlert = await timed(repeats, async () => {
    const r = await client.callTool({ name: 'at_risk', arguments: ALERT });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  });
  await client.close();
  const cliAlert = await timed(repeats, async () => {
    const r = spawnSync(process.execPath, [bin, '--project', project, ...ALERT_ARGS], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kpic alert failed: ${r.stderr}`);
  });

  const server = spawn(process.execPath, [bin, '--project', project, 'serve', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((done) => {
    let text = '';
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+) /.exec(text);
      if (match) done(match[1]!);
    });
  });
  const http = await timed(repeats, async () => {
    const r = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(QUERY),
    });
    if (r.status !== 200) throw new Error(await r.text());
    await r.json();
  });
  server.kill('SIGTERM');

  console.log('| how | median |');
  console.log('| --- | ---: |');
  console.log(`| \`kpic run\` as a process | ${cli.toFixed(0)} ms |`);
  console.log(`| MCP \`query_kpi\`, warm (stdio) | ${mcp.toFixed(1)} ms |`);
  console.log(`| HTTP \`POST /query\`, warm | ${http.toFixed(1)} ms |`);
  console.log(`| speed-up of MCP over the process | ${(cli / mcp).toFixed(1)}x |`);
  console.log(`| \`kpic alert account_weekly_usage\` as a process | ${cliAlert.toFixed(0)} ms |`);
  console.log(`| MCP \`at_risk\` of the alert \`enterprise_usage_drop\`, warm | ${mcpAlert.toFixed(1)} ms |`);
  console.log(`| speed-up of \`at_risk\` over the process | ${(cliAlert / mcpAlert).toFixed(1)}x |`);
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '15' } } });
  await benchAgents(resolve(import.meta.dirname, '..'), Number(values.repeats));
}
