// Which `.kpi` files make up a project.
//
// The project's `metrics` globs, then every `include` (a file, a folder, or
// a folder that is itself a kpic project, whose own `metrics` and `include`
// are followed). Files are identified by their real path, so a file reached
// twice — by two globs, an include cycle or a symlink — is read once.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import type { Diagnostic } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';
import { parseConfig } from './config.ts';
import type { ConfigSpans, ProjectConfig } from './config.ts';
import { projectPath } from './paths.ts';

const IGNORE = ['**/node_modules/**'];

export interface FoundFiles {
  /** Absolute real paths, without repeats. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The `.kpi` files of the project at `root` with this configuration. */
export function findProjectFiles(root: string, config: ProjectConfig, spans: ConfigSpans, configFile: string): FoundFiles {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>([realpathSync(root)]);

  const addAll = (paths: readonly string[]) => {
    for (const path of paths) found.add(realpathSync(path));
  };

  const followIncludes = (base: string, include: readonly string[], includeSpans: readonly (Span | undefined)[], file: string) => {
    include.forEach((entry, i) => {
      const target = resolve(base, entry);
      const span = includeSpans[i];
      const problem = (message: string, help: string) => {
        if (span) diagnostics.push({ code: 'invalid-include', severity: 'error', message, file, span, help });
      };
      if (!existsSync(target)) return problem(`include \`${entry}\` does not exist (looked for ${target}).`, 'fix the path; it is relative to the project file.');
      if (statSync(target).isFile()) {
        if (!target.endsWith('.kpi')) return problem(`include \`${entry}\` is not a \`.kpi\` file.`, 'include `.kpi` files or folders that hold them.');
        return addAll([target]);
      }
      const real = realpathSync(target);
      if (visited.has(real)) return; // a cycle or a repeat: already read
      visited.add(real);
      const nested = join(real, 'kpic.yaml');
      if (existsSync(nested)) {
        // An included folder that is a kpic project brings its own metrics and includes.
        const nestedFile = projectPath(root, nested);
        const { config: inner, spans: innerSpans } = parseConfig(readFileSync(nested, 'utf8'), nestedFile);
        addAll(globKpi(real, inner.metrics));
        followIncludes(real, inner.include, innerSpans.include, nestedFile);
      } else {
        addAll(globKpi(real, ['**/*.kpi']));
      }
    });
  };

  addAll(globKpi(root, config.metrics));
  followIncludes(root, config.include, spans.include, configFile);
  return { files: [...found], diagnostics };
}

/** Files and folders named on the command line (`kpic check metrics/nps.kpi`), as real `.kpi` paths. */
export function expandPaths(cwd: string, paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const target = resolve(cwd, path);
    if (!existsSync(target)) missing.push(path);
    else if (statSync(target).isDirectory()) files.push(...globKpi(target, ['**/*.kpi']).map((f) => realpathSync(f)));
    else files.push(realpathSync(target));
  }
  return { files, missing };
}

function globKpi(cwd: string, patterns: readonly string[]): string[] {
  return globSync([...patterns], { cwd, absolute: true, onlyFiles: true, ignore: IGNORE, expandDirectories: false }).filter((f) =>
    f.endsWith('.kpi'),
  );
}

/** The folder holding the nearest `kpic.yaml`, from `start` upwards, or undefined. */
export function findProjectFile(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'kpic.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
