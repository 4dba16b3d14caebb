// The folder of kpic's own package.json: the same from the TypeScript
// sources (runtime/...) and from the compiled files (dist/runtime/...), so
// the version and the `init` template are found either way.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'kpic') return dir;
    if (dirname(dir) === dir) throw new Error(`kpic's package.json was not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export const PACKAGE_JSON = join(PACKAGE_ROOT, 'package.json');
