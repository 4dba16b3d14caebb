// What changed in the metric definitions between two versions of a project.
//
// Both sides are resolved without data, so the comparison is of definitions
// only: spans and file positions are ignored, everything else counts. Each
// changed part of a KPI is classified: breaking when the KPI's value changes
// meaning (its formula, a measure or source it reads, its filter, scale,
// window, grain, segments, sample floor), not breaking otherwise (texts,
// owner, thresholds, direction, tags, lifecycle fields).

import type { ErrorCode } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';
import type { Kpi, Measure, Model, Source } from '../../compiler/index.ts';
import { relationKey } from '../../compiler/index.ts';

export interface Side {
  readonly model: Model;
  readonly texts: ReadonlyMap<string, string>;
}

export interface PartChange {
  /** `numerator`, `owner`, `measure promoters`, `source surveys`, `kpi nps` ... */
  readonly part: string;
  readonly breaking: boolean;
  readonly before?: string;
  readonly after?: string;
}

export interface KpiChange {
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Where it is declared now (or was, when removed). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly status: Kpi['status'];
  readonly versionBefore?: number;
  readonly versionAfter?: number;
  readonly parts: readonly PartChange[];
  readonly breaking: boolean;
}

export interface DefinitionChange {
  readonly kind: 'measure' | 'source';
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The parts that changed (`where`, `checks`, `from` ...). */
  readonly parts: readonly string[];
  readonly breaking: boolean;
  /** A changed measure's item as written, before and after. */
  readonly before?: string;
  readonly after?: string;
  /** Measures (for a source) and KPIs that read it, in the newer version. */
  readonly measures: readonly string[];
  readonly kpis: readonly string[];
}

export interface Finding {
  readonly severity: 'error' | 'warn';
  readonly code: ErrorCode;
  readonly kpi: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly help: string;
}

export interface DefinitionsDiff {
  readonly kpis: readonly KpiChange[];
  readonly definitions: readonly DefinitionChange[];
  readonly findings: readonly Finding[];
}

/** Compare the base version of a project with the newer one. */
export function diffDefinitions(base: Side, head: Side): DefinitionsDiff {
  const definitions = [
    ...diffMap('source', base.model.sources, head.model.sources, sourceParts),
    ...diffMap('measure', base.model.measures, head.model.measures, measureParts).map((d) => {
      if (d.change !== 'changed') return d;
      const key = d.name.toLowerCase();
      const before = itemText(base, base.model.measures.get(key)!);
      const after = itemText(head, head.model.measures.get(key)!);
      return { ...d, ...shown('before', before), ...shown('after', after) };
    }),
  ];
  const changedMeasures = new Map(
    definitions.filter((d) => d.kind === 'measure' && d.change === 'changed').map((d) => [d.name.toLowerCase(), d]),
  );
  const changedSources = new Map(
    definitions
      .filter((d) => d.kind === 'source' && d.change === 'changed' && d.breaking)
      .map((d) => [d.name.toLowerCase(), d]),
  );
  const withImpact = definitions.map((d) => ({
    ...d,
    ...impactOf(d, d.change === 'removed' ? base.model : head.model),
  }));

  const kpis: KpiChange[] = [];
  const names = [...new Set([...base.model.kpis.keys(), ...head.model.kpis.keys()])].sort();
  const own = new Map<string, PartChange[]>();
  for (const key of names) {
    const before = base.model.kpis.get(key);
    const after = head.model.kpis.get(key);
    if (before && after)
      own.set(key, [
        ...kpiParts(before, after, base, head),
        ...readParts(after, head.model, changedMeasures, changedSources),
      ]);
  }
  // A derived KPI reads other KPIs: a breaking change to one is a breaking change to it.
  for (const key of names) {
    const after = head.model.kpis.get(key);
    const parts = own.get(key);
    if (!after?.value || !parts) continue;
    for (const read of refNames(after.value)) {
      const readKey = read.toLowerCase();
      if (readKey !== key && own.get(readKey)?.some((p) => p.breaking))
        parts.push({ part: `kpi ${head.model.kpis.get(readKey)!.name}`, breaking: true });
    }
  }
  for (const key of names) {
    const before = base.model.kpis.get(key);
    const after = head.model.kpis.get(key);
    if (before && after) {
      const parts = own.get(key)!;
      if (parts.length > 0) kpis.push(kpiChange(after, 'changed', parts, before.version, after.version));
    } else if (after) kpis.push(kpiChange(after, 'added', [], undefined, after.version));
    else if (before) kpis.push(kpiChange(before, 'removed', [], before.version, undefined));
  }
  return { kpis, definitions: withImpact, findings: findingsOf(kpis) };
}

