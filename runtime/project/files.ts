// Which `.kpi` files make up a project.
//
// The project's `metrics` globs, then every `include` (a file, a folder, or
// a folder that is itself a kpic project, whose own `metrics` and `include`
// are followed). Files are identified by their real path, so a file reached
// twice — by two globs, an include cycle or a symlink — is read once.
//
// Nothing here leaves the project's boundary (`projectBoundary`): globs do
// not descend into linked folders, an include whose real path lies outside
// is refused, and a `.kpi` link whose target lies outside is kept under its
// own name so that reading it reports `unsafe-path` instead of the target.

import type { ErrorCode } from '../../compiler/index.ts';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';
import { parseConfig, ProjectFileError } from './config.ts';
import type { ConfigSpans, ProjectConfig } from './config.ts';
import { globFiles } from './glob.ts';
import { projectPath } from './paths.ts';
import { projectBoundary, readTextInside, realInside } from './safe-read.ts';

/** kpic.yaml is hand-written configuration: 1 MiB is far beyond any real one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const IGNORE = ['**/node_modules/**'];

export interface FoundFiles {
  /** Absolute real paths, without repeats. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The `.kpi` files of the project at `root` with this configuration. */
export function findProjectFiles(
  root: string,
  config: ProjectConfig,
  spans: ConfigSpans,
  configFile: string,
  boundary = projectBoundary(root),
): FoundFiles {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>([realpathSync(root)]);

  const addAll = (paths: readonly string[]) => {
    for (const path of paths) found.add(keptPath(path, boundary));
  };

  const followIncludes = (
    base: string,
    include: readonly string[],
    includeSpans: readonly (Span | undefined)[],
    file: string,
  ) => {
    const followInclude = (entry: string, i: number) => {
      const target = resolve(base, entry);
      const span = includeSpans[i];
      const problem = (message: string, help: string, code: ErrorCode = 'invalid-include') => {
        if (span) diagnostics.push({ code, severity: 'error', message, file, span, help });
      };
      if (!existsSync(target))
        return problem(
          `include \`${entry}\` does not exist (looked for ${target}).`,
          'fix the path; it is relative to the project file.',
        );
      const inside = realInside(target, boundary, `include \`${entry}\``);
      if ('refused' in inside) {
        return problem(
          inside.refused.message,
          'include only files and folders of this project (or of its git repository).',
          'unsafe-path',
        );
      }
      if (statSync(target).isFile()) {
        if (!target.endsWith('.kpi'))
          return problem(
            `include \`${entry}\` is not a \`.kpi\` file.`,
            'include `.kpi` files or folders that hold them.',
          );
        return addAll([target]);
      }
      const real = realpathSync(target);
      if (visited.has(real)) return; // a cycle or a repeat: already read
      visited.add(real);
      const nested = join(real, 'kpic.yaml');
      if (existsSync(nested)) {
        // An included folder that is a kpic project brings its own metrics and includes.
        const nestedFile = projectPath(root, nested);
        const read = readTextInside(nested, boundary, MAX_CONFIG_BYTES, nestedFile);
        if ('refused' in read)
          return problem(
            read.refused.message,
            'include only files and folders of this project (or of its git repository).',
            'unsafe-path',
          );
        const { config: inner, spans: innerSpans } = parseConfig(read.text, nestedFile);
        addAll(globKpi(real, inner.metrics));
        followIncludes(real, inner.include, innerSpans.include, nestedFile);
      } else {
        addAll(globKpi(real, ['**/*.kpi']));
      }
    };
    for (const [i, entry] of include.entries()) followInclude(entry, i);
  };

  addAll(globKpi(root, config.metrics));
  followIncludes(root, config.include, spans.include, configFile);
  return { files: [...found], diagnostics };
}

/** Files and folders named on the command line (`kpic check metrics/nps.kpi`), as real `.kpi` paths. */
export function expandPaths(
  cwd: string,
  paths: readonly string[],
  boundary = projectBoundary(cwd),
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const target = resolve(cwd, path);
    if (!existsSync(target)) missing.push(path);
    else if (statSync(target).isDirectory() && !('refused' in realInside(target, boundary)))
      files.push(...globKpi(target, ['**/*.kpi']).map((f) => keptPath(f, boundary)));
    else files.push(keptPath(target, boundary));
  }
  return { files, missing };
}

/** The real path when it stays inside `boundary`; otherwise the path itself, which reading then refuses by name. */
function keptPath(path: string, boundary: string): string {
  const inside = realInside(path, boundary);
  return 'refused' in inside ? resolve(path) : inside.real;
}

/** `.kpi` files matching the globs; linked folders are not descended into (a link to `/` would walk the machine). */
function globKpi(cwd: string, patterns: readonly string[]): string[] {
  return globFiles(cwd, patterns, { ignore: IGNORE }).filter((f) => f.endsWith('.kpi'));
}

/** The folder holding the nearest `kpic.yaml`, from `start` upwards, or undefined. */
/**
 * The folder of the nearest kpic.yaml at or above `cwd`, as git finds its
 * repository; a command that needs a project stops with a clear error
 * when there is none. `optional`: commands given files to work on (`lint`,
 * `fmt` with paths) run without one, on the defaults, at `cwd`.
 */
export function requireProjectRoot(cwd: string, options: { optional?: boolean } = {}): string {
  const found = findProjectFile(cwd);
  if (found !== undefined) return found;
  if (options.optional) return resolve(cwd);
  throw new ProjectFileError(
    `no kpic project found (searched for kpic.yaml from ${resolve(cwd)} up to ${rootOf(resolve(cwd))})\nhint: run \`kpic init\` to create one here, or pass \`--project DIR\``,
  );
}

function rootOf(path: string): string {
  let dir = path;
  while (dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function findProjectFile(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'kpic.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
