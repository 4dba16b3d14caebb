// The metric definitions of a project, read without data: kpic.yaml, the
// `.kpi` files, and the model resolved against the committed schema snapshot
// (or against nothing). `kpic diff`, `kpic test`, `kpic docs` and `kpic fmt`
// start here; none of them needs the warehouse.

import { appendAll } from '../../compiler/index.ts';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/index.ts';
import { sortDiagnostics } from '../../compiler/index.ts';
import type { Catalog } from '../../compiler/index.ts';
import { EMPTY_CATALOG } from '../../compiler/index.ts';
import type { Model } from '../../compiler/index.ts';
import { resolveProject } from '../../compiler/index.ts';
import type { KpiFile } from '../../compiler/index.ts';
import { ProjectFileError } from '../project/config.ts';
import type { ProjectConfig } from '../project/config.ts';
import { requireProjectRoot } from '../project/files.ts';
import { readProjectFiles } from '../project/read-files.ts';
import { readSchemaSnapshot, snapshotCatalog } from '../project/schema-snapshot.ts';

export interface Definitions {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly files: readonly KpiFile[];
  /** Project-relative path -> text of every `.kpi` file read (and kpic.yaml). */
  readonly texts: ReadonlyMap<string, string>;
  /** Project-relative path -> absolute path of each `.kpi` file. */
  readonly paths: ReadonlyMap<string, string>;
  readonly model: Model;
  /** Project file, reading, parse and resolve problems, sorted. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The project folder: `--project DIR`, or the nearest folder with a kpic.yaml, or `cwd`. */
export function findRootFolder(
  cwd: string,
  projectDir: string | undefined,
  options: { optional?: boolean } = {},
): string {
  if (projectDir === undefined) return requireProjectRoot(cwd, options);
  const dir = resolve(cwd, projectDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ProjectFileError(`--project ${projectDir}: no such folder (${dir})`);
  return dir;
}

/**
 * Read and resolve the project at `root`. The catalog is the schema
 * snapshot when the project has one, else empty (names are checked, column
 * types are not), unless `catalog` is given.
 */
export function loadDefinitions(root: string, options: { catalog?: Catalog } = {}): Definitions {
  const read = readProjectFiles(root);
  const { config, texts, files, paths } = read;
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  let catalog = options.catalog;
  if (!catalog) {
    const snapshot = readSchemaSnapshot(root);
    catalog = snapshot.snapshot ? snapshotCatalog(snapshot.snapshot) : EMPTY_CATALOG;
  }
  const resolved = resolveProject(files, catalog, { timezone: config.timezone });
  appendAll(diagnostics, resolved.diagnostics);
  return { root, config, files, texts, paths, model: resolved.value, diagnostics: sortDiagnostics(diagnostics) };
}
