// The shipped CLI (dist/cli/main.js, built by scripts/build.ts) loads only
// what a command needs. This inspects the bundle's import graph as esbuild
// sees it: the native engine must be reached from the entry point only
// through `import()`, so lint, fmt, list and --version never load it.

import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { cliBuildOptions } from '../../scripts/build.ts';

/** Every input the entry reaches through static imports (not `import()`). */
function staticallyReached(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const input = metafile.inputs[queue.pop()!];
    for (const edge of input?.imports ?? []) {
      if (edge.kind === 'dynamic-import' || seen.has(edge.path)) continue;
      seen.add(edge.path);
      queue.push(edge.path);
    }
  }
  return seen;
}

describe('the CLI bundle', () => {
  it('reaches the native engine, the PostgreSQL client, charts and the MCP server only through import()', async () => {
    const result = await build({ ...cliBuildOptions(), write: false });
    const reached = staticallyReached(result.metafile!, 'runtime/cli/main.ts');
    // The graph is the real one: the entry reaches the compiler and the project loader.
    expect(reached).toContain('compiler/index.ts');
    expect(reached).toContain('runtime/project/open.ts');
    // Native engine, PostgreSQL client, charts and the MCP server: only for the commands that use them.
    const heavy = /@duckdb|node_modules\/(pg|vega|vega-lite|@modelcontextprotocol)\//;
    expect([...reached].filter((p) => heavy.test(p))).toEqual([]);
    // ... while the engine's JavaScript API is in the bundle, behind import(), and its native binding stays a package.
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.some((p) => p.startsWith('node_modules/@duckdb/node-api/'))).toBe(true);
    const all = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((e) => e.path));
    expect(all).toContain('@duckdb/node-bindings');
    expect(all).not.toContain('@duckdb/node-api');
  }, 60_000);
});
