// `kpic alert [KPI...]`: evaluate the alerts declared with the KPIs on their
// latest complete period, print the breaches, remember them (`--state`),
// post them (`--webhook`), and exit 4 when something breaches at the
// `--fail-on` level (docs/alerts.md, docs/cli.md).

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Kpi, ValueFormat } from '../../../compiler/index.ts';
import type { Breach } from '../../alert/evaluate.ts';
import { ALERT_FORMATS, alertJson, formatAlertText, messageText } from '../../alert/report.ts';
import type { AlertFormat, AlertReport } from '../../alert/report.ts';
import { runAlerts } from '../../alert/run.ts';
import { breachId, compareWithState, nextState, readState, StateFileError } from '../../alert/state.ts';
import { parseWebhookUrl, postWebhook, WebhookError } from '../../alert/webhook.ts';
import { EXIT, UsageError } from '../errors.ts';
import { findKpi } from '../kpi-lookup.ts';
import { outputOf } from '../output.ts';
import { printDiagnostics } from '../report.ts';
import { requireRunnableEngine, withProject } from '../session.ts';
import { projectInputs, refuseProjectInput } from '../out-target.ts';
import { writeFileAtomic } from '../write-atomic.ts';

/** Something breaches at the `--fail-on` level (cli.md). */
export const EXIT_BREACH = 4;

interface AlertFlags {
  format: AlertFormat;
  failOn: 'warn' | 'critical' | 'none';
  state?: string;
  webhook?: string;
  webhookTimeout: string;
  webhookRetries: string;
}

export function register(program: Command): void {
  program
    .command('alert')
    .description('evaluate the alerts declared with the KPIs on their latest complete period')
    .argument('[kpis...]', 'only the alerts of these KPIs (default: every active KPI with alerts)')
    .addOption(new Option('--format <format>', 'report format').choices([...ALERT_FORMATS]).default('table'))
    .addOption(
      new Option('--fail-on <level>', `exit ${EXIT_BREACH} when a breach is at this level or above`)
        .choices(['warn', 'critical', 'none'])
        .default('warn'),
    )
    .option('--state <file>', 'remember the breaches in this JSON file; report each as new, ongoing or resolved')
    .option(
      '--webhook <url>',
      'POST the breaches as JSON to this URL; `env:NAME` reads the URL from the environment variable NAME',
    )
    .option('--webhook-timeout <seconds>', 'per attempt', '10')
    .option('--webhook-retries <n>', 'attempts after the first, with backoff (1 s, 2 s, 4 s, ...)', '2')
    .action(async (names: string[], flags: AlertFlags, cmd: Command) => {
      const output = outputOf(cmd);
      const webhook = flags.webhook === undefined ? undefined : webhookUrl(flags.webhook);
      const timeoutMs = seconds('--webhook-timeout', flags.webhookTimeout) * 1000;
      const retries = wholeNumber('--webhook-retries', flags.webhookRetries);
      const statePath = flags.state === undefined ? undefined : checkStatePath(flags.state);
      const previous = statePath === undefined ? undefined : loadState(statePath);
      process.exitCode = await withProject(cmd, undefined, async (project) => {
        requireRunnableEngine(project);
        // The state file is written by kpic: never over an input of the project, nor under its data root.
        if (statePath !== undefined) refuseProjectInput(flags.state!, projectInputs(project), '--state');
        const kpis = selectKpis(project, names, output);
        if (typeof kpis === 'number') return kpis;
        const errors = project.diagnostics.filter((d) => d.severity === 'error').length;
        if (errors > 0)
          output.err(
            `note: the project has ${errors} error${errors === 1 ? '' : 's'}; KPIs they affect are not evaluated. Run \`kpic check\`.\n`,
          );
        const run = await runAlerts(project, kpis);
        printDiagnostics(output, run.diagnostics, project.texts, 'err');
        const evaluated = new Set(run.evaluated.map((e) => e.kpi.toLowerCase()));
        const compared = previous === undefined ? undefined : compareWithState(previous, run.breaches, evaluated);
        const report: AlertReport = {
          breaches: run.breaches,
          evaluated: run.evaluated,
          formats: formatsOf(kpis),
          ...(compared ? { states: compared.states, resolved: compared.resolved } : {}),
        };
        output.out(
          flags.format === 'json'
            ? `${JSON.stringify(alertJson(report, breachId), null, 2)}\n`
            : formatAlertText(report, flags.format, breachId),
        );
        if (webhook !== undefined) {
          const news = toTell(report, previous);
          if (news.breaches.length > 0 || (news.resolved?.length ?? 0) > 0) {
            try {
              await postWebhook(
                webhook,
                { text: messageText(news, breachId), ...alertJson(news, breachId) },
                { attempts: retries + 1, timeoutMs, backoffMs: 1000, ...tokenOption() },
              );
              output.err(
                `note: posted ${news.breaches.length} breach${news.breaches.length === 1 ? '' : 'es'} to the webhook\n`,
              );
            } catch (error) {
              if (!(error instanceof WebhookError)) throw error;
              // The state is not written: the next run tells the same news again, so nothing is lost.
              output.err(`error: ${error.message}\n`);
              return EXIT.engine;
            }
          }
        }
        if (statePath !== undefined && previous !== undefined)
          writeFileAtomic(statePath, `${JSON.stringify(nextState(previous, run.breaches, evaluated), null, 2)}\n`);
        const failing = run.breaches.some(
          (b) => flags.failOn === 'warn' || (flags.failOn === 'critical' && b.level === 'critical'),
        );
        if (failing) return EXIT_BREACH;
        return run.diagnostics.some((d) => d.severity === 'error') ? EXIT.problems : EXIT.ok;
      });
    });
}

