// Opening the project for a command, and closing it whatever happens.
//
// The open engine is remembered so that Ctrl-C can interrupt the running
// statement instead of killing the process mid-write.

import type { Command } from 'commander';
import { openProject } from '../project/open.ts';
import type { Project } from '../project/open.ts';
import type { Engine } from '../engine/engine.ts';
import { POSTGRES_UNSUPPORTED } from '../project/unsupported-engine.ts';
import { UsageError } from './errors.ts';

let current: Engine | undefined;

/** The engine of the project a command has open, for the SIGINT handler. */
export function currentEngine(): Engine | undefined {
  return current;
}

/** Open the project (`--project` or the nearest kpic.yaml), run `task`, always close. */
export async function withProject<T>(command: Command, paths: readonly string[] | undefined, task: (project: Project) => Promise<T>): Promise<T> {
  const { project: projectDir } = command.optsWithGlobals<{ project?: string }>();
  const project = await openProject({ ...(projectDir ? { projectDir } : {}), ...(paths ? { paths } : {}) });
  current = project.engine;
  try {
    return await task(project);
  } finally {
    current = undefined;
    await project.close();
  }
}

/** Commands that execute SQL stop here with exit code 2 when the project's engine cannot run it. */
export function requireRunnableEngine(project: Project): void {
  if (project.config.data.engine !== 'duckdb') throw new UsageError(POSTGRES_UNSUPPORTED);
}
