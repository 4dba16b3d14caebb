// `npm run build` (also run by `npm pack`, and by `npm ci` / `npm install` in a
// checkout: the `prepare` script): the JavaScript kpic ships.
//
// - dist/cli/main.js: the command line, bundled with its dependencies into
//   one file, so a start reads one module instead of about a hundred. Parts
//   that only some commands need (the native engine) are split into chunks
//   next to it and loaded when a command asks for them.
// - dist/compiler/index.js: the compiler as a library, one file.
// - dist/types/: declarations for the library (`types` in package.json).
// - dist/cli/inputs.json: the source files the CLI bundle was built from;
//   runtime/cli/bin.js runs the bundle in a checkout only while none of them
//   is newer than the bundle.
//
// The native DuckDB binding cannot be bundled and stays a dependency (EXTERNAL below).

import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { hashSyntaxSources } from '../runtime/cache/syntax-id.ts';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

/**
 * Packages that stay `import`s of node_modules: native code. DuckDB's
 * JavaScript API (`@duckdb/node-api`, some thirty CommonJS files) is bundled:
 * read as one file it loads in about two thirds of the time. Its native
 * binding (`@duckdb/node-bindings`, which picks the platform's `.node` file)
 * stays a package, a direct dependency pinned to the version the API was
 * written for.
 */
export const EXTERNAL = ['@duckdb/node-bindings'];

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: EXTERNAL,
  // Some bundled dependencies are CommonJS and `require` Node's modules.
  banner: {
    js: "import { createRequire as __kpicRequire } from 'node:module'; const require = __kpicRequire(import.meta.url);",
  },
  legalComments: 'linked',
  logLevel: 'warning',
};

/** The CLI bundle's build options (also used by tests/cli/bundle.test.ts to inspect its import graph). */
export function cliBuildOptions(): BuildOptions {
  return {
    ...common,
    entryPoints: { main: 'runtime/cli/main.ts' },
    outdir: join(dist, 'cli'),
    splitting: true,
    // The parser's identity for the syntax cache (runtime/cache/syntax.ts).
    define: { KPIC_SYNTAX_ID: JSON.stringify(syntaxId()) },
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  };
}

function syntaxId(): string {
  const id = hashSyntaxSources(root);
  if (id === undefined) throw new Error('cannot hash compiler/syntax/ for the syntax cache');
  return id;
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  const cli = await build(cliBuildOptions());
  const inputs = Object.keys(cli.metafile!.inputs)
    .filter((p) => !p.startsWith('node_modules/'))
    .sort();
  writeFileSync(join(dist, 'cli', 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
  await build({ ...common, entryPoints: { index: 'compiler/index.ts' }, outdir: join(dist, 'compiler') });
  const types = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (types.status !== 0) process.exit(types.status ?? 1);
}

if (import.meta.main) await main();