function kpiChange(
  kpi: Kpi,
  change: KpiChange['change'],
  parts: readonly PartChange[],
  versionBefore: number | undefined,
  versionAfter: number | undefined,
): KpiChange {
  return {
    name: kpi.name,
    change,
    file: kpi.file,
    line: kpi.nameSpan.start.line,
    column: kpi.nameSpan.start.column,
    status: kpi.status,
    ...(versionBefore === undefined ? {} : { versionBefore }),
    ...(versionAfter === undefined ? {} : { versionAfter }),
    parts,
    breaking: parts.some((p) => p.breaking),
  };
}

/** The KPI's own items, as written. */
function kpiParts(before: Kpi, after: Kpi, base: Side, head: Side): PartChange[] {
  const parts: PartChange[] = [];
  const text = (side: Side, kpi: Kpi, span: Span | undefined) => (span ? sliceOf(side, kpi.file, span) : undefined);
  const compare = (part: string, breaking: boolean, a: unknown, b: unknown, shownA?: string, shownB?: string) => {
    if (canonical(a) === canonical(b)) return;
    parts.push({ part, breaking, ...shown('before', shownA ?? plain(a)), ...shown('after', shownB ?? plain(b)) });
  };
  compare(
    'numerator',
    true,
    before.numerator,
    after.numerator,
    text(base, before, before.numerator?.span),
    text(head, after, after.numerator?.span),
  );
  compare(
    'denominator',
    true,
    before.denominator,
    after.denominator,
    text(base, before, before.denominator?.span),
    text(head, after, after.denominator?.span),
  );
  compare(
    'value',
    true,
    before.value,
    after.value,
    text(base, before, before.value?.span),
    text(head, after, after.value?.span),
  );
  compare('scale', true, before.scale, after.scale);
  compare(
    'filter',
    true,
    before.where,
    after.where,
    text(base, before, before.where?.span),
    text(head, after, after.where?.span),
  );
  compare('segments', true, before.segments, after.segments, segmentsText(before), segmentsText(after));
  compare('grain', true, before.grain, after.grain);
  compare(
    'window',
    true,
    before.window,
    after.window,
    before.window && `${before.window.amount} ${before.window.unit}`,
    after.window && `${after.window.amount} ${after.window.unit}`,
  );
  compare('min_sample', true, before.minSample, after.minSample);
  compare('title', false, before.title, after.title);
  compare('description', false, before.description, after.description);
  compare('owner', false, before.owner, after.owner);
  compare('customer_value', false, before.customerValue, after.customerValue);
  compare('perspective', false, before.perspective, after.perspective);
  compare('indicator', false, before.indicator, after.indicator);
  compare('direction', false, before.direction, after.direction);
  compare(
    'thresholds',
    false,
    before.thresholds,
    after.thresholds,
    thresholdsText(base, before),
    thresholdsText(head, after),
  );
  compare('status', false, before.status, after.status);
  compare('replaced_by', false, before.replacedBy, after.replacedBy);
  compare('version', false, before.version, after.version);
  compare('tags', false, before.tags, after.tags, before.tags.join(', '), after.tags.join(', '));
  return parts;
}

/** Breaking changes to what the KPI reads: its measures, and the sources they come from. */
type Changed = Pick<DefinitionChange, 'name' | 'parts' | 'breaking' | 'before' | 'after'>;

