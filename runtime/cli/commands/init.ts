// `kpic init [DIR]`: a new project with a tiny customer model, data and KPIs that run at once.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, UsageError } from '../errors.ts';
import { outputOf } from '../output.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';

// The template ships with the package (not compiled): found from the package root.
const TEMPLATE = join(PACKAGE_ROOT, 'runtime', 'cli', 'template');

export function register(program: Command): void {
  program
    .command('init')
    .description('create a new project with an example customer model, data and KPIs')
    .argument('[dir]', 'the folder of the new project (created if missing)', '.')
    .action((dir: string, _flags: unknown, cmd: Command) => {
      const output = outputOf(cmd);
      const target = resolve(dir);
      const files = listFiles(TEMPLATE);
      if (existsSync(join(target, 'kpic.yaml'))) {
        throw new UsageError(
          `${dir} already holds a kpic project (kpic.yaml exists)`,
          'choose another folder: kpic init my-kpis',
        );
      }
      const clashes = files.filter((f) => existsSync(join(target, f)));
      if (clashes.length > 0) {
        throw new UsageError(
          `kpic init would overwrite ${clashes.join(', ')} in ${dir}`,
          'choose an empty or new folder.',
        );
      }
      for (const file of files) {
        mkdirSync(dirname(join(target, file)), { recursive: true });
        copyFileSync(join(TEMPLATE, file), join(target, file), 0);
      }
      const rel = relative(process.cwd(), target);
      const shown = rel === '' ? '.' : rel.startsWith('..') ? target : rel;
      output.out(
        [
          `created a kpic project in ${shown}:`,
          ...files.map((f) => `  ${f}`),
          '',
          'next:',
          ...(shown === '.' ? [] : [`  cd ${shown}`]),
          ...nextSteps(kpicDependencyAt(target)),
          '',
          'CI: .github/workflows/kpic.yml runs `npm ci`, then `npx kpic` (fmt, lint, check, test, diff) on every pull',
          'request; commit package.json and package-lock.json with it (docs/ci.md).',
          '',
        ].join('\n'),
      );
      process.exitCode = EXIT.ok;
    });
}

/** Template files, relative, with `/`, sorted. */
function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(join(root, rel)).isDirectory()) files.push(...listFiles(root, rel));
    else files.push(rel);
  }
  return files;
}

/**
 * The package.json at or above `dir` that lists kpic as a dependency. The
 * project's own package.json pins kpic for its authors and for CI (`npm ci`,
 * then `npx kpic`): the same version everywhere, from the registry, a
 * tarball or a git URL alike.
 */
function kpicDependencyAt(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: object; devDependencies?: object };
        return pkg.dependencies && 'kpic' in pkg.dependencies
          ? file
          : pkg.devDependencies && 'kpic' in pkg.devDependencies
            ? file
            : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(at) === at) return undefined;
  }
}

function nextSteps(dependency: string | undefined): string[] {
  const run = ['  npx kpic check', '  npx kpic run nps --grain month', '  npx kpic explain nps'];
  if (dependency !== undefined) return run;
  return [
    '  npm init -y                          # a package.json pins kpic for you and for CI',
    '  npm install --save-dev kpic          # or the tarball or git URL you installed kpic from,',
    '                                       # e.g. npm install --save-dev ../kpic-0.1.0.tgz',
    ...run,
  ];
}