/** Each KPI's `format`, by lower-cased name, for the human report. */
function formatsOf(kpis: readonly Kpi[]): Map<string, ValueFormat> {
  const formats = new Map<string, ValueFormat>();
  for (const kpi of kpis) if (kpi.format) formats.set(kpi.name.toLowerCase(), kpi.format);
  return formats;
}

/** With `--state`, a chat hears only what changed: new breaches, newly escalated ones, and those resolved. */
function toTell(report: AlertReport, previous: ReturnType<typeof readState> | undefined): AlertReport {
  if (previous === undefined || report.states === undefined) return report;
  const before = new Map(previous.breaches.map((b) => [b.id, b]));
  const changed = (b: Breach) =>
    report.states!.get(breachId(b)) === 'new' || (b.escalated && before.get(breachId(b))?.escalated !== true);
  return { ...report, breaches: report.breaches.filter(changed) };
}

function selectKpis(
  project: Parameters<typeof findKpi>[0],
  names: readonly string[],
  output: ReturnType<typeof outputOf>,
): Kpi[] | number {
  if (names.length === 0)
    return [...project.model.kpis.values()]
      .filter((k) => k.status === 'active' && (k.alerts?.length ?? 0) > 0)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  const kpis: Kpi[] = [];
  for (const name of names) {
    const kpi = findKpi(project, name, output);
    if (typeof kpi === 'number') return kpi;
    if ((kpi.alerts?.length ?? 0) === 0)
      throw new UsageError(
        `KPI \`${kpi.name}\` declares no alert`,
        'declare one in the KPI: `alert NAME { by customer  when status critical }` (docs/alerts.md)',
      );
    kpis.push(kpi);
  }
  return kpis;
}

function webhookUrl(text: string): URL {
  let value = text;
  if (text.startsWith('env:')) {
    const name = text.slice(4);
    value = process.env[name] ?? '';
    if (value === '')
      throw new UsageError(
        `--webhook env:${name}: the environment variable ${name} is not set`,
        `export ${name}=https://... (the URL is a secret; kpic never prints it)`,
      );
  }
  try {
    return parseWebhookUrl(value);
  } catch (error) {
    if (error instanceof WebhookError)
      throw new UsageError(
        `--webhook: ${error.message}`,
        'give an http(s) URL, or env:NAME to read it from the environment',
      );
    throw error;
  }
}

function tokenOption(): { token?: string } {
  const token = process.env['KPIC_WEBHOOK_TOKEN'];
  return token ? { token } : {};
}

function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n > 0) || n > 3600)
    throw new UsageError(`${flag}: \`${text}\` is not a number of seconds from 0 to 3600`, `e.g. ${flag} 10`);
  return n;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 10)
    throw new UsageError(`${flag}: \`${text}\` is not a whole number from 0 to 10`, `e.g. ${flag} 2`);
  return n;
}

function checkStatePath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute) && statSync(absolute).isDirectory())
    throw new UsageError(`--state ${path} is a folder`, 'give a file name, e.g. --state alerts-state.json');
  const folder = dirname(absolute);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(
      `--state ${path}: the folder ${folder} does not exist`,
      `create it first (mkdir -p ${folder}); kpic writes the file, not its folder`,
    );
  return absolute;
}

function loadState(path: string): ReturnType<typeof readState> {
  try {
    return readState(path);
  } catch (error) {
    if (error instanceof StateFileError)
      throw new UsageError(error.message, 'give another file, or delete this one to start afresh');
    throw error;
  }
}
