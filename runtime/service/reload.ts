// The project a running server answers with, reloaded when its definitions
// change: before each request the files are looked at (kpic.yaml, the
// schema snapshot, every `.kpi` file the configuration names, with their
// size, modification time and inode), and when anything differs the project
// is opened again. Checking per request, not watching, is what stays
// reliable: no missed events on network or container file systems, no
// watcher limits, and the next request always sees the last saved edit.
//
// An edit that breaks the project (an error in a `.kpi` file, a kpic.yaml
// that cannot be used) is not adopted: the last good model keeps answering,
// and `problem` says why, with the diagnostics, until the files change
// again. A superseded project's engine is closed once no query uses it.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnostics } from '../../compiler/index.ts';
import type { Diagnostic } from '../../compiler/index.ts';
import { parseConfig } from '../project/config.ts';
import type { ConfigSpans } from '../project/config.ts';
import { findProjectFiles } from '../project/files.ts';
import { openProject, ProjectFileError } from '../project/open.ts';
import type { Project } from '../project/open.ts';

export interface ModelStatus {
  /** When the model answering now was loaded (ISO 8601). */
  readonly loaded_at: string;
  /** How many times the files changed and the new model was adopted. */
  readonly reloads: number;
  readonly kpis: number;
  /** Why the last change of the files was not adopted (with the diagnostics); null when it was. */
  readonly problem: string | null;
}

export interface ProjectHolder {
  /** The project to answer with, reloaded first when its files changed. */
  current(): Promise<Project>;
  /** Run `task` on the current project; a project superseded meanwhile is closed once no task uses it. */
  use<T>(task: (project: Project) => Promise<T>): Promise<T>;
  status(): ModelStatus;
  /** Close the project answering now and any superseded one (the first one too: closing twice is harmless). */
  close(): Promise<void>;
}

export interface ReloadOptions {
  /** Opens the project again (default: `openProject` at the project's root). */
  readonly open?: () => Promise<Project>;
  /** A file written less than this long ago may still be being written: wait for it (default 200 ms). */
  readonly settleMs?: number;
  /** Told each reload and each refused change (stderr in `kpic mcp` and `kpic serve`). */
  readonly log?: (line: string) => void;
  /** Called once a new model is adopted (`kpic mcp` tells the client its resource list changed). */
  readonly onReload?: () => void;
}

/** At most this many errors are quoted in `problem`; the rest are counted. */
const QUOTED_ERRORS = 10;

export function holdProject(initial: Project, options: ReloadOptions = {}): ProjectHolder {
  const open = options.open ?? (() => openProject({ projectDir: initial.root }));
  const settleMs = options.settleMs ?? 200;
  const log = options.log ?? (() => undefined);
  let project = initial;
  let loadedAt = new Date();
  let reloads = 0;
  let problem: string | null = null;
  let seen = fingerprint(initial).key;
  let pending: Promise<void> | undefined;
  const users = new Map<Project, number>();
  const superseded = new Set<Project>();

  const release = (p: Project) => {
    const left = (users.get(p) ?? 1) - 1;
    if (left > 0) users.set(p, left);
    else users.delete(p);
    if (left <= 0 && superseded.delete(p)) void p.close();
  };

  const reload = async (): Promise<void> => {
    let print = fingerprint(project);
    // An editor may be writing: wait until the newest file is `settleMs` old.
    for (let i = 0; i < 10 && Date.now() - print.newest < settleMs; i++) {
      await new Promise((done) => setTimeout(done, settleMs - Math.max(0, Date.now() - print.newest)));
      print = fingerprint(project);
    }
    if (print.key === seen) return;
    seen = print.key;
    let next: Project;
    try {
      next = await open();
    } catch (error) {
      problem = refused(
        error instanceof ProjectFileError
          ? [error.message, renderDiagnostics(error.diagnostics, error.texts, { color: false }).trimEnd()]
              .filter((s) => s !== '')
              .join('\n')
          : error instanceof Error
            ? error.message
            : String(error),
        loadedAt,
      );
      log(problem);
      return;
    }
    const errors = next.diagnostics.filter((d) => d.severity === 'error');
    const servedHasErrors = project.diagnostics.some((d) => d.severity === 'error');
    if (errors.length > 0 && !servedHasErrors) {
      problem = refused(quote(errors, next.texts), loadedAt);
      log(problem);
      await next.close();
      return;
    }
    const old = project;
    project = next;
    loadedAt = new Date();
    reloads += 1;
    problem = null;
    log(
      `reloaded: ${next.model.kpis.size} KPIs${errors.length > 0 ? ` (the project has ${errors.length} error${errors.length === 1 ? '' : 's'}; run \`kpic check\`)` : ''}`,
    );
    if (users.has(old)) superseded.add(old);
    else await old.close();
    options.onReload?.();
  };

  const current = async (): Promise<Project> => {
    if (pending === undefined && fingerprint(project).key !== seen) {
      pending = reload().finally(() => {
        pending = undefined;
      });
    }
    if (pending !== undefined) await pending;
    return project;
  };

  return {
    current,
    async use(task) {
      const p = await current();
      users.set(p, (users.get(p) ?? 0) + 1);
      try {
        return await task(p);
      } finally {
        release(p);
      }
    },
    status: () => ({ loaded_at: loadedAt.toISOString(), reloads, kpis: project.model.kpis.size, problem }),
    async close() {
      await pending?.catch(() => undefined);
      for (const p of [project, ...superseded]) await p.close();
      superseded.clear();
    },
  };
}

function refused(why: string, loadedAt: Date): string {
  return `the project's files changed, but the change is not used: ${why}\nkpic answers with the model loaded at ${loadedAt.toISOString()} until the files are fixed.`;
}

function quote(errors: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string {
  const shown = renderDiagnostics(errors.slice(0, QUOTED_ERRORS), texts, { color: false }).trimEnd();
  const more = errors.length - QUOTED_ERRORS;
  return `${errors.length} error${errors.length === 1 ? '' : 's'} (\`kpic check\` shows them all)\n${shown}${more > 0 ? `\n... and ${more} more` : ''}`;
}

/** kpic.yaml's spans per project, parsed once (findProjectFiles reports include problems at them). */
const SPANS = new WeakMap<Project, ConfigSpans>();

/**
 * What the project's definitions are made of now: kpic.yaml, the schema
 * snapshot and the `.kpi` files the configuration names (a new file in a
 * folder of `metrics` counts), each with size, modification time and inode.
 */
export function fingerprint(project: Project): { key: string; newest: number } {
  const files = [join(project.root, 'kpic.yaml'), join(project.root, 'kpic.schema.json')];
  try {
    let spans = SPANS.get(project);
    if (spans === undefined) {
      const text = project.texts.get('kpic.yaml');
      spans = text === undefined ? { include: [], rules: new Map() } : parseConfig(text).spans;
      SPANS.set(project, spans);
    }
    files.push(...findProjectFiles(project.root, project.config, spans, 'kpic.yaml').files);
  } catch (error) {
    return { key: `unreadable: ${error instanceof Error ? error.message : String(error)}`, newest: 0 };
  }
  let newest = 0;
  const parts = files.map((file) => {
    const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (stat === undefined) return `${file} -`;
    newest = Math.max(newest, Number(stat.mtimeMs), Number(stat.ctimeMs));
    return `${file} ${stat.size} ${stat.mtimeNs} ${stat.ctimeNs} ${stat.ino}`;
  });
  return { key: parts.join('\n'), newest };
}
