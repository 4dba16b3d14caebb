#!/usr/bin/env node
// The `kpic` command. This file must parse and run on old Node versions: it
// checks the version before anything else loads, so it uses plain syntax and
// imports the program only after the check.
//
// Which program runs:
// - an installed kpic (npm pack, or a git URL) runs the bundle dist/cli/main.js
//   (Node does not strip types under node_modules, and one file starts fast);
// - a checkout runs the bundle when `npm run build` made it (`npm ci` runs it,
//   the `prepare` script) and no source it was built from changed since;
//   otherwise the TypeScript sources (type stripping), so an edit is never
//   hidden by an old build.
//   KPIC_SOURCES=1 forces the sources, KPIC_SOURCES=0 the bundle (for the bench).
//
// Loading the program takes a moment; a Ctrl-C in that moment has nothing to
// clean up, so it exits at once with the usual code (130), quietly.

const REQUIRED = [22, 12, 0];
const [major, minor, patch] = process.versions.node.split('.').map(Number);
const tooOld =
  major !== REQUIRED[0] ? major < REQUIRED[0] : minor !== REQUIRED[1] ? minor < REQUIRED[1] : patch < REQUIRED[2];
if (tooOld) {
  process.stderr.write(
    `kpic needs Node.js ${REQUIRED.join('.')} or newer; this is Node.js ${process.versions.node}.\n`,
  );
  process.exit(2);
}

const exitEarly = () => {
  process.stderr.write('interrupted\n');
  process.exit(130);
};
process.on('SIGINT', exitEarly);

const { enableCompileCache } = await import('node:module');
// Node keeps compiled modules in its compile cache (in the system's temp
// folder): a second start skips parsing and compiling them.
enableCompileCache?.();
const { main } = await import(await programUrl());
process.off('SIGINT', exitEarly);

process.exitCode = await main(process.argv);

async function programUrl() {
  const bundle = new URL('../../dist/cli/main.js', import.meta.url);
  const sources = new URL('./main.ts', import.meta.url);
  if (process.env.KPIC_SOURCES === '1') return sources.href;
  if (process.env.KPIC_SOURCES === '0') return bundle.href;
  const { existsSync, readFileSync, statSync } = await import('node:fs');
  if (!existsSync(bundle)) return sources.href;
  if (!existsSync(sources)) return bundle.href;
  // A checkout with a build: the bundle only while it is newer than every input.
  try {
    const built = statSync(bundle).mtimeMs;
    const root = new URL('../../', import.meta.url);
    const inputs = JSON.parse(readFileSync(new URL('../../dist/cli/inputs.json', import.meta.url), 'utf8'));
    const stale = inputs.some((path) => statSync(new URL(path, root)).mtimeMs > built);
    return stale ? sources.href : bundle.href;
  } catch {
    return sources.href;
  }
}
