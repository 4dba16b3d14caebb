// The engine's answers kept between commands: a statement that reads only
// data files gives the same answer while the engine and the files stay the
// same, so `kpic run` and `kpic check` need not ask again. Kept: the columns
// of a relation (its DESCRIBE), "this key is unique" (the link-key check),
// the number of rows each check excludes (run's footnote), the distinct
// values of a text column a literal is compared with (unknown-value), and `check`'s
// verdict on a KPI's SQL prepared against empty relations (which reads no
// file: its answer depends on the text alone). A statement that reads the
// clock or chance is never kept when its answer comes from running it; a
// verdict of preparing it is kept all the same (binding `current_date`
// does not read the clock).
//
// An answer is found again only when all of these match what was stored:
// the statement's text, the engine and its version, and each file's identity
// (device, inode, size, modification and change time in nanoseconds). A file
// replaced, rewritten, copied over or touched changes at least one of them.
// File times come from a clock that ticks in steps of milliseconds, so a
// file written twice within one step can keep the same times; an answer
// about a file changed less than `SETTLE_MS` before the statement ran is
// therefore not stored (git's "racy" rule). Where the answers live and who
// may write them: folder.ts.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { openCacheFolder } from './folder.ts';

/** A file changed more recently than this before a statement ran is not trusted to show a later change in its times. */
export const SETTLE_MS = 2_000;

/** The version of the stored format; a change makes every older entry a miss. */
const FORMAT = 1;

export interface AnswerCache {
  /**
   * Look up the answer to `statement`, which reads exactly `files` (absolute
   * real paths). The file identities are taken now; `store` records the
   * answer under them, so a file changed while the statement ran is a miss
   * next time. `prepared`: the answer is the engine's verdict on preparing
   * the statement, not a result of running it, so the clock and chance it
   * may read do not change it.
   */
  lookup(statement: string, files: readonly string[], options?: { readonly prepared?: boolean }): CacheProbe;
}

export interface CacheProbe {
  /** The stored answer, or undefined. */
  readonly answer: unknown;
  /** Keep `answer` for next time (silently nothing when the files are too fresh or the folder is unusable). */
  store(answer: unknown): void;
}

interface Entry {
  readonly format: number;
  readonly engine: string;
  readonly statement: string;
  readonly files: readonly Stamp[];
  readonly answer: unknown;
}

interface Stamp {
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
}

/** A statement that reads the clock or chance may answer differently over the same files: never kept. */
const DEPENDS_ON_MORE =
  /\b(current_date|current_time|current_timestamp|localtime|localtimestamp|now|today|get_current_time|random|uuid|gen_random_uuid|setseed)\b/i;

const NO_ANSWER: CacheProbe = { answer: undefined, store: () => {} };

/**
 * The kept answers of `engine` (its name and version, e.g. `duckdb v1.5.6`),
 * or undefined when caching is off or the folder cannot be used safely.
 */
export function openAnswerCache(engine: string, env: NodeJS.ProcessEnv = process.env): AnswerCache | undefined {
  const folder = openCacheFolder('answers', env);
  if (folder === undefined) return undefined;
  return {
    lookup(statement, files, options) {
      if (options?.prepared !== true && DEPENDS_ON_MORE.test(statement)) return NO_ANSWER;
      const stamps = stampFiles(files);
      if (stamps === undefined) return NO_ANSWER;
      // A verdict of preparing and a result of running the same text are two answers.
      const asked = options?.prepared === true ? `prepare\n${statement}` : statement;
      const name = `${createHash('sha256').update(`${engine}\n${asked}`).digest('hex')}.json`;
      const found = folder.read(name) as Partial<Entry> | undefined;
      const answer =
        found?.format === FORMAT &&
        found.engine === engine &&
        found.statement === statement &&
        sameStamps(found.files, stamps)
          ? found.answer
          : undefined;
      const takenAt = Date.now();
      return {
        answer,
        store: (value) => {
          if (settled(stamps, takenAt))
            folder.write(name, { format: FORMAT, engine, statement, files: stamps, answer: value });
        },
      };
    },
  };
}

function stampFiles(files: readonly string[]): Stamp[] | undefined {
  try {
    return files.map((path) => {
      const stat = statSync(path, { bigint: true });
      if (!stat.isFile()) throw new Error('not a file');
      return {
        path,
        dev: String(stat.dev),
        ino: String(stat.ino),
        size: String(stat.size),
        mtimeNs: String(stat.mtimeNs),
        ctimeNs: String(stat.ctimeNs),
      };
    });
  } catch {
    return undefined;
  }
}

function sameStamps(stored: readonly Stamp[] | undefined, now: readonly Stamp[]): boolean {
  if (!Array.isArray(stored) || stored.length !== now.length) return false;
  return now.every((stamp, i) => {
    const other = stored[i];
    return (
      other !== undefined &&
      other.path === stamp.path &&
      other.dev === stamp.dev &&
      other.ino === stamp.ino &&
      other.size === stamp.size &&
      other.mtimeNs === stamp.mtimeNs &&
      other.ctimeNs === stamp.ctimeNs
    );
  });
}

/** Every file's last change lies at least `SETTLE_MS` before `takenAt` (and not in the future). */
function settled(stamps: readonly Stamp[], takenAt: number): boolean {
  const limit = BigInt(takenAt - SETTLE_MS) * 1_000_000n;
  return stamps.every((s) => BigInt(s.mtimeNs) <= limit && BigInt(s.ctimeNs) <= limit);
}
