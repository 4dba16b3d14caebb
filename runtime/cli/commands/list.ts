// `kpic list [--json] [--status S]`: the KPIs with title, owner, perspective, indicator, status, version, replacement, segments.

import type { Command } from 'commander';
import { Option } from 'commander';
import Table from 'cli-table3';
import type { Kpi } from '../../../compiler/index.ts';
import { escapeControls } from '../../../compiler/index.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';
import { withProject } from '../session.ts';

const STATUSES = ['draft', 'active', 'deprecated'] as const;

export function register(program: Command): void {
  program
    .command('list')
    .description('the KPIs with title, owner, perspective, indicator, status, version, replacement and segments')
    .option('--json', 'print JSON instead of a table')
    .addOption(new Option('--status <status>', 'only KPIs with this status').choices([...STATUSES]))
    .action(async (flags: { json?: boolean; status?: string }, cmd: Command) => {
      const output = outputOf(cmd);
      process.exitCode = await withProject(cmd, undefined, async (project) => {
        const kpis = [...project.model.kpis.values()]
          .filter((k) => flags.status === undefined || k.status === flags.status)
          .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
        output.out(flags.json ? listJson(kpis) : listTable(kpis, output.color));
        const errors = project.diagnostics.filter((d) => d.severity === 'error').length;
        if (errors > 0)
          output.err(
            `note: the project has ${errors} error${errors === 1 ? '' : 's'}; run \`kpic check\` to see them.\n`,
          );
        return EXIT.ok;
      });
    });
}

function segmentsOf(kpi: Kpi): string[] {
  return kpi.segments.map((s) => (s.qualifier ? `${s.qualifier}.${s.name}` : s.name));
}

function listJson(kpis: readonly Kpi[]): string {
  const rows = kpis.map((k) => ({
    name: k.name,
    title: k.title ?? null,
    owner: k.owner ?? null,
    perspective: k.perspective,
    indicator: k.indicator ?? null,
    status: k.status,
    version: k.version ?? null,
    replaced_by: k.replacedBy ?? null,
    segments: segmentsOf(k),
    grain: k.grain ?? null,
    tags: k.tags,
    file: k.file,
    line: k.nameSpan.start.line,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function listTable(kpis: readonly Kpi[], color: boolean): string {
  if (kpis.length === 0) return 'no KPIs\n';
  const table = new Table({
    head: ['kpi', 'title', 'owner', 'perspective', 'indicator', 'status', 'version', 'replaced_by', 'segments'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  // A title or owner is text from a `.kpi` file: shown, never obeyed by the terminal.
  for (const k of kpis)
    table.push(
      [
        k.name,
        k.title ?? '',
        k.owner ?? '',
        k.perspective,
        k.indicator ?? '',
        k.status,
        k.version === undefined ? '' : String(k.version),
        k.replacedBy ?? '',
        segmentsOf(k).join(', '),
      ].map(escapeControls),
    );
  return `${table.toString()}\n`;
}
