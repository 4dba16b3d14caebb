// `kpic diff` output: text for a terminal, markdown for a pull-request
// comment, JSON for tools. The same facts in each.

import type { DefinitionsDiff, KpiChange, PartChange } from './compare.ts';

/** Value change of one KPI's latest period (`--values`). */
export interface ValueChange {
  readonly kpi: string;
  readonly period?: string;
  readonly before?: string;
  readonly after?: string;
  /** Why there is no value to show (a compile or engine error). */
  readonly note?: string;
}

export interface DiffReport extends DefinitionsDiff {
  readonly base: string;
  readonly values?: readonly ValueChange[];
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

function counts(report: DiffReport): string {
  const n = (change: KpiChange['change']) => report.kpis.filter((k) => k.change === change).length;
  const breaking = report.kpis.filter((k) => k.breaking).length;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  return `${n('changed')} KPI${n('changed') === 1 ? '' : 's'} changed, ${n('added')} added, ${n('removed')} removed; ${breaking} with breaking changes${errors > 0 ? `; ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
}

function version(k: KpiChange): string {
  if (k.change !== 'changed')
    return (k.versionAfter ?? k.versionBefore) ? `, version ${k.versionAfter ?? k.versionBefore}` : '';
  const before = k.versionBefore ?? 1;
  const after = k.versionAfter ?? 1;
  return before === after ? `, version ${after}` : `, version ${before} -> ${after}`;
}

function partText(p: PartChange): string {
  if (p.before !== undefined && p.after !== undefined) return `${p.before} -> ${p.after}`;
  if (p.after !== undefined) return p.part.includes(' ') ? `changed: ${p.after}` : `(none) -> ${p.after}`;
  if (p.before !== undefined) return `${p.before} -> (none)`;
  return 'changed';
}

/** Plain text for a terminal. */
export function renderDiffText(report: DiffReport): string {
  const out = [`kpic diff ${report.base}..working tree: ${counts(report)}`];
  if (report.kpis.length === 0 && report.definitions.length === 0) out.push('', 'no changes to the metric definitions');
  for (const k of report.kpis) {
    out.push(
      '',
      `${MARK[k.change]} ${k.name} (${k.file}:${k.line}) ${k.status}${version(k)}${k.breaking ? ' BREAKING' : ''}`,
    );
    const width = Math.max(0, ...k.parts.map((p) => p.part.length));
    for (const p of k.parts) out.push(`    ${p.part.padEnd(width)}  ${partText(p)}${p.breaking ? '  [breaking]' : ''}`);
  }
  const impact = report.definitions.filter((d) => d.change !== 'added');
  if (impact.length > 0) {
    out.push('', 'impact:');
    for (const d of impact) {
      const via = d.measures.length > 0 ? `; measures ${d.measures.join(', ')}` : '';
      out.push(
        `  ${d.kind} ${d.name} ${d.change}${d.parts.length > 0 ? ` (${d.parts.join(', ')})` : ''}${via}; KPIs ${d.kpis.length > 0 ? d.kpis.join(', ') : 'none'}`,
      );
    }
  }
  if (report.values && report.values.length > 0) {
    out.push('', 'latest values (base -> working tree):');
    for (const v of report.values)
      out.push(
        `  ${v.kpi}${v.period ? ` ${v.period}` : ''}: ${v.note ?? `${v.before ?? 'null'} -> ${v.after ?? 'null'}`}`,
      );
  }
  for (const f of report.findings)
    out.push('', `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`, `  ${f.message}`, `  hint: ${f.help}`);
  return `${out.join('\n')}\n`;
}

/** Markdown for a pull-request comment. */
export function renderDiffMarkdown(report: DiffReport): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const out = [`### kpic diff against \`${report.base}\``, '', counts(report)];
  for (const f of report.findings) {
    out.push(
      '',
      `> **${f.severity === 'error' ? 'Error' : 'Warning'}** \`${f.file}:${f.line}\` ${cell(f.message)} ${cell(f.help)}`,
    );
  }
  if (report.kpis.length > 0) {
    out.push('', '| KPI | change | status | breaking | what changed |', '| --- | --- | --- | --- | --- |');
    for (const k of report.kpis) {
      const what = k.parts
        .map((p) => `${p.breaking ? '**' : ''}${p.part}${p.breaking ? '**' : ''}: ${partText(p)}`)
        .join('<br>');
      out.push(
        `| \`${k.name}\` | ${k.change} | ${k.status}${version(k)} | ${k.breaking ? 'yes' : 'no'} | ${cell(what)} |`,
      );
    }
  } else out.push('', 'No KPI changed.');
  const impact = report.definitions.filter((d) => d.change !== 'added');
  if (impact.length > 0) {
    out.push(
      '',
      '<details><summary>Impact of changed sources and measures</summary>',
      '',
      '| definition | change | measures | KPIs |',
      '| --- | --- | --- | --- |',
    );
    for (const d of impact) {
      out.push(
        `| ${d.kind} \`${d.name}\` | ${d.change}${d.parts.length > 0 ? ` (${d.parts.join(', ')})` : ''} | ${d.measures.join(', ')} | ${d.kpis.join(', ')} |`,
      );
    }
    out.push('', '</details>');
  }
  if (report.values && report.values.length > 0) {
    out.push('', '| KPI | latest period | before | after |', '| --- | --- | ---: | ---: |');
    for (const v of report.values)
      out.push(
        `| \`${v.kpi}\` | ${v.period ?? ''} | ${v.note ? cell(v.note) : (v.before ?? '')} | ${v.note ? '' : (v.after ?? '')} |`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** JSON: the report as data. */
export function renderDiffJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
