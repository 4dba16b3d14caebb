// `kpic init [DIR]`: a new project with a tiny customer model, data and KPIs that run at once.

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
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
        throw new UsageError(`${dir} already holds a kpic project (kpic.yaml exists)`, 'choose another folder: kpic init my-kpis');
      }
      const clashes = files.filter((f) => existsSync(join(target, f)));
      if (clashes.length > 0) {
        throw new UsageError(`kpic init would overwrite ${clashes.join(', ')} in ${dir}`, 'choose an empty or new folder.');
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
          '  kpic check',
          '  kpic run nps --grain month',
          '  kpic explain nps',
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
