// `kpic list [--json] [--status S] [--owner O] [--perspective P] [--tag T] [--text T]`: the KPIs with
// title, owner, perspective, indicator, status, version, replacement, segments.

import type { Command } from 'commander';
import { Option } from 'commander';
import Table from 'cli-table3';
import { escapeControls } from '../../../compiler/index.ts';
import { listKpis } from '../../service/catalog.ts';
import type { KpiSummary } from '../../service/catalog.ts';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';
import { withProject } from '../session.ts';

const STATUSES = ['draft', 'active', 'deprecated'] as const;

/** The filters are those of `list_kpis` (docs/mcp.md). */
interface ListFlags {
  json?: boolean;
  status?: string;
  owner?: string;
  perspective?: string;
  tag?: string;
  text?: string;
}

export function register(program: Command): void {
  program
    .command('list')
    .description('the KPIs with title, owner, perspective, indicator, status, version, replacement and segments')
    .option('--json', 'print JSON instead of a table')
    .addOption(new Option('--status <status>', 'only KPIs with this status').choices([...STATUSES]))
    .option('--owner <owner>', 'only KPIs of this owner (any case)')
    .addOption(
      new Option('--perspective <perspective>', 'only KPIs of this perspective').choices(['customer', 'company']),
    )
    .option('--tag <tag>', 'only KPIs with this tag (any case)')
    .option('--text <text>', 'only KPIs whose name, title, description or an alert name holds this text (any case)')
    .action(async (flags: ListFlags, cmd: Command) => {
      const output = outputOf(cmd);
      process.exitCode = await withProject(cmd, undefined, async (project) => {
        // The list the servers' `list_kpis` answers with: one function, so the two cannot drift.
        const { json: _, ...filters } = flags;
        const kpis = listKpis(project, filters);
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

function listJson(kpis: readonly KpiSummary[]): string {
  const rows = kpis.map((k) => ({
    name: k.name,
    title: k.title,
    owner: k.owner,
    perspective: k.perspective,
    indicator: k.indicator,
    status: k.lifecycle,
    version: k.version,
    replaced_by: k.replaced_by,
    segments: k.segments,
    grain: k.grain,
    tags: k.tags,
    file: k.file,
    line: k.line,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function listTable(kpis: readonly KpiSummary[], color: boolean): string {
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
        k.lifecycle,
        k.version === null ? '' : String(k.version),
        k.replaced_by ?? '',
        k.segments.join(', '),
      ].map(escapeControls),
    );
  return `${table.toString()}\n`;
}
