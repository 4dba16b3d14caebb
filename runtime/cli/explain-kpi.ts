// The text of `kpic explain KPI`: how its value is computed, from what data,
// along which joins it reaches the customer, and which measures repeat
// across segments they cannot reach.

import type { CompiledQuery } from '../../compiler/index.ts';
import type { Kpi, Measure, MExpr, Model, Source } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';

export interface ExplainInput {
  readonly model: Model;
  readonly kpi: Kpi;
  readonly texts: ReadonlyMap<string, string>;
  /** The default query, compiled; undefined when it does not compile. */
  readonly compiled: CompiledQuery | undefined;
}

/** Plain text, one section per aspect, ending with a line break. */
export function explainKpi({ model, kpi, texts, compiled }: ExplainInput): string {
  const measures = kpi.measures.map((key) => model.measures.get(key)).filter((m): m is Measure => m !== undefined);
  const sources = unique(measures.map((m) => m.source))
    .map((key) => model.sources.get(key))
    .filter((s): s is Source => s !== undefined);
  const out: string[] = [];
  out.push(
    `KPI ${kpi.name}${kpi.title ? `: ${kpi.title}` : ''}`,
    `  declared at ${kpi.file}:${kpi.nameSpan.start.line}:${kpi.nameSpan.start.column}`,
  );
  if (kpi.description) out.push(`  ${kpi.description}`);
  out.push(`  value: ${valueText(kpi, texts)}`);
  const facts = [`perspective ${kpi.perspective}`, `status ${kpi.status}`];
  if (kpi.grain) facts.push(`grain ${kpi.grain}`);
  if (kpi.cohort)
    facts.push(
      `by cohort of ${kpi.cohort.qualifier ? `${kpi.cohort.qualifier}.` : ''}${kpi.cohort.name} (rows: cohort x periods since, zero cells included)`,
    );
  if (kpi.direction) facts.push(`${kpi.direction} is better`);
  if (kpi.owner) facts.push(`owner ${kpi.owner}`);
  out.push(`  ${facts.join(', ')}`);
  out.push(
    `  segments: ${kpi.segments.length === 0 ? 'none' : kpi.segments.map((s) => (s.qualifier ? `${s.qualifier}.${s.name}` : s.name)).join(', ')}`,
  );
  if (kpi.where) out.push(`  where: ${sliceText(texts, kpi.file, kpi.where.span)}`);
  for (const t of kpi.thresholds)
    out.push(`  ${t.level} ${t.op} ${t.value}${t.for ? ` for ${sliceText(texts, t.file, t.for.span)}` : ''}`);

  out.push('', 'measures');
  out.push(
    ...columns(
      measures.map((m) => [
        m.name,
        aggregateText(m, texts),
        `source ${model.sources.get(m.source)?.name ?? m.source}`,
        timeText(m),
      ]),
    ),
  );

  out.push('', 'sources');
  out.push(
    ...columns(
      sources.map((s) => [
        s.name,
        relationText(s, model),
        s.isCustomer ? 'the customer entity' : s.key ? `key ${s.key}` : '',
      ]),
    ),
  );

  const links = unique(
    sources.flatMap((s) =>
      s.links.map(
        (l) =>
          `${name(model, l.from)}.${l.fromColumn} -> ${name(model, l.to)}.${l.toColumn} (${l.kind === 'customer' ? 'customer link' : 'join'})`,
      ),
    ),
  );
  out.push('', 'joins', ...(links.length === 0 ? ['  none'] : links.map((l) => `  ${l}`)));

  const aggregated = sources.flatMap((s) =>
    [...s.dimensions.values()].filter((d) => d.kind === 'aggregated').map((d) => ({ owner: s, d })),
  );
  if (aggregated.length > 0) {
    out.push('', 'aggregated dimensions');
    out.push(
      ...columns(
        aggregated.map(({ owner, d }) => [
          `${owner.name}.${d.name}`,
          sliceText(texts, d.file, d.span)
            .replace(/^dimension\s+/i, '')
            .replace(/\s+/g, ' '),
          d.kind === 'aggregated'
            ? `per ${owner.name} key, rows of ${[d.path[0]!.from, ...d.path.map((l) => l.to)].map((k) => name(model, k)).join(' -> ')}`
            : '',
        ]),
      ),
    );
  }

  out.push('', 'path to the customer');
  if (kpi.value !== undefined && compiled?.components?.length) {
    out.push(`  through the KPIs it is computed from: ${unique(compiled.components.map((c) => c.kpi)).join(', ')}`);
  }
  if (kpi.customerPaths.length === 0) {
    out.push('  none: no measure of this KPI reaches the customer entity (see the `customer-reference` rule)');
  }
  for (const { measure, path } of kpi.customerPaths) {
    const m = model.measures.get(measure);
    const label = m?.name ?? measure;
    if (path.length === 0) out.push(`  ${label}: on the customer entity itself`);
    else out.push(`  ${label}: ${[path[0]!.from, ...path.map((l) => l.to)].map((k) => name(model, k)).join(' -> ')}`);
  }

  if (compiled && compiled.broadcasts.length > 0) {
    out.push('', 'repeated values in the default query');
    for (const b of compiled.broadcasts) {
      const label = model.measures.get(b.measure.toLowerCase())?.name ?? b.measure;
      if (kpi.cohort && b.dimensions.length === 1 && b.dimensions[0] === 'periods_since') {
        out.push(
          `  ${label}: counts the cohort's members (a measure of the customer entity); its value repeats for every period since the cohort`,
        );
        continue;
      }
      out.push(
        `  ${label}: its source cannot reach ${b.dimensions.map((d) => `\`${d}\``).join(', ')}; its value repeats for every value of ${b.dimensions.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
  if (compiled?.components?.length) {
    out.push('', 'computed from the KPIs', ...componentLines(compiled.components));
    if (compiled.components.some((c) => c.weight !== undefined)) {
      out.push(
        '  a component without a value leaves the weights: the others are re-weighted to 100%',
        `  per row: \`kpic run ${kpi.name} --components\` adds each component's score and weighted contribution`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** `logins: score 0 -> 0, 10 -> 100; weight 3 (75% of the score)` — each input of a derived KPI or health score. */
function componentLines(components: NonNullable<CompiledQuery['components']>): string[] {
  return components.map((c) => {
    const parts = [c.lag === 0 ? 'this period' : `${c.lag} period${c.lag === 1 ? '' : 's'} back`];
    if (c.rollup?.kind === 'mean') parts.push("computed per customer, then the mean over each segment's customers");
    if (c.rollup?.kind === 'share')
      parts.push(
        `computed per customer, then the share of each segment's customers whose status is ${c.rollup.status}`,
      );
    if (c.normalise?.kind === 'fixed')
      parts.push(`scored 0..100: ${c.normalise.low} scores 0, ${c.normalise.high} scores 100, clamped`);
    if (c.normalise?.kind === 'min-max') parts.push('scored 0..100 by min-max over the segments of each period');
    if (c.weight !== undefined)
      parts.push(
        `weight ${c.weight} (${Math.round((c.share ?? 0) * 1000) / 10}% of the score when every component has a value)`,
      );
    return `  ${c.kpi}: ${parts.join('; ')}`;
  });
}

function valueText(kpi: Kpi, texts: ReadonlyMap<string, string>): string {
  if (kpi.value) return sliceText(texts, kpi.file, kpi.value.span);
  const numerator = kpi.numerator ? mexprText(kpi.numerator, 2) : '?';
  const ratio = kpi.denominator ? `${numerator} / ${mexprText(kpi.denominator, 3)}` : numerator;
  return kpi.scale ? `${ratio} * ${kpi.scale}` : ratio;
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

function mexprText(e: MExpr, parent: number): string {
  switch (e.kind) {
    case 'measure':
      return e.measure;
    case 'number':
      return e.text;
    case 'negate':
      return `-${mexprText(e.operand, 3)}`;
    case 'arith': {
      const p = PRECEDENCE[e.op];
      const text = `${mexprText(e.left, p)} ${e.op} ${mexprText(e.right, p + 1)}`;
      return p < parent ? `(${text})` : text;
    }
  }
}

function aggregateText(m: Measure, texts: ReadonlyMap<string, string>): string {
  const arg = m.arg ? sliceText(texts, m.file, m.arg.span) : '';
  const call = m.aggregate === 'percentile' ? `percentile(${arg}, ${m.percentile ?? '?'})` : `${m.aggregate}(${arg})`;
  return m.where ? `${call} where ${sliceText(texts, m.file, m.where.span)}` : call;
}

function timeText(m: Measure): string {
  // A snapshot measure has no time column: its instants are the period bounds.
  const parts: string[] = [m.at ? `at period ${m.at}` : m.time ? `time ${m.time}` : 'timeless'];
  if (m.cumulative) parts.push('cumulative');
  if (m.retention)
    parts.push(
      m.retention === 'retained'
        ? 'retained: counted in the period before and in this one'
        : 'churned: counted in the period before, not in this one',
    );
  parts.push(`${m.side} side`);
  return parts.join(', ');
}

function relationText(s: Source, model: Model): string {
  const r = s.relation;
  if (r.kind === 'file') return `file "${r.path}"`;
  if (r.kind === 'table') return `table ${r.schema ? `${r.schema}.` : ''}${r.table}`;
  return `one row per distinct ${r.column} of ${name(model, r.source)}`;
}

function name(model: Model, key: string): string {
  return model.sources.get(key)?.name ?? key;
}

/** The text a span covers, on one line. */
function sliceText(texts: ReadonlyMap<string, string>, file: string, span: Span): string {
  const text = texts.get(file);
  if (text === undefined) return '…';
  return text.slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ').trim();
}

/** Left-aligned columns, two spaces apart, indented. */
function columns(rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return ['  none'];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
  );
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