function readParts(
  kpi: Kpi,
  model: Model,
  measures: ReadonlyMap<string, Changed>,
  sources: ReadonlyMap<string, Changed>,
): PartChange[] {
  const parts: PartChange[] = [];
  const seenSources = new Set<string>();
  for (const key of kpi.measures) {
    const changed = measures.get(key);
    if (changed) {
      const detail =
        changed.before !== undefined && changed.after !== undefined
          ? { before: changed.before, after: changed.after }
          : { after: changed.parts.join(', ') };
      parts.push({ part: `measure ${changed.name}`, breaking: changed.breaking, ...detail });
    }
    const measure = model.measures.get(key);
    if (!measure) continue;
    for (const sourceKey of reachedSources(model, measure.source)) {
      const source = sources.get(sourceKey);
      if (source && !seenSources.has(sourceKey)) {
        seenSources.add(sourceKey);
        parts.push({ part: `source ${source.name}`, breaking: true, after: source.parts.join(', ') });
      }
    }
  }
  return parts;
}

/** A source and every source it reaches by its links (their rows feed its dimensions). */
function reachedSources(model: Model, start: string): string[] {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const source = model.sources.get(queue.shift()!);
    if (!source) continue;
    const next = [
      ...source.links.map((l) => l.to),
      ...(source.relation.kind === 'derived' ? [source.relation.source] : []),
    ];
    for (const dimension of source.dimensions.values()) if (dimension.kind === 'aggregated') next.push(dimension.from);
    for (const key of next) {
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(key);
    }
  }
  return [...seen];
}

function diffMap<T extends Source | Measure>(
  kind: 'source' | 'measure',
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  partsOf: (a: T, b: T) => { parts: string[]; breaking: boolean },
): Omit<DefinitionChange, 'measures' | 'kpis'>[] {
  const changes: Omit<DefinitionChange, 'measures' | 'kpis'>[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (a && b) {
      const { parts, breaking } = partsOf(a, b);
      if (parts.length > 0) changes.push({ kind, name: b.name, change: 'changed', parts, breaking });
    } else if (b) changes.push({ kind, name: b.name, change: 'added', parts: [], breaking: false });
    else if (a) changes.push({ kind, name: a.name, change: 'removed', parts: [], breaking: true });
  }
  return changes;
}

function sourceParts(a: Source, b: Source): { parts: string[]; breaking: boolean } {
  const parts: string[] = [];
  let breaking = false;
  const check = (part: string, isBreaking: boolean, x: unknown, y: unknown) => {
    if (canonical(x) === canonical(y)) return;
    parts.push(part);
    breaking ||= isBreaking;
  };
  // Adding a link or a dimension changes no existing value; changing or removing one may.
  const keyed = <T>(part: string, x: readonly T[], y: readonly T[], keyOf: (item: T) => string) => {
    const after = new Map(y.map((item) => [keyOf(item), canonical(item)]));
    const before = new Map(x.map((item) => [keyOf(item), canonical(item)]));
    if ([...before].some(([k, v]) => after.get(k) !== v)) check(part, true, x, y);
    else if (after.size > before.size) check(`${part} added`, false, x, y);
  };
  const relationText = (s: Source) =>
    s.relation.kind === 'derived' ? `derived:${s.relation.source}.${s.relation.column}` : relationKey(s.relation);
  check('from', true, relationText(a), relationText(b));
  check('customer', true, a.isCustomer, b.isCustomer);
  check('key', true, a.key, b.key);
  keyed('links', a.links, b.links, (l) => `${l.kind}:${l.to}`);
  check('time', true, a.time, b.time);
  check('valid', true, a.valid, b.valid);
  check('checks', true, a.checks, b.checks);
  keyed('dimensions', [...a.dimensions.values()], [...b.dimensions.values()], (d) => d.name.toLowerCase());
  check('description', false, a.description, b.description);
  return { parts, breaking };
}

function measureParts(a: Measure, b: Measure): { parts: string[]; breaking: boolean } {
  const parts: string[] = [];
  let breaking = false;
  const check = (part: string, isBreaking: boolean, x: unknown, y: unknown) => {
    if (canonical(x) === canonical(y)) return;
    parts.push(part);
    breaking ||= isBreaking;
  };
  check('source', true, a.source, b.source);
  check('aggregate', true, [a.aggregate, a.arg, a.percentile], [b.aggregate, b.arg, b.percentile]);
  check('where', true, a.where, b.where);
  check('time', true, a.time, b.time);
  check('cumulative', true, a.cumulative, b.cumulative);
  check('at', true, a.at, b.at);
  check('side', false, a.side, b.side);
  return { parts, breaking };
}

