// The report of a `kpic alert` run: a table or markdown for people, JSON
// for programs, and the text of a chat message (docs/alerts.md).

import type { ValueFormat } from '../../compiler/index.ts';
import { escapeLine } from '../../compiler/index.ts';
import { formatValue } from '../format/display-format.ts';
import type { Breach } from './evaluate.ts';
import type { BreachState, RememberedBreach } from './state.ts';

export type AlertFormat = 'table' | 'json' | 'markdown';
export const ALERT_FORMATS: readonly AlertFormat[] = ['table', 'json', 'markdown'];

export interface AlertReport {
  readonly breaches: readonly Breach[];
  /** With `--state`: each breach's state by id, and the breaches resolved since the last run. */
  readonly states?: ReadonlyMap<string, BreachState>;
  readonly resolved?: readonly RememberedBreach[];
  readonly evaluated: readonly { readonly kpi: string; readonly period: string | undefined; readonly alerts: number }[];
  /** Each KPI's `format` (by lower-cased name): table, markdown and the chat text show values in it; json keeps raw numbers. */
  readonly formats?: ReadonlyMap<string, ValueFormat>;
}

/** `customer=1042, tier=enterprise`; `(total)` for a breach of the whole KPI. */
export function watchedText(segments: Readonly<Record<string, string | null>>): string {
  const parts = Object.entries(segments).map(([k, v]) => `${k}=${v ?? '(none)'}`);
  return parts.length === 0 ? '(total)' : parts.join(', ');
}

/** Who is told: the responsible role, and the accountable one once escalated. */
export function notifyOf(b: Breach): string[] {
  return [...b.responsible, ...(b.escalated ? b.accountable : []), ...b.informed];
}

