// `kpic run KPI`: compile, execute on the embedded engine, print the result.

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runQuery } from '../../execute.ts';
import { formatExcluded, RESULT_FORMATS } from '../../format/format.ts';
import type { ResultFormat } from '../../format/format.ts';
import { EXIT, UsageError } from '../errors.ts';
import { prepareQuery, reportCompile, whereValueWarnings } from '../kpi-query.ts';
import { outputOf } from '../output.ts';
import { addQueryOptions } from '../query-flags.ts';
import { rangeWarnings } from '../range-warnings.ts';
import type { QueryFlags } from '../query-flags.ts';
import { requireRunnableEngine, withProject } from '../session.ts';
import { fileDestination, resultSink, stdoutDestination } from '../result-output.ts';
import { describeCode } from '../write-atomic.ts';
import { projectInputs, refuseProjectInput } from '../out-target.ts';
import { parseLimit, parseSort } from '../sort-limit.ts';
import { printDiagnostics } from '../report.ts';

interface RunFlags extends QueryFlags {
  format: ResultFormat;
  sort?: string;
  limit?: string;
  out?: string;
  timeout?: string;
}

export function register(program: Command): void {
  const command = program
    .command('run')
    .description('compile and execute one KPI query')
    .argument('<kpi>', 'the KPI to run');
  addQueryOptions(command)
    .addOption(new Option('--format <format>', 'result format').choices([...RESULT_FORMATS]).default('table'))
    .option('--out <file>', 'write the result to a file (atomically) instead of stdout')
    .option('--timeout <seconds>', 'interrupt the query after this many seconds (exit code 3)')
    .option('--sort <column>', 'order the rows by a result column, COLUMN or COLUMN:desc (empty values last)')
    .option('--limit <n>', 'show only the first N rows (after --sort)')
    .action(async (name: string, flags: RunFlags, cmd: Command) => {
      const output = outputOf(cmd);
      const sort = flags.sort === undefined ? undefined : parseSort(flags.sort);
      const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit);
      const timeoutMs = parseTimeout(flags.timeout);
      const outPath = flags.out === undefined ? undefined : checkOutPath(flags.out);
      process.exitCode = await withProject(cmd, undefined, async (project) => {
        if (flags.dialect !== undefined && flags.dialect !== project.dialect) {
          throw new UsageError(
            `\`run\` executes on the project's engine (${project.dialect}); --dialect ${flags.dialect} is for \`kpic compile\``,
            `use \`kpic compile KPI --dialect ${flags.dialect}\` to see that SQL, or set \`data.engine\` in kpic.yaml.`,
          );
        }
        requireRunnableEngine(project);
        if (outPath !== undefined) refuseProjectInput(flags.out!, projectInputs(project));
        const prepared = prepareQuery(project, name, flags, output);
        if (typeof prepared === 'number') return prepared;
        // The table always footnotes incomplete periods, so it always asks for them; the
        // column itself is shown only with --incomplete (cli.md fixes the plain columns).
        const query = {
          ...prepared.query,
          ...(flags.format === 'table' ? { markIncomplete: true } : {}),
        };
        const grain = query.grain === 'none' ? undefined : (query.grain ?? prepared.kpi.grain);
        for (const warning of rangeWarnings(query, grain)) output.err(warning);
        if (query.where)
          printDiagnostics(output, await whereValueWarnings(project, query.where), prepared.texts, 'err');
        const destination = outPath === undefined ? stdoutDestination() : fileDestination(outPath);
        const sink = resultSink(
          destination,
          {
            format: flags.format,
            color: outPath === undefined && output.color,
            keepIncomplete: flags.incomplete === true,
            displayFormat: prepared.kpi.format,
            sort,
            limit,
          },
          // To a file the spinner runs to the end; only stdout must not mix with it.
          outPath === undefined ? () => spinner.stop() : undefined,
        );
        // The spinner runs until the first text is written to stdout (to a file: until the end).
        const spinner = stoppable();
        const running = runQuery(project, query, { ...(timeoutMs === undefined ? {} : { timeoutMs }), sink });
        let finished = false;
        try {
          const progress = output.progress(`running ${prepared.kpi.name}`, () =>
            Promise.race([running.then(() => undefined), spinner.wanted(outPath === undefined)]),
          );
          spinner.bind(progress);
          const result = await running;
          await progress.catch(() => undefined);
          const failed = reportCompile(output, result.diagnostics, prepared.texts);
          // A repeated link key is a problem of the data, found at run time: exit code 3.
          // So is a malformed row of a CSV file the query reads.
          if (result.diagnostics.some((d) => DATA_ERRORS.has(d.code) && d.severity === 'error')) return EXIT.engine;
          if (failed !== undefined || !result.value) return failed ?? EXIT.problems;
          const summary = await sink.end(result.value.excluded, result.value.skipped);
          destination.finish();
          finished = true;
          // A human format of a very large result is slow to read and to scroll; say what serves better.
          if ((flags.format === 'table' || flags.format === 'markdown') && summary.shownRows > LARGE_RESULT_ROWS) {
            output.err(
              `note: ${summary.shownRows} rows; for a result this large use --format csv (or json) with --out FILE, --limit N, or narrow it with --by, --from/--to or --where\n`,
            );
          }
          // The table carries its own footnote; machine formats keep stdout pure data.
          if (flags.format !== 'table' || outPath !== undefined) {
            for (const note of formatExcluded(result.value)) output.err(`note: ${note.slice(2)}\n`);
          }
        } finally {
          if (!finished) destination.abandon();
        }
        return EXIT.ok;
      });
    });
}

/**
 * The spinner's end: `wanted(true)` gives a promise that settles when
 * `stop` is called (the first text is about to go to stdout); `stop` then
 * waits for the spinner to clear its line.
 */
function stoppable() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((done) => {
    release = done;
  });
  let shown: Promise<unknown> = Promise.resolve();
  return {
    wanted: (toStdout: boolean): Promise<void> => (toStdout ? released : new Promise<void>(() => undefined)),
    bind: (progress: Promise<unknown>) => {
      shown = progress.catch(() => undefined);
    },
    stop: async () => {
      release();
      await shown;
    },
  };
}

/** Problems of the data found when a query runs: exit code 3 (docs/cli.md). */
const DATA_ERRORS: ReadonlySet<string> = new Set(['non-unique-key', 'data-malformed-row']);

/** Rows past which `table` and `markdown` add a note suggesting a machine format. */
const LARGE_RESULT_ROWS = 10_000;

/** The longest timer Node keeps: 2^31 - 1 ms, in whole seconds. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) {
    throw new UsageError(`--timeout: \`${text}\` is not a number of seconds above 0`, 'e.g. --timeout 30');
  }
  // Node's timers hold at most 2^31 - 1 ms; a longer one would fire at once and interrupt the query.
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `--timeout: ${text} s is more than the longest timeout, ${MAX_TIMEOUT_SECONDS} s (about 24 days)`,
      'leave --timeout out to let the query run as long as it takes.',
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** The folder must exist and be writable, and the target must not be a folder: checked before any work is done. */
function checkOutPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute) && statSync(absolute).isDirectory())
    throw new UsageError(`--out ${path} is a folder`, 'give a file name, e.g. --out result.csv');
  const folder = dirname(absolute);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`--out ${path}: the folder ${folder} does not exist`);
  // kpic writes a temporary file in the folder, then renames it: the folder itself must be writable.
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `--out ${path}: cannot write in the folder ${folder}: ${describeCode((error as NodeJS.ErrnoException).code, error)}`,
      'write the result to a folder you can write to, or to stdout (leave --out out)',
    );
  }
  return absolute;
}