/** The measures and KPIs that read a source or a measure. */
function impactOf(
  change: Omit<DefinitionChange, 'measures' | 'kpis'>,
  model: Model,
): { measures: string[]; kpis: string[] } {
  const key = change.name.toLowerCase();
  const measures =
    change.kind === 'measure'
      ? [key]
      : [...model.measures.values()]
          .filter((m) => reachedSources(model, m.source).includes(key))
          .map((m) => m.name.toLowerCase());
  const direct = [...model.kpis.values()].filter((k) => k.measures.some((m) => measures.includes(m)));
  const kpis = new Set(direct.map((k) => k.name));
  // Derived KPIs that read an impacted KPI, transitively.
  for (let grew = true; grew; ) {
    grew = false;
    for (const kpi of model.kpis.values()) {
      if (kpis.has(kpi.name) || !kpi.value) continue;
      if (refNames(kpi.value).some((n) => [...kpis].some((k) => k.toLowerCase() === n.toLowerCase()))) {
        kpis.add(kpi.name);
        grew = true;
      }
    }
  }
  const measureNames = change.kind === 'measure' ? [] : measures.map((m) => model.measures.get(m)?.name ?? m);
  return { measures: measureNames.sort(), kpis: [...kpis].sort() };
}

/** An active KPI whose value changes meaning must say so with a higher `version`. */
function findingsOf(kpis: readonly KpiChange[]): Finding[] {
  const findings: Finding[] = [];
  for (const k of kpis) {
    const at = { kpi: k.name, file: k.file, line: k.line, column: k.column };
    if (
      k.change === 'changed' &&
      k.breaking &&
      k.status === 'active' &&
      (k.versionAfter ?? 1) <= (k.versionBefore ?? 1)
    ) {
      const what = k.parts
        .filter((p) => p.breaking)
        .map((p) => p.part)
        .join(', ');
      findings.push({
        ...at,
        severity: 'error',
        code: 'breaking-change-without-version',
        message: `KPI \`${k.name}\` is active and its value changes meaning (${what}), but its version is still ${k.versionAfter ?? 1}.`,
        help: `add \`version ${(k.versionBefore ?? 1) + 1}\` to the KPI so consumers know its numbers moved, or keep the old definition under a new name and deprecate it.`,
      });
    }
    if (k.change === 'removed' && k.status === 'active') {
      findings.push({
        ...at,
        severity: 'warn',
        code: 'active-kpi-removed',
        message: `KPI \`${k.name}\` was active and is removed: dashboards and reports that read it break.`,
        help: 'deprecate it first (`status deprecated`, `replaced_by NEW`) and remove it in a later change.',
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------- helpers

const IGNORED = new Set(['span', 'nameSpan', 'file', 'type']);

/** Stable text of a definition without positions, for equality. */
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (key, inner: unknown) => {
      if (IGNORED.has(key)) return undefined;
      if (inner instanceof Map) return [...inner.entries()];
      if (typeof inner === 'bigint') return inner.toString();
      return inner;
    }) ?? 'undefined'
  );
}

function plain(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : canonical(value);
}

function shown(key: 'before' | 'after', text: string | undefined): Record<string, string> {
  return text === undefined ? {} : { [key]: text };
}

function sliceOf(side: Side, file: string, span: Span): string | undefined {
  const text = side.texts.get(file);
  return text === undefined ? undefined : text.slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ');
}

/** A declaration's text without its leading keyword, on one line. */
function itemText(side: Side, item: { file: string; span: Span }): string | undefined {
  return sliceOf(side, item.file, item.span)?.replace(/^measure\s+/, '');
}

function segmentsText(kpi: Kpi): string {
  return kpi.segments.map((s) => (s.qualifier ? `${s.qualifier}.${s.name}` : s.name)).join(', ');
}

function thresholdsText(side: Side, kpi: Kpi): string {
  return kpi.thresholds.map((t) => sliceOf(side, t.file, t.span) ?? `${t.level} ${t.op} ${t.value}`).join('; ');
}

/** Names referenced in an AST expression (`ref` nodes), for derived KPIs. */
function refNames(expr: unknown): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'ref') names.push((record['name'] as { text: string }).text);
    for (const [key, inner] of Object.entries(record)) if (key !== 'span') walk(inner);
  };
  walk(expr);
  return names;
}