function numberText(n: number | null): string {
  if (n === null) return '';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/** A value of the KPI (value, previous, baseline) as people read it: in the KPI's `format` when it has one. */
function valueText(report: AlertReport, kpi: string, n: number | null): string {
  const format = report.formats?.get(kpi.toLowerCase());
  if (n === null || format === undefined) return numberText(n);
  return String(formatValue(n, format));
}

/** `value < 0.035` of a percent KPI as `value < 3.5%`: the threshold in the KPI's format, as the value is. */
function conditionShown(report: AlertReport, b: Breach): string {
  const format = report.formats?.get(b.kpi.toLowerCase());
  const m = /^value (<=|>=|!=|<|>|=) (-?\d+(?:\.\d+)?)$/.exec(b.condition);
  if (!format || !m) return b.condition;
  return `value ${m[1]} ${valueText(report, b.kpi, Number(m[2]))}`;
}

function percentText(n: number | null): string {
  return n === null ? '' : `${Number((n * 100).toFixed(1))}%`;
}

function periodsText(b: Breach): string {
  return `${b.atLeast ? '>= ' : ''}${b.periodsInBreach}`;
}

const HEADER = [
  'state',
  'level',
  'kpi',
  'alert',
  'watched',
  'period',
  'value',
  'previous',
  'baseline',
  'change',
  'condition',
  'periods',
  'escalated',
  'responsible',
];

function cells(report: AlertReport, b: Breach, id: string): string[] {
  return [
    report.states?.get(id) ?? '',
    b.level,
    b.kpi,
    b.alert,
    watchedText(b.segments),
    b.period,
    valueText(report, b.kpi, b.value),
    valueText(report, b.kpi, b.previousValue),
    valueText(report, b.kpi, b.baseline),
    percentText(b.change),
    conditionShown(report, b),
    periodsText(b),
    b.escalated ? `yes: ${b.accountable.join(', ') || '(no accountable role)'}` : 'no',
    b.responsible.join(', '),
  ];
}

function resolvedCells(r: RememberedBreach): string[] {
  return ['resolved', r.level, r.kpi, r.alert, watchedText(r.segments), r.period, '', '', '', '', '', '', '', ''];
}

/** A plain-text table (or a markdown table) of the breaches, then one summary line. */
export function formatAlertText(
  report: AlertReport,
  format: 'table' | 'markdown',
  idOf: (b: Breach) => string,
): string {
  const withState = report.states !== undefined;
  const header = withState ? HEADER : HEADER.slice(1);
  // A watched segment is a data value: its control characters and line breaks are shown (`\x1b`, `\n`), never obeyed.
  const rows = [
    ...report.breaches.map((b) => cells(report, b, idOf(b))),
    ...(report.resolved ?? []).map(resolvedCells),
  ].map((r) => (withState ? r : r.slice(1)));
  const summary = summaryLine(report);
  if (rows.length === 0) return `${summary}\n`;
  if (format === 'markdown') {
    const escapeCell = (s: string) => escapeLine(s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|'));
    const lines = [
      `| ${header.join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
    ];
    return `${lines.join('\n')}\n\n${summary}\n`;
  }
  const shown = rows.map((r) => r.map(escapeLine));
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...shown.map(line)].join('\n')}\n${summary}\n`;
}

/** `2 breaches (1 critical, 1 warn; 1 new, 1 ongoing, 1 resolved) in 3 alerts of 2 KPIs, latest complete periods: nps 2024-12-01, usage 2024-12-23` */
export function summaryLine(report: AlertReport): string {
  const n = report.breaches.length;
  const critical = report.breaches.filter((b) => b.level === 'critical').length;
  const alerts = report.evaluated.reduce((s, e) => s + e.alerts, 0);
  const states = report.states ? [...report.states.values()] : [];
  const stateText = report.states
    ? `; ${states.filter((s) => s === 'new').length} new, ${states.filter((s) => s === 'ongoing').length} ongoing, ${report.resolved?.length ?? 0} resolved`
    : '';
  const periods = report.evaluated.map((e) => `${e.kpi} ${e.period ?? '(no complete period yet)'}`).join(', ');
  const head =
    n === 0
      ? 'no breaches'
      : `${n} breach${n === 1 ? '' : 'es'} (${critical} critical, ${n - critical} warn${stateText})`;
  const tail = n === 0 && stateText ? ` (${report.resolved?.length ?? 0} resolved)` : '';
  return `${head}${tail} in ${alerts} alert${alerts === 1 ? '' : 's'} of ${report.evaluated.length} KPI${report.evaluated.length === 1 ? '' : 's'}; latest complete period${report.evaluated.length === 1 ? '' : 's'}: ${periods || 'none'}`;
}

/** The structured report (`--format json` and the webhook's `breaches`). */
export function alertJson(report: AlertReport, idOf: (b: Breach) => string): object {
  return {
    evaluated: report.evaluated.map((e) => ({ kpi: e.kpi, period: e.period ?? null, alerts: e.alerts })),
    breaches: report.breaches.map((b) => ({
      ...(report.states ? { state: report.states.get(idOf(b)) ?? 'new' } : {}),
      kpi: b.kpi,
      alert: b.alert,
      level: b.level,
      period: b.period,
      segments: b.segments,
      value: b.value,
      previous_value: b.previousValue,
      baseline: b.baseline,
      change: b.change,
      status: b.status,
      condition: b.condition,
      periods_in_breach: b.periodsInBreach,
      at_least: b.atLeast,
      escalated: b.escalated,
      responsible: b.responsible,
      accountable: b.accountable,
      consulted: b.consulted,
      informed: b.informed,
      notify: notifyOf(b),
    })),
    ...(report.resolved
      ? {
          resolved: report.resolved.map((r) => ({
            kpi: r.kpi,
            alert: r.alert,
            level: r.level,
            period: r.period,
            segments: r.segments,
          })),
        }
      : {}),
  };
}

/** Lines of breaches in a chat message's text; the rest are counted. */
export const MAX_MESSAGE_LINES = 50;

/** The chat message: one line per breach (new and escalated first with `--state`), then the summary. */
export function messageText(report: AlertReport, idOf: (b: Breach) => string): string {
  const lines = report.breaches.map((b) => {
    const state = report.states?.get(idOf(b));
    const tag = `${b.level.toUpperCase()}${state ? ` (${state})` : ''}${b.escalated ? ' ESCALATED' : ''}`;
    const change =
      b.change === null ? '' : ` (${percentText(b.change)} against ${valueText(report, b.kpi, b.baseline)})`;
    return `${tag} ${b.kpi}/${b.alert} ${watchedText(b.segments)}: ${valueText(report, b.kpi, b.value)}${change} in ${b.period}, ${periodsText(b)} period${b.periodsInBreach === 1 ? '' : 's'}; ${notifyOf(b).join(', ') || 'nobody named'}`;
  });
  const resolved = (report.resolved ?? []).map((r) => `RESOLVED ${r.kpi}/${r.alert} ${watchedText(r.segments)}`);
  const all = [...lines, ...resolved];
  // A chat refuses long messages (Slack's limit is 40,000 characters): the text names the first ones, the JSON has all.
  const shown =
    all.length > MAX_MESSAGE_LINES
      ? [...all.slice(0, MAX_MESSAGE_LINES), `... and ${all.length - MAX_MESSAGE_LINES} more (all are in \`breaches\`)`]
      : all;
  return [...shown, summaryLine(report)].join('\n');
}
