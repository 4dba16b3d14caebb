// The catalog: every relation the files name, described on the engine.
//
// File relations are checked on disk first. The compiler already refuses
// paths that leave the data root as written (`..`, absolute paths); what it
// cannot see is the file system: a missing file, or a symlink under the
// data root that points outside it. Those never reach the engine.

import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import type { Diagnostic } from '../../compiler/index.ts';
import type { KpiFile, Span } from '../../compiler/index.ts';
import type { Catalog, CatalogEntry, PhysicalRelation } from '../../compiler/index.ts';
import { catalogFromEntries, relationKey } from '../../compiler/index.ts';
import { describeSql } from '../../compiler/index.ts';
import { isInside } from '../project/paths.ts';
import type { Engine } from './engine.ts';
import { engineMessage } from './engine.ts';

export interface DescribedCatalog {
  readonly catalog: Catalog;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Describe each relation; `dataRoot` is the real path of the data root
 * (forward slashes). The diagnostics are the `unsafe-path` findings; the
 * resolver reports the rest from the entries' messages.
 */
export async function describeRelations(
  engine: Engine,
  relations: readonly PhysicalRelation[],
  files: readonly KpiFile[],
  dataRoot: string,
): Promise<DescribedCatalog> {
  const entries = new Map<string, CatalogEntry>();
  const diagnostics: Diagnostic[] = [];
  for (const relation of relations) {
    if (relation.kind === 'file') {
      const problem = checkFile(relation.path, dataRoot);
      if (problem) {
        // The resolver reports every unreadable relation (`source-unreadable`,
        // with this message); a link out of the root also gets its own code.
        entries.set(relationKey(relation), { ok: false, message: problem.message });
        if (problem.code === 'unsafe-path') {
          for (const at of refsTo(files, relation.path)) diagnostics.push({ ...problem, file: at.file, span: at.span });
        }
        continue;
      }
    }
    entries.set(relationKey(relation), await describeOne(engine, relation, dataRoot));
  }
  return { catalog: catalogFromEntries(entries), diagnostics };
}

async function describeOne(engine: Engine, relation: PhysicalRelation, dataRoot: string): Promise<CatalogEntry> {
  try {
    return { ok: true, columns: await engine.describe(describeSql(relation, dataRoot)) };
  } catch (error) {
    return { ok: false, message: engineMessage(error) };
  }
}

type FileProblem = Omit<Diagnostic, 'file' | 'span'>;

/** Why a file source cannot be read, or undefined when it exists and stays inside the data root. */
function checkFile(path: string, dataRoot: string): FileProblem | undefined {
  const absolute = resolve(dataRoot, path);
  const matches = /[*?[{]/.test(path) ? globSync(path, { cwd: dataRoot, absolute: true, onlyFiles: true }) : existsSync(absolute) ? [absolute] : [];
  if (matches.length === 0) {
    return {
      code: 'source-unreadable',
      severity: 'error',
      message: `file \`${path}\` does not exist under the data root (${dataRoot}).`,
      help: 'check the path; file sources are relative to the data root (`data.root` in kpic.yaml).',
    };
  }
  for (const match of matches) {
    const real = realpathSync(match);
    if (!isInside(dataRoot, real)) {
      return {
        code: 'unsafe-path',
        severity: 'error',
        message: `file \`${path}\` leads outside the data root: it is a link to ${real}. kpic reads nothing outside ${dataRoot}.`,
        help: 'copy the file under the data root, or move the data root (`data.root` in kpic.yaml) so that it holds the file.',
      };
    }
  }
  return undefined;
}

/** Every `from "PATH"` that names this path, for diagnostics at the place it is written. */
function refsTo(files: readonly KpiFile[], path: string): { file: string; span: Span }[] {
  const refs: { file: string; span: Span }[] = [];
  for (const file of files) {
    for (const declaration of file.declarations ?? []) {
      if (declaration?.kind === 'source' && declaration.from?.kind === 'file-ref' && declaration.from.path === path) {
        refs.push({ file: file.path, span: declaration.from.span });
      }
    }
  }
  return refs;
}
