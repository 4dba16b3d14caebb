// `kpic schema snapshot [--check]`: write the data's schema to kpic.schema.json.
//
// Run where the data is; commit the file. Then `kpic check` in CI, without
// the data, still type-checks every KPI against these columns and types.
// `--check` writes nothing and exits 1 when the file is out of date.

import { existsSync } from 'node:fs';
import { projectBoundary, readTextInside } from '../../project/safe-read.ts';
import { join } from 'node:path';
import type { Command } from 'commander';
import { relationKey } from '../../../compiler/index.ts';
import type { ValueColumn } from '../../../compiler/index.ts';
import { columnsOfLiterals, valueLiteralsOfModel } from '../../../compiler/index.ts';
import type { Project } from '../../project/open.ts';
import { queryValues } from '../../project/column-values.ts';
import { listRelations } from '../../../compiler/index.ts';
import { describeRelations } from '../../engine/catalog.ts';
import { describePostgresRelations } from '../../project/postgres.ts';
import {
  MAX_SNAPSHOT_BYTES,
  parseSchemaSnapshot,
  renderSchemaSnapshot,
  SNAPSHOT_FILE,
} from '../../project/schema-snapshot.ts';
import type { SnapshotColumn } from '../../project/schema-snapshot.ts';
import { unifiedDiff } from '../../diff/text-diff.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';
import { requireRunnableEngine, withProject } from '../session.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function register(program: Command): void {
  const schema = program
    .command('schema')
    .description('the schema snapshot that lets kpic type-check KPIs without the data');
  schema
    .command('snapshot')
    .description(`describe every source's relation on the engine and write the columns and types to ${SNAPSHOT_FILE}`)
    .option('--check', `write nothing; exit 1 when ${SNAPSHOT_FILE} differs from the data's schema`)
    .action(async (flags: { check?: boolean }, command: Command) => {
      const output = outputOf(command);
      process.exitCode = await withProject(command, undefined, async (project) => {
        requireRunnableEngine(project);
        const path = join(project.root, SNAPSHOT_FILE);
        const previousRead = existsSync(path)
          ? readTextInside(path, projectBoundary(project.root), MAX_SNAPSHOT_BYTES, SNAPSHOT_FILE)
          : undefined;
        const previousText = previousRead && !('refused' in previousRead) ? previousRead.text : undefined;
        const previous = previousText === undefined ? undefined : parseSchemaSnapshot(previousText);
        const kept =
          previous && 'snapshot' in previous ? previous.snapshot : new Map<string, readonly SnapshotColumn[]>();
        const relations = listRelations(project.files);
        const described =
          project.dialect === 'postgres'
            ? await describePostgresRelations(project.engine, relations, project.config.data.schema, project.offline)
            : await describeRelations(project.engine, relations, project.files, project.dataRoot);
        const categories = await categoryValues(project);
        const snapshot = new Map<string, readonly SnapshotColumn[]>();
        const missing: string[] = [];
        for (const relation of relations) {
          const key = relationKey(relation);
          const entry = described.catalog.describe(relation);
          if (entry?.ok)
            snapshot.set(
              key,
              entry.columns.map((c) => {
                const values = categories.get(`${key}\u0000${c.name.toLowerCase()}`);
                return { name: c.name, type: c.sqlType, ...(values ? { values } : {}) };
              }),
            );
          else if (kept.has(key)) {
            // Data that is not here today keeps its last known schema rather than vanishing from the file.
            snapshot.set(key, kept.get(key)!);
            output.err(
              `note: ${key} cannot be described (${entry?.ok === false ? entry.message : 'unknown'}); its previous entry is kept.\n`,
            );
          } else missing.push(`${key}: ${entry?.ok === false ? entry.message : 'not described'}`);
        }
        for (const problem of missing) output.err(`error: ${problem}\n`);
        const text = renderSchemaSnapshot(snapshot);
        if (flags.check) {
          if (text === previousText) {
            output.out(`${SNAPSHOT_FILE} is up to date (${snapshot.size} relation${snapshot.size === 1 ? '' : 's'})\n`);
            return missing.length > 0 ? EXIT.problems : EXIT.ok;
          }
          output.out(
            `${SNAPSHOT_FILE} is out of date; run \`kpic schema snapshot\`\n${unifiedDiff(previousText ?? '', text, SNAPSHOT_FILE)}`,
          );
          return EXIT.problems;
        }
        if (text !== previousText) writeFileAtomic(path, text);
        const state = text === previousText ? 'unchanged' : 'written';
        output.out(
          `${SNAPSHOT_FILE} ${state}: ${snapshot.size} relation${snapshot.size === 1 ? '' : 's'}${missing.length > 0 ? `, ${missing.length} missing` : ''}\n`,
        );
        return missing.length > 0 ? EXIT.problems : EXIT.ok;
      });
    });
}

/**
 * Relation key + column (lower case) -> the distinct values of each text
 * column a column dimension or a literal of the model names, when it has at
 * most MAX_DISTINCT_VALUES short values: what `kpic lint` and a `kpic check`
 * without the data check literals against (`unknown-value`).
 */
async function categoryValues(project: Project): Promise<Map<string, readonly string[]>> {
  const columns: ValueColumn[] = columnsOfLiterals(valueLiteralsOfModel(project.model));
  for (const source of project.model.sources.values()) {
    if (source.relation.kind === 'derived') continue;
    for (const dimension of source.dimensions.values())
      if (dimension.kind === 'column') columns.push({ source: source.name.toLowerCase(), column: dimension.column });
  }
  const out = new Map<string, readonly string[]>();
  for (const column of columns) {
    const source = project.model.sources.get(column.source);
    if (!source || source.relation.kind === 'derived') continue;
    const id = `${relationKey(source.relation)}\u0000${column.column.toLowerCase()}`;
    if (out.has(id)) continue;
    const values = await queryValues(project, column);
    if (values) out.set(id, values);
  }
  return out;
}
