// Opening the project for a command, and closing it whatever happens.
//
// The open engine is remembered so that Ctrl-C can interrupt the running
// statement instead of killing the process mid-write.

import type { Command } from 'commander';
import { openProject } from '../project/open.ts';
import type { Project } from '../project/open.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineError } from '../engine/engine-error.ts';
import { stopIfInterrupted } from './interrupted.ts';

let current: Engine | undefined;

/** The engine of the project a command has open, for the SIGINT handler. */
export function currentEngine(): Engine | undefined {
  return current;
}

/** Open the project (`--project` or the nearest kpic.yaml), run `task`, always close. */
export async function withProject<T>(
  command: Command,
  paths: readonly string[] | undefined,
  task: (project: Project) => Promise<T>,
): Promise<T> {
  const { project: projectDir } = command.optsWithGlobals<{ project?: string }>();
  const project = await openProject({ ...(projectDir ? { projectDir } : {}), ...(paths ? { paths } : {}) });
  current = project.engine;
  try {
    // A Ctrl-C while the project loaded (synchronous work: nothing to interrupt then) stops before any query starts.
    stopIfInterrupted();
    return await task(project);
  } finally {
    current = undefined;
    await project.close();
  }
}

/** Commands that execute SQL stop here with the connection's problem (exit code 3) when the database is not reachable. */
export function requireRunnableEngine(project: Project): void {
  if (project.offline !== undefined) throw new EngineError('failed', project.offline);
}
