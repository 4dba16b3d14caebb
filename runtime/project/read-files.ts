// Reading a project's definitions: kpic.yaml and every `.kpi` file, parsed.
//
// Shared by every command: `openProject` (which goes on to the engine),
// `lint` and `diff` (which never touch data). Problems become diagnostics;
// only paths asked for on the command line that do not exist stop here.

import { appendAll } from '../../compiler/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import type { KpiFile } from '../../compiler/index.ts';
import { parseFileKept } from '../cache/syntax.ts';
import { DEFAULT_CONFIG, parseConfig, ProjectFileError } from './config.ts';
import type { ConfigSpans, ProjectConfig } from './config.ts';
import { expandPaths, findProjectFiles, MAX_CONFIG_BYTES } from './files.ts';
import { projectPath } from './paths.ts';
import { readKpiText } from './read.ts';
import { projectBoundary, readTextInside } from './safe-read.ts';

export interface ProjectFiles {
  readonly config: ProjectConfig;
  readonly spans: ConfigSpans;
  /** Project-relative path -> text: kpic.yaml (when there is one) and every `.kpi` file read. */
  readonly texts: Map<string, string>;
  /** Parsed, sorted by project-relative path. */
  readonly files: readonly KpiFile[];
  /** Project-relative path -> absolute path of each `.kpi` file read. */
  readonly paths: ReadonlyMap<string, string>;
  /** Of the project file, of reading (encoding) and of parsing, in that order. */
  readonly diagnostics: Diagnostic[];
  /** The project-relative `.kpi` paths that `paths` asked for; undefined when none were given. */
  readonly requested?: ReadonlySet<string>;
}

/**
 * Read kpic.yaml at `root` (defaults when there is none), the `.kpi` files
 * its `metrics` and `include` name, and the `paths` given (relative to
 * `cwd`), each file once, and parse them.
 */
export function readProjectFiles(
  root: string,
  options: { cwd?: string; paths?: readonly string[] } = {},
): ProjectFiles {
  const texts = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  let config: ProjectConfig = DEFAULT_CONFIG;
  let spans: ConfigSpans = { include: [], rules: new Map() };
  const configPath = join(root, 'kpic.yaml');
  const boundary = projectBoundary(root);
  if (existsSync(configPath)) {
    const read = readTextInside(configPath, boundary, MAX_CONFIG_BYTES, 'kpic.yaml');
    if ('refused' in read) throw new ProjectFileError(read.refused.message);
    const { text } = read;
    texts.set('kpic.yaml', text);
    const parsed = parseConfig(text);
    ({ config, spans } = parsed);
    appendAll(diagnostics, parsed.diagnostics);
  }
  const found = findProjectFiles(root, config, spans, 'kpic.yaml', boundary);
  appendAll(diagnostics, found.diagnostics);
  const asked =
    options.paths && options.paths.length > 0 ? expandPaths(options.cwd ?? root, options.paths, boundary) : undefined;
  if (asked && asked.missing.length > 0)
    throw new ProjectFileError(`no such file or folder: ${asked.missing.join(', ')}`);

  const absolute = [...new Set([...found.files, ...(asked?.files ?? [])])];
  const ordered = absolute
    .map((a) => ({ a, rel: projectPath(root, a) }))
    .sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
  const files: KpiFile[] = [];
  const paths = new Map<string, string>();
  for (const { a, rel } of ordered) {
    const read = readKpiText(a, rel, boundary);
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    texts.set(rel, read.text);
    paths.set(rel, a);
    const parsed = parseFileKept(read.text, rel);
    files.push(parsed.value);
    appendAll(diagnostics, parsed.diagnostics);
  }
  const requested = asked ? new Set(asked.files.map((a) => projectPath(root, a))) : undefined;
  return { config, spans, texts, files, paths, diagnostics, ...(requested ? { requested } : {}) };
}
