// The public API of the kpic compiler: text in, SQL text out, no I/O.
//
//   const file = parseFile(text, 'metrics/nps.kpi').value;
//   const model = resolveProject([file], catalog, { timezone: 'UTC' }).value;
//   const sql = compileQuery(model, { kpi: 'nps', grain: 'month' }, { dataRoot: '/data' }).value?.sql;
//
// The stages and the type at every arrow are in compiler/README.md.

export type { Diagnostic, Result, Severity } from './diagnostics.ts';
export type { CodeArea, CodeInfo, DiagnosticCode, ErrorCode, LintRuleId, MessageParams } from './codes.ts';
export {
  codeParams,
  docPageOf,
  ERROR_CODES,
  formatMessage,
  isErrorCode,
  isLintRuleId,
  LINT_RULE_IDS,
} from './codes.ts';
export { appendAll, hasErrors, sortDiagnostics, suggest } from './diagnostics.ts';
export type * from './syntax/ast.ts';
export { parseExpression, parseFile } from './syntax/parse.ts';
export { formatFile } from './syntax/format.ts';
export type {
  Catalog,
  CatalogColumn,
  CatalogEntry,
  CsvDialect,
  FileReadOptions,
  PhysicalRelation,
  ScalarType,
} from './semantic/catalog.ts';
export { catalogFromEntries, EMPTY_CATALOG, relationKey, scalarTypeOf, writableDialect } from './semantic/catalog.ts';
export type * from './semantic/model.ts';
export { listRelations } from './semantic/relations.ts';
export { resolveProject } from './semantic/resolve.ts';
export { errorsAffecting, errorsOfDeclaredKpi } from './semantic/affects.ts';
export { bindExpr } from './semantic/bind.ts';
export { nameKey } from './semantic/names.ts';
export { MAX_EXPRESSION_DEPTH } from './semantic/depth.ts';
export type { CompiledQuery, CompileOptions, Dialect, Query, ResultColumn } from './plan/query.ts';
export { compileQuery } from './compile.ts';
export { describeSql } from './sql/relation.ts';
export type { LintConfig } from './lint/lint.ts';
export { ALL_RULE_METAS, lintModel } from './lint/lint.ts';
export { MAX_SHOWN_PER_FILE, renderDiagnostic, renderDiagnostics, renderSummary } from './render.ts';
export { escapeControls, escapeLine } from './escape.ts';

// Used by the runtime (the runtime imports the compiler only through this file).
export { FILE_START, dedupeDiagnostics } from './diagnostics.ts';
export { GRAINS } from './semantic/model.ts';
export type { ResultStatus } from './plan/query.ts';
export { RESULT_STATUSES } from './plan/query.ts';
export { distinctValuesSql, relationSql } from './sql/relation.ts';
export type { ValueColumn, ValueLiteral } from './semantic/value-literals.ts';
export {
  checkValueLiterals,
  columnsOfLiterals,
  MAX_DISTINCT_VALUES,
  MAX_VALUE_LENGTH,
  valueLiteralsOfModel,
  valueLiteralsOfWhere,
} from './semantic/value-literals.ts';
export type { RuleMeta } from './lint/rule.ts';
export { db, sqlText } from './sql/kysely.ts';
export { MAX_FILE_BYTES } from './syntax/limits.ts';
export { periodStart, shiftPeriod } from './calendar.ts';
export { parseBound } from './plan/range.ts';
