#!/usr/bin/env node
// The `kpic` command. In a checkout, Node runs the TypeScript sources
// directly (type stripping). Node does not strip types under node_modules,
// so an installed kpic runs the JavaScript that `npm run build` (run by
// `npm pack`) writes to dist/.
//
// Loading the program takes a moment; a Ctrl-C in that moment has nothing to
// clean up, so it exits at once with the usual code (130), quietly.
import module from 'node:module';

// Node keeps the stripped and compiled modules in its compile cache (in the
// system's temp folder): the second start of kpic skips most of the loading.
module.enableCompileCache?.();
const exitEarly = () => {
  process.stderr.write('interrupted\n');
  process.exit(130);
};
process.on('SIGINT', exitEarly);
const installed = import.meta.url.includes('/node_modules/');
const { main } = await import(installed ? '../../dist/runtime/cli/main.js' : './main.ts');
process.off('SIGINT', exitEarly);

process.exitCode = await main(process.argv);
