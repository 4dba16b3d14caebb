// The text of `kpic explain KPI`: how its value is computed, from what data,
// along which joins it reaches the customer, and which measures repeat
// across segments they cannot reach. A rendering of `describeKpi`, the
// description `describe_kpi` answers with, so the two say the same.

import type { KpiDescription } from '../service/catalog.ts';

/** Plain text, one section per aspect, ending with a line break. */
export function explainKpi(d: KpiDescription): string {
  const out: string[] = [];
  out.push(`KPI ${d.name}${d.title ? `: ${d.title}` : ''}`, `  declared at ${d.file}:${d.line}:${d.column}`);
  if (d.description) out.push(`  ${d.description}`);
  out.push(`  value: ${d.formula}`);
  const facts = [`perspective ${d.perspective}`, `status ${d.lifecycle}`];
  if (d.grain) facts.push(`grain ${d.grain}`);
  if (d.cohort) facts.push(`by cohort of ${d.cohort} (rows: cohort x periods since, zero cells included)`);
  if (d.direction) facts.push(`${d.direction} is better`);
  if (d.owner) facts.push(`owner ${d.owner}`);
  out.push(`  ${facts.join(', ')}`);
  out.push(`  segments: ${d.segments.length === 0 ? 'none' : d.segments.join(', ')}`);
  if (d.where !== null) out.push(`  where: ${oneLine(d.where)}`);
  for (const t of d.thresholds) {
    const value = t.from_table
      ? `${t.from_table.source}.${t.from_table.column} (per period, from a target table)`
      : (t.value ?? '');
    const since = t.since !== null ? ` from ${t.since}` : '';
    out.push(`  ${t.level} ${t.op} ${value}${since}${t.for !== null ? ` for ${oneLine(t.for)}` : ''}`);
  }

  out.push('', 'measures');
  out.push(...columns(d.measures.map((m) => [m.name, m.aggregate, `source ${m.source}`, m.time])));

  out.push('', 'sources');
  out.push(...columns(d.sources.map((s) => [s.name, s.relation, s.role])));

  out.push('', 'joins', ...(d.joins.length === 0 ? ['  none'] : d.joins.map((l) => `  ${l}`)));

  if (d.aggregated_dimensions.length > 0) {
    out.push('', 'aggregated dimensions');
    out.push(...columns(d.aggregated_dimensions.map((a) => [a.name, a.definition, a.rows])));
  }

  out.push('', 'path to the customer');
  if (d.computed_from.length > 0) out.push(`  through the KPIs it is computed from: ${d.computed_from.join(', ')}`);
  if (d.path_to_customer.length === 0) {
    out.push('  none: no measure of this KPI reaches the customer entity (see the `customer-reference` rule)');
  }
  for (const { measure, path } of d.path_to_customer) {
    if (path.length === 0) out.push(`  ${measure}: on the customer entity itself`);
    else out.push(`  ${measure}: ${path.join(' -> ')}`);
  }

  if (d.repeated_values.length > 0) {
    out.push('', 'repeated values in the default query', ...d.repeated_values.map((r) => `  ${r}`));
  }
  if (d.components.length > 0) {
    out.push('', 'computed from the KPIs', ...d.components.map((c) => `  ${c}`));
    if (d.weighted) {
      out.push(
        '  a component without a value leaves the weights: the others are re-weighted to 100%',
        `  per row: \`kpic run ${d.name} --components\` adds each component's score and weighted contribution`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Text quoted from a `.kpi` file, on one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Left-aligned columns, two spaces apart, indented. */
function columns(rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return ['  none'];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
  );
}
