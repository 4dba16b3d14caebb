// The resolver's working state: one record per source while the model is built.

import type { ComputedDimensionItem, KpiDecl, Name, SourceDecl } from '../syntax/ast.ts';
import type { PhysicalRelation } from './catalog.ts';
import type { Check, Column, DerivedRelation, Dimension, Link, Measure } from './model.ts';
import type { Sink } from './report.ts';
import type { Scope } from './scope.ts';

/** A declared dimension, before its type is known. */
export type DimensionDecl =
  | {
      readonly kind: 'column';
      readonly name: Name;
      readonly internal: boolean;
      readonly span: ComputedDimensionItem['span'];
    }
  | { readonly kind: 'expr'; readonly name: Name; readonly item: ComputedDimensionItem };

export interface SourceState {
  readonly key: string;
  readonly decl: SourceDecl;
  readonly file: string;
  relation?: PhysicalRelation | DerivedRelation;
  columns: Map<string, Column>;
  schemaKnown: boolean;
  /** The relation could not be resolved at all (unknown parent, cycle, unreadable): names are not checked. */
  broken: boolean;
  keyColumn?: string;
  links: Link[];
  time?: string;
  valid?: { from: string; to: string };
  description?: string;
  readonly dimensionDecls: Map<string, DimensionDecl>;
  readonly dimensions: Map<string, Dimension>;
  /** Computed dimensions: the operator depth of the expression once inlined (depth.ts). */
  readonly dimensionDepths: Map<string, number>;
  /** Keys of dimensions that failed to resolve (reported once): expressions using them fail silently. */
  readonly failedDimensions: Set<string>;
  /** Lower-cased names of dimensions being resolved: a second visit is a cycle. */
  readonly resolving: Set<string>;
  readonly measures: string[];
  readonly checks: Check[];
}

export interface KpiState {
  readonly key: string;
  readonly decl: KpiDecl;
  readonly file: string;
}

export interface ResolveState {
  readonly sink: Sink;
  /** In declaration order: files sorted by path, then position. */
  readonly sources: Map<string, SourceState>;
  readonly kpis: Map<string, KpiState>;
  customer?: string;
  readonly measures: Map<string, Measure>;
  /** Every measure declared once (resolved or not), by lower-cased name: KPIs do not report measures that failed. */
  readonly declaredMeasures: Map<string, { readonly name: string; readonly source: string }>;
  /** Set once sources have their columns and links. */
  scope?: Scope;
}

export function newSourceState(key: string, decl: SourceDecl, file: string): SourceState {
  return {
    key,
    decl,
    file,
    columns: new Map(),
    schemaKnown: false,
    broken: false,
    links: [],
    dimensionDecls: new Map(),
    dimensions: new Map(),
    dimensionDepths: new Map(),
    failedDimensions: new Set(),
    resolving: new Set(),
    measures: [],
    checks: [],
  };
}
