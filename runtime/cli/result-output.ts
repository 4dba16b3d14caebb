// `kpic run`'s result on its way out: rows from the engine, a chunk at a
// time, through the KPI's display format and the chosen result format, to
// stdout or to the `--out` file, never held whole (docs/cli.md, "Results of
// any size"). `--sort` is the exception: it needs every row before the
// first, so the rows are gathered and sorted in memory.

import type { ValueFormat } from '../../compiler/index.ts';
import type { RowSink, Value } from '../engine/engine.ts';
import { displayRows } from '../format/display-format.ts';
import { resultWriter } from '../format/format.ts';
import type { ResultFormat, ResultTable, ResultWriter } from '../format/format.ts';
import type { SortSpec } from './sort-limit.ts';
import { sortAndLimit } from './sort-limit.ts';
import { openAtomic } from './write-atomic.ts';
import type { AtomicFile } from './write-atomic.ts';

type Rows = ResultTable['rows'];

/** Where the text goes: stdout (waiting for it to drain) or the `--out` file, written atomically. */
export interface Destination {
  write(text: string): Promise<void>;
  /** The output is complete: the `--out` file is renamed into place. */
  finish(): void;
  /** The output is abandoned: the `--out` file's temporary file is removed, the previous file unchanged. */
  abandon(): void;
}

/** stdout, respecting back-pressure: a slow reader (a pager, a pipe) holds kpic back instead of filling memory. */
export function stdoutDestination(): Destination {
  return {
    write: (text) =>
      new Promise((done) => {
        if (text === '' || process.stdout.write(text)) done();
        else process.stdout.once('drain', done);
      }),
    finish: () => undefined,
    abandon: () => undefined,
  };
}

/** The `--out` file, opened when the first text comes (nothing is created for a query that fails to compile). */
export function fileDestination(path: string): Destination {
  let file: AtomicFile | undefined;
  const open = () => {
    file ??= openAtomic(path);
    return file;
  };
  return {
    write: async (text) => open().write(text),
    finish: () => open().commit(),
    abandon: () => file?.abort(),
  };
}

export interface ResultOptions {
  readonly format: ResultFormat;
  readonly color: boolean;
  /** Keep the `incomplete` column (`--incomplete`); otherwise it is read only for the table's footnote. */
  readonly keepIncomplete: boolean;
  readonly displayFormat: ValueFormat | undefined;
  readonly sort: SortSpec | undefined;
  readonly limit: number | undefined;
}

/** What the result came to, once written: the rows shown and the table's footnote on incomplete periods. */
export interface ResultSummary {
  readonly shownRows: number;
  readonly incompleteNote: string;
}

/**
 * A sink for `runQuery` that formats and writes the rows as they come, and
 * `end` to write the rest (the footnotes) once the check counts are known.
 * `beforeFirstWrite` runs once before anything is written (the spinner stops).
 */
export function resultSink(
  destination: Destination,
  options: ResultOptions,
  beforeFirstWrite: () => Promise<void> = async () => undefined,
): RowSink & {
  end(excluded: ResultTable['excluded'], skipped?: ResultTable['skipped']): Promise<ResultSummary>;
} {
  let writer: ResultWriter | undefined;
  let columns: readonly string[] = [];
  let types: readonly string[] = [];
  /** The rows as shown: without `incomplete` unless kept. */
  let project = (rows: Rows): Rows => rows;
  /** The KPI's `format` on the value columns, for people only: csv and json keep the raw numbers. */
  let display = (rows: Rows): Rows => rows;
  let shown = 0;
  let wrote = false;
  const incomplete = incompleteTracker();
  const gathered: (readonly Value[])[] = [];
  const write = async (text: string) => {
    if (!wrote) {
      wrote = true;
      await beforeFirstWrite();
    }
    await destination.write(text);
  };
  return {
    start: async (names, typeNames) => {
      incomplete.start(names);
      const drop = options.keepIncomplete ? -1 : names.indexOf('incomplete');
      const keep = (_: unknown, i: number) => i !== drop;
      columns = drop < 0 ? names : names.filter(keep);
      types = drop < 0 ? typeNames : typeNames.filter(keep);
      if (drop >= 0) project = (rows) => rows.map((row) => row.filter(keep));
      const human = options.format === 'table' || options.format === 'markdown';
      const format = human ? displayRows(columns, options.displayFormat) : undefined;
      if (format !== undefined) display = format;
      writer = resultWriter(options.format, columns, types, { color: options.color });
      // An unknown --sort column is a usage error before any row is read.
      if (options.sort !== undefined) sortAndLimit({ columns, types, rows: [], excluded: [] }, options.sort, undefined);
      else await write(writer.start());
    },
    rows: async (batch) => {
      incomplete.rows(batch);
      if (options.sort !== undefined) {
        for (const row of project(batch)) gathered.push(row);
        return;
      }
      // Past --limit rows are not shown (the table may still read them for its footnote on incomplete periods).
      const room = options.limit === undefined ? batch.length : Math.max(0, options.limit - shown);
      if (room === 0) return;
      const rows = room < batch.length ? batch.slice(0, room) : batch;
      shown += rows.length;
      await write(writer!.rows(display(project(rows))));
    },
    // Once --limit rows are shown the rest is not read, unless the table's footnote on incomplete periods must count it.
    done: () =>
      options.sort === undefined &&
      options.limit !== undefined &&
      shown >= options.limit &&
      !(options.format === 'table' && incomplete.tracking()),
    end: async (excluded, skipped) => {
      if (writer === undefined) return { shownRows: 0, incompleteNote: '' };
      if (options.sort !== undefined) {
        // Sorted on the raw values, then written in one go.
        const sorted = sortAndLimit({ columns, types, rows: gathered, excluded }, options.sort, options.limit).rows;
        gathered.length = 0;
        shown = sorted.length;
        await write(writer.start() + writer.rows(display(sorted)));
      }
      const note = options.format === 'table' ? incomplete.note() : '';
      await write(writer.end(excluded, skipped) + note);
      return { shownRows: shown, incompleteNote: note };
    },
  };
}

/**
 * The table's footnote on incomplete periods (docs/time-analytics.md),
 * gathered while the rows pass: the distinct periods flagged incomplete (a
 * handful; a KPI has few periods), or for a cohort grid the count of cells.
 */
function incompleteTracker() {
  let flag = -1;
  let period = -1;
  let cells = 0;
  const periods = new Set<string>();
  return {
    start(names: readonly string[]) {
      flag = names.indexOf('incomplete');
      period = names.indexOf('period');
    },
    tracking: () => flag >= 0,
    rows(rows: Rows) {
      if (flag < 0) return;
      for (const row of rows) {
        if (row[flag] !== true) continue;
        if (period < 0) cells += 1;
        else periods.add(String(row[period]).slice(0, 10));
      }
    },
    note(): string {
      if (flag < 0) return '';
      if (period < 0) {
        // A cohort grid has no period column: each cell is of its cohort's period plus the periods since.
        return cells === 0
          ? ''
          : `* ${cells} row${cells === 1 ? ' is' : 's are'} of a period the data or the range covers only in part (\`--incomplete\` marks ${cells === 1 ? 'it' : 'them'})\n`;
      }
      return [...periods]
        .map((p) => `* the period starting ${p} is incomplete: the data or the range covers only part of it\n`)
        .join('');
    },
  };
}
