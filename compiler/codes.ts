// Every diagnostic code kpic emits, in one typed table.
//
// HOW TO ADD A CODE (or emit an existing one from a new place):
//   1. Add an entry to ERROR_CODES below: severity, area, a one-line summary,
//      and the message template, with `{name}` for each parameter. Keep the
//      table sorted by code. Codes are kebab-case and never renamed once
//      released (CI configuration, suppressions and SARIF refer to them).
//   2. Write docs/errors/<code>.md (copy the layout of a neighbour): what it
//      means, an example under "## Example" that produces it, the fix.
//      `tests/errors/pages.test.ts` runs every page's example and fails when
//      a code has no page, a page has no code, or an example does not
//      produce its code.
//   3. Emit it: `Diagnostic.code` is typed `DiagnosticCode`, so `tsc` fails
//      on a code that is not in this table (or is not a lint rule id).
//      `formatMessage(code, params)` fills the template with typed params.
//
// Lint rules are not listed here: their ids, messages and pages live in
// their metadata (compiler/lint/rules/, docs/rules/). `LINT_RULE_IDS` names
// them for the type; `docPageOf` gives the page of any code of either kind.

import type { Severity } from './diagnostics.ts';

/** Where in kpic's work a code is found. */
export type CodeArea =
  | 'syntax' // reading a .kpi file: characters, tokens, grammar
  | 'project' // kpic.yaml, the project's files and paths
  | 'model' // names, types and rules of the declarations
  | 'query' // a KPI run with flags (--grain, --from, --compare, ...)
  | 'data' // what the data or the engine says
  | 'format' // kpic fmt
  | 'diff' // kpic diff between two versions
  | 'internal'; // a bug of kpic

export interface CodeInfo {
  /** The severity the code is reported with. */
  readonly severity: Severity;
  readonly area: CodeArea;
  /** One line: what the code means. */
  readonly summary: string;
  /** The message's usual form; `{name}` is a parameter (see `codeParams`). */
  readonly message: string;
}

export const ERROR_CODES = {
  'active-kpi-removed': {
    severity: 'warn',
    area: 'diff',
    summary: 'An active KPI was removed instead of deprecated first.',
    message: 'KPI `{kpi}` was active and is removed: dashboards and reports that read it break.',
  },
  'aggregate-not-allowed': {
    severity: 'error',
    area: 'model',
    summary: 'An aggregate function is used where an expression is evaluated once per row.',
    message: '`{function}` is an aggregate, and this expression is evaluated once per row.',
  },
  'aggregate-source': {
    severity: 'error',
    area: 'model',
    summary: 'An aggregated dimension names no source, or a source that cannot be aggregated per key.',
    message: '`{source}` has no link to `{entity}`, so its rows cannot be aggregated per `{entity}` key.',
  },
  'alert-escalates-to-nobody': {
    severity: 'warn',
    area: 'model',
    summary: 'An alert escalates but names no accountable role to tell.',
    message: 'alert `{alert}` escalates after {periods} periods, but names no `accountable` role to tell.',
  },
  'alert-without-grain': {
    severity: 'error',
    area: 'model',
    summary: 'An alert watches periods of a KPI that has no grain.',
    message: 'alert `{alert}` watches periods, and its KPI has no `grain`.',
  },
  'ambiguous-name': {
    severity: 'error',
    area: 'model',
    summary: 'A dimension name is found on several sources at the same distance.',
    message: '`{name}` is a dimension of {sources}, all {distance} link(s) away from `{root}`, so it is ambiguous.',
  },
  'ambiguous-path': {
    severity: 'error',
    area: 'model',
    summary: 'A source is reached along two different paths of the same length.',
    message:
      '`{target}` is reached from `{root}` along two different paths of the same length, so the join to use is ambiguous.',
  },
  'at-requires-valid': {
    severity: 'error',
    area: 'model',
    summary: 'An `at period start|end` measure is on a source without `valid from ... to ...`.',
    message:
      '`at period {edge}` counts the rows valid at an instant, but `{source}` declares no `valid from ... to ...`.',
  },
  'bidi-control-character': {
    severity: 'error',
    area: 'syntax',
    summary: 'A bidirectional control character, which can make code display differently from how it is read.',
    message:
      'bidirectional control character {character}: it can make the code display differently from how it is read',
  },
  'breaking-change-without-version': {
    severity: 'error',
    area: 'diff',
    summary: 'An active KPI changes meaning without a new version.',
    message: 'KPI `{kpi}` is active and its value changes meaning ({parts}), but its version is still {version}.',
  },
  'cohort-dimension': {
    severity: 'error',
    area: 'query',
    summary: '`cohort by` names something other than a date or timestamp dimension of the customer entity.',
    message: '`cohort by` names a dimension of the customer entity `{entity}`, not of `{source}`.',
  },
  'cohort-in-derived': {
    severity: 'error',
    area: 'query',
    summary: 'A derived KPI combines a KPI by cohort, or has `cohort by` itself.',
    message: 'KPI `{kpi}` is by cohort: a derived KPI combines KPIs per calendar period.',
  },
  'cohort-unreachable': {
    severity: 'error',
    area: 'query',
    summary: 'The measures of a cohort KPI cannot reach the customer entity.',
    message: 'the measures of `{source}` cannot reach the customer entity, so they have no cohort.',
  },
  'cohort-unsupported': {
    severity: 'error',
    area: 'query',
    summary: 'A cohort KPI uses something that cannot be counted per period since the cohort.',
    message: 'measure `{measure}` cannot be counted per period since the cohort: {reason}.',
  },
  'cohort-without-grain': {
    severity: 'error',
    area: 'query',
    summary: 'A cohort KPI is run without a grain.',
    message: 'KPI `{kpi}` is by cohort: its cohorts and the periods since them need a grain.',
  },
  'compare-without-grain': {
    severity: 'error',
    area: 'query',
    summary: '`--compare previous` on a query without calendar periods.',
    message: '`--compare previous` compares each period with the one before, and this query of `{kpi}` has no grain.',
  },
  'components-not-derived': {
    severity: 'error',
    area: 'query',
    summary: '`--components` on a KPI that is not derived.',
    message: '`--components` shows the inputs of a derived KPI, and `{kpi}` is computed from measures.',
  },
  'config-invalid-value': {
    severity: 'error',
    area: 'project',
    summary: 'A setting of kpic.yaml has a value of the wrong kind.',
    message: '{setting} must be {expected}.',
  },
  'config-syntax-error': {
    severity: 'error',
    area: 'project',
    summary: 'kpic.yaml is not valid YAML.',
    message: '{problem}',
  },
  'config-unknown-key': {
    severity: 'warn',
    area: 'project',
    summary: 'kpic.yaml has a setting kpic does not know; it is ignored.',
    message: '`{setting}` is not a setting of kpic.yaml; it is ignored.',
  },
  'conflicting-items': {
    severity: 'error',
    area: 'model',
    summary: 'Two items of a declaration exclude each other.',
    message:
      '`{kpi}` has both `value` and `{item}`; a KPI is either numerator / denominator or a `value` derived from other KPIs.',
  },
  'data-malformed-row': {
    severity: 'error',
    area: 'data',
    summary:
      "A row of a CSV data file cannot be read as the file's columns (a text in a number column, a wrong number of fields, a different line ending).",
    message: 'line {line}, column `{column}` of `{file}`: expected {expected}, found `{found}`.',
  },
  'derived-chain-too-deep': {
    severity: 'error',
    area: 'query',
    summary: 'A KPI is derived through more levels of derived KPIs than kpic allows.',
    message: 'KPI `{kpi}` is derived through more than {limit} levels of derived KPIs (the limit).',
  },
  'derived-grain-mismatch': {
    severity: 'warn',
    area: 'query',
    summary: 'A derived KPI built for one grain is run by another.',
    message: 'KPI `{kpi}` is built for grain {grain} and is run by {queryGrain}: {reason}.',
  },
  'derived-kpi-where': {
    severity: 'error',
    area: 'model',
    summary: 'A derived KPI has a `where`, which would filter nothing of its own.',
    message: 'KPI `{kpi}` is derived from other KPIs; a `where` on it would filter nothing of its own.',
  },
  'derived-without-kpi': {
    severity: 'error',
    area: 'model',
    summary: "A derived KPI's `value` names no KPI.",
    message: 'KPI `{kpi}` is derived, but its `value` uses no KPI: a derived value combines the values of other KPIs.',
  },
  'dialect-unsupported': {
    severity: 'error',
    area: 'query',
    summary: 'A source reads a kind of file the chosen engine cannot read.',
    message: 'source `{source}` reads the file `{path}`, which the {dialect} dialect cannot read.',
  },
  'dimension-cycle': {
    severity: 'error',
    area: 'model',
    summary: 'A computed dimension is defined in terms of itself.',
    message: 'the dimension `{dimension}` of `{source}` is defined in terms of itself.',
  },
  'duplicate-customer': {
    severity: 'error',
    area: 'model',
    summary: 'The project declares more than one customer entity.',
    message:
      '`{name}` is a second customer entity; `{first}` ({place}) is already the customer, and a project has exactly one.',
  },
  'duplicate-item': {
    severity: 'error',
    area: 'model',
    summary: 'A declaration has an item twice that it takes once.',
    message: '`{declaration}` has more than one `{item}`; it takes one.',
  },
  'duplicate-modifier': {
    severity: 'error',
    area: 'syntax',
    summary: 'A measure gives a modifier twice, or two that exclude each other.',
    message: '`{modifier}` is given twice in `measure {measure}`',
  },
  'duplicate-name': {
    severity: 'error',
    area: 'model',
    summary: 'Two declarations (or two items of one source) have the same name.',
    message: 'the {kind} `{name}` is already declared at {place}; {kind} names are unique across the project.',
  },
  'empty-name': {
    severity: 'error',
    area: 'syntax',
    summary: 'A backticked name with nothing between the backticks.',
    message: 'a backticked name cannot be empty',
  },
  'empty-range': {
    severity: 'error',
    area: 'query',
    summary: '`--from` is not before `--to`.',
    message: 'the range is empty: `--from {from}` is not before `--to {to}` (`--to` is exclusive).',
  },
  'expression-too-deep': {
    severity: 'error',
    area: 'model',
    summary: 'An expression (with its dimensions inlined) nests more operators than the engine accepts.',
    message: '{what} nests {depth} operators inside each other; kpic accepts at most {limit} levels.',
  },
  'file-too-large': {
    severity: 'error',
    area: 'syntax',
    summary: 'A `.kpi` file is larger than 1 MiB.',
    message: 'this file is {bytes} bytes long; a `.kpi` file may be at most {limit} bytes (1 MiB)',
  },
  'file-unreadable': {
    severity: 'error',
    area: 'project',
    summary: 'A project file cannot be read (not a regular file, or refused by the safe reader).',
    message: '{reason}',
  },
  'filter-unreachable': {
    severity: 'warn',
    area: 'query',
    summary: 'A `--where` term names a dimension some measures of the KPI cannot reach.',
    message: '`{term}` filters only the measures that reach `{dimension}`: {measures} cannot reach it.',
  },
  'fmt-comment-unplaceable': {
    severity: 'error',
    area: 'format',
    summary: 'The formatter cannot keep a comment in its place.',
    message: 'the formatter cannot keep this comment in its place',
  },
  'fmt-failed': {
    severity: 'error',
    area: 'internal',
    summary: 'The formatter could not print a file without changing its meaning (a bug of kpic).',
    message: 'the formatter could not print this file without changing its meaning',
  },
  'grain-without-time': {
    severity: 'error',
    area: 'query',
    summary: 'A KPI is run by periods, and none of its measures has a time column.',
    message: 'KPI `{kpi}` has no measure with a time column, so its periods by {grain} cannot be found in the data.',
  },
  'internal-error': {
    severity: 'error',
    area: 'internal',
    summary: 'kpic failed on its own (a bug of kpic).',
    message: 'the parser failed on this file: {detail}',
  },
  'invalid-alert': {
    severity: 'error',
    area: 'model',
    summary: 'An alert lacks its condition or has an item that does not fit.',
    message: '{problem}',
  },
  'invalid-character': {
    severity: 'error',
    area: 'syntax',
    summary: 'A character that is not part of the language outside strings, comments and backticked names.',
    message: 'unexpected character {character}',
  },
  'invalid-date': {
    severity: 'error',
    area: 'syntax',
    summary: 'A date in a `.kpi` file is not a real calendar date in `YYYY-MM-DD` form.',
    message: '`{text}` is not a date: write `from YYYY-MM-DD`, a real calendar date, without spaces',
  },
  'invalid-duration': {
    severity: 'error',
    area: 'syntax',
    summary: 'A duration that is not a whole number of units.',
    message: 'a duration is a whole number of units; `{duration}` is not',
  },
  'invalid-encoding': {
    severity: 'error',
    area: 'project',
    summary: 'A `.kpi` file is not valid UTF-8.',
    message: '{file} is not valid UTF-8: byte {byte} at byte offset {offset} cannot start or continue a character.',
  },
  'invalid-escape': {
    severity: 'error',
    area: 'syntax',
    summary: 'A backslash escape in a string that the language does not have.',
    message: '`\\{escape}` is not an escape of the language',
  },
  'invalid-expression': {
    severity: 'error',
    area: 'model',
    summary: 'An expression has a form its place does not allow (numerator, derived `value`, `previous`, `score`).',
    message: '{problem}',
  },
  'invalid-include': {
    severity: 'error',
    area: 'project',
    summary: 'An `include:` entry of kpic.yaml names nothing that exists.',
    message: 'include `{entry}` does not exist (looked for {path}).',
  },
  'invalid-last': {
    severity: 'error',
    area: 'query',
    summary: '`--last` is not a number of periods.',
    message: '`--last {value}` is not a number of periods.',
  },
  'invalid-literal': {
    severity: 'error',
    area: 'model',
    summary: 'A literal that cannot be read as its type (a date, a number).',
    message: '{problem}',
  },
  'invalid-number': {
    severity: 'error',
    area: 'model',
    summary: 'A number item (window, threshold, scale, decimals, min_sample) has a value it does not accept.',
    message: '`{field}` must be {expected}.',
  },
  'invalid-percentile': {
    severity: 'error',
    area: 'model',
    summary: 'The second argument of `percentile` is not a number between 0 and 1.',
    message: 'the percentile must be between 0 and 1, not {value}.',
  },
  'invalid-range': {
    severity: 'error',
    area: 'query',
    summary: '`--from` or `--to` is not a date.',
    message: '`{flag} {text}` is not a date: write `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`.',
  },
  'invalid-retention': {
    severity: 'error',
    area: 'model',
    summary:
      'A `retained`/`churned` measure is not a distinct count of the customer, or has modifiers that exclude it.',
    message: '{problem}',
  },
  'invalid-sql': {
    severity: 'error',
    area: 'data',
    summary: "A KPI's SQL does not prepare on the engine (`kpic check --prepare`).",
    message: 'the SQL of KPI `{kpi}` does not prepare on {engine}: {problem}',
  },
  'invalid-status': {
    severity: 'error',
    area: 'query',
    summary: '`--status` names something that is not a status.',
    message: "`{status}` is not a status; a row's status is one of {statuses}.",
  },
  'invalid-target-table': {
    severity: 'error',
    area: 'model',
    summary:
      'A threshold names a target table that is not one: no such source, no `time`, no such column, or a KPI without a grain.',
    message: '{problem}',
  },
  'invalid-value': {
    severity: 'error',
    area: 'model',
    summary: 'An item has a word it does not accept (a status, a direction, a format).',
    message: '`{value}` is not a valid `{field}`; it is one of {allowed}.',
  },
  'invisible-character': {
    severity: 'error',
    area: 'syntax',
    summary: 'An invisible character (zero-width space, joiner, BOM) outside strings and comments.',
    message: 'invisible character {character}: it changes the text without showing on screen',
  },
  'kpi-cycle': {
    severity: 'error',
    area: 'model',
    summary: 'A derived KPI depends on itself.',
    message: 'KPI `{kpi}` depends on itself: {cycle}.',
  },
  'kpi-without-measure': {
    severity: 'error',
    area: 'query',
    summary: "A KPI's numerator and denominator are numbers only.",
    message:
      'KPI `{kpi}` uses no measure: its numerator and denominator are numbers only, so there is nothing in the data to compute.',
  },
  'kpi-without-numerator': {
    severity: 'error',
    area: 'query',
    summary: 'A KPI to plan has no numerator.',
    message: 'KPI `{kpi}` has no numerator.',
  },
  'last-without-grain': {
    severity: 'error',
    area: 'query',
    summary: '`--latest` or `--last` on a query without calendar periods.',
    message: '`--latest` and `--last` choose the latest calendar periods, and this query of `{kpi}` has no grain.',
  },
  'link-type-mismatch': {
    severity: 'error',
    area: 'model',
    summary: 'A link joins columns of different kinds.',
    message: '`{from}` is {fromType} but `{to}` is {toType}; a link compares columns of one kind.',
  },
  'missing-customer': {
    severity: 'error',
    area: 'model',
    summary: 'The project declares no customer entity.',
    message:
      'the project declares no customer entity; every KPI must reach the customer, so exactly one `customer` declaration is required.',
  },
  'missing-key': {
    severity: 'error',
    area: 'model',
    summary: 'A customer entity, a linked source or a derived source declares no `key`.',
    message:
      'the customer entity `{entity}` declares no `key`; its key is the customer key that every source links to.',
  },
  'missing-numerator': {
    severity: 'error',
    area: 'model',
    summary: 'A KPI has neither `numerator` nor `value`.',
    message: '`{kpi}` has no `numerator` (nor a `value`), so it has nothing to compute.',
  },
  'name-too-long': {
    severity: 'error',
    area: 'syntax',
    summary: 'A name longer than 255 characters.',
    message: 'this name is {length} characters long; names are limited to {limit}',
  },
  'nesting-too-deep': {
    severity: 'error',
    area: 'syntax',
    summary: 'An expression nests parentheses, `case` or prefix operators deeper than 256 levels.',
    message: 'this expression nests deeper than {limit} levels (parentheses, `case` and prefix operators)',
  },
  'non-unique-key': {
    severity: 'error',
    area: 'data',
    summary: 'The key a link joins to is not unique in the data, so the join would count rows more than once.',
    message: '`{source}.{key}` is the key `{link}` joins to, but {duplicates} of its values occur more than once.',
  },
  'not-an-aggregate': {
    severity: 'error',
    area: 'model',
    summary: 'A measure is not an aggregate.',
    message: 'a measure is an aggregate, such as `count()` or `sum(amount)`.',
  },
  'previous-without-grain': {
    severity: 'error',
    area: 'query',
    summary: '`previous` in a derived KPI run without a grain.',
    message: '`previous` needs periods, and this query has no grain.',
  },
  'retention-with-window': {
    severity: 'error',
    area: 'query',
    summary: 'A `retained`/`churned` measure in a KPI with a trailing `window`.',
    message:
      "measure `{measure}` is `{retention}`: it compares whole periods, so the KPI's `window` cannot apply to it.",
  },
  'retention-without-grain': {
    severity: 'error',
    area: 'query',
    summary: 'A `retained`/`churned` measure in a query without a grain.',
    message:
      'measure `{measure}` is `{retention}`: it compares each period with the one before, and this query of `{kpi}` has no grain.',
  },
  'schema-snapshot-invalid': {
    severity: 'warn',
    area: 'project',
    summary: 'The schema snapshot file cannot be used.',
    message: '{file} cannot be used: {problem}. Relations whose data is missing are not type-checked.',
  },
  'segment-name-clash': {
    severity: 'error',
    area: 'query',
    summary: 'A segment has the name of a result column, or of another segment.',
    message: 'the segment `{segment}` has the name of a result column.',
  },
  'segment-unreachable': {
    severity: 'error',
    area: 'query',
    summary: 'No measure of the KPI can reach the dimension it is segmented by.',
    message:
      'no measure of this KPI can reach `{segment}`: its sources have no many-to-one path to the source that holds it.',
  },
  'snapshot-without-valid': {
    severity: 'error',
    area: 'query',
    summary: 'An `at period start|end` measure whose source has no `valid from ... to ...`.',
    message: 'measure `{measure}` is counted `at period {edge}`, but its source has no `valid from ... to ...`.',
  },
  'source-cycle': {
    severity: 'error',
    area: 'model',
    summary: 'Sources are derived from each other in a cycle.',
    message:
      'these sources are derived from each other in a cycle: {cycle}; a derived source needs a source that reads data.',
  },
  'source-unreadable': {
    severity: 'error',
    area: 'data',
    summary: "A source's file or table cannot be read (missing, not a regular file, or the engine refuses it).",
    message: '`{source}` cannot be read: {problem}',
  },
  'syntax-error': {
    severity: 'error',
    area: 'syntax',
    summary: 'The text does not follow the grammar of the language.',
    message: 'expected {expected}{after}{found}',
  },
  'time-type': {
    severity: 'error',
    area: 'model',
    summary: 'A `time` or `valid from/to` column is not a date or timestamp.',
    message: '`{column}` is {type} ({sqlType}), but {role} must be a date or timestamp.',
  },
  'type-mismatch': {
    severity: 'error',
    area: 'model',
    summary: 'An operator or function is given a value of the wrong type.',
    message: '`{function}` needs {expected}, but this is {actual}.',
  },
  'unclosed-block': {
    severity: 'error',
    area: 'syntax',
    summary: 'A declaration body opened with `{` is not closed.',
    message: 'expected `}` to close `{block}` opened at {place}',
  },
  'unexpected-where': {
    severity: 'error',
    area: 'model',
    summary: 'A `where` on a dimension that is not aggregated.',
    message: '`where` filters the rows an aggregated dimension aggregates, but `{dimension}` is not aggregated.',
  },
  'unknown-column': {
    severity: 'error',
    area: 'model',
    summary: 'A name is not a column (or dimension) of the source.',
    message: '`{name}` is not a column of `{source}` ({role}).',
  },
  'unknown-dimension': {
    severity: 'error',
    area: 'model',
    summary: 'A name in a KPI, a segment or `--where` is not a dimension the KPI can reach.',
    message: '`{name}` is not a dimension of `{source}` or of the sources it reaches.',
  },
  'unknown-file-format': {
    severity: 'error',
    area: 'model',
    summary: 'A file source has an extension kpic cannot read.',
    message: '"{path}" has an extension kpic cannot read.',
  },
  'unknown-function': {
    severity: 'error',
    area: 'model',
    summary: 'A function that the language does not have.',
    message: '`{function}` is not a function of the language.',
  },
  'unknown-item': {
    severity: 'error',
    area: 'syntax',
    summary: 'A word that is not an item of the declaration it is in.',
    message: '`{word}` is not an item of {owner} (in `{declaration}`)',
  },
  'unknown-kpi': {
    severity: 'error',
    area: 'model',
    summary: 'A name that is not a KPI of the project.',
    message: '`{kpi}` is not a KPI of the project.',
  },
  'unknown-measure': {
    severity: 'error',
    area: 'model',
    summary: 'A name in a numerator or denominator is not a measure of the project.',
    message: '`{measure}` is not a measure of the project.',
  },
  'unknown-source': {
    severity: 'error',
    area: 'model',
    summary: 'A name that is not a source of the project.',
    message: '`{source}` is not a source of the project.',
  },
  'unknown-timezone': {
    severity: 'error',
    area: 'project',
    summary: '`timezone` in kpic.yaml is not an IANA time zone.',
    message: '`{timezone}` is not a time zone: `timezone` takes an IANA name such as `Europe/Paris` or `UTC`.',
  },
  'unknown-unit': {
    severity: 'error',
    area: 'model',
    summary: 'A time unit argument that is not a unit, or is not in quotes.',
    message: 'the unit of `{function}` is written in quotes: `"{unit}"`.',
  },
  'unknown-value': {
    severity: 'warn',
    area: 'data',
    summary:
      'A text literal compared with a column is none of the values the data (or the schema snapshot) has for it.',
    message: '{value} is not a value of {columns} in the data, so this comparison {outcome}.',
  },
  'unreachable-source': {
    severity: 'error',
    area: 'model',
    summary: 'A qualified name refers to a source that this source has no link to.',
    message: '`{target}` cannot be reached from `{root}`.',
  },
  'unsafe-path': {
    severity: 'error',
    area: 'project',
    summary: 'A path leads outside the project or the data root (`..`, an absolute path, a symbolic or hard link).',
    message: '"{path}" cannot be read: {reason}.',
  },
  'unterminated-name': {
    severity: 'error',
    area: 'syntax',
    summary: 'A backticked name has no closing backtick on its line.',
    message: 'this backticked name has no closing backtick on its line',
  },
  'unterminated-string': {
    severity: 'error',
    area: 'syntax',
    summary: 'A string has no closing quote on its line.',
    message: 'this string has no closing `{quote}` on its line',
  },
  'wrong-arity': {
    severity: 'error',
    area: 'model',
    summary: 'A function is given the wrong number of arguments.',
    message: '`{function}` takes {expected} argument(s), not {actual}.',
  },
} as const satisfies Record<string, CodeInfo>;

/** A code of the table: what `tsc` accepts as a compiler or runtime diagnostic code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every lint rule id (compiler/lint/rules/ and the framework findings); a test keeps this list equal to the rules' metadata. */
export const LINT_RULE_IDS = [
  'customer-reference',
  'inverted-perspective',
  'company-perspective',
  'internal-comparison',
  'missing-owner',
  'missing-description',
  'missing-thresholds',
  'threshold-order',
  'deprecated-reference',
  'unused-measure',
  'naming',
  'rate-population',
  'nullable-score-component',
  'unknown-rule',
  'suppression-missing-reason',
  'unused-suppression',
] as const;

export type LintRuleId = (typeof LINT_RULE_IDS)[number];

/** Any code a diagnostic can carry. */
export type DiagnosticCode = ErrorCode | LintRuleId;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters of a code's message template. */
export type MessageParams<C extends ErrorCode> = Readonly<
  Record<Placeholders<(typeof ERROR_CODES)[C]['message']>, string | number>
>;

/** The parameter names of a code's template, in order of first use. */
export function codeParams(code: ErrorCode): string[] {
  const names = [...ERROR_CODES[code].message.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

/** A code's message template filled with its parameters; `tsc` checks that every parameter is given. */
export function formatMessage<C extends ErrorCode>(code: C, params: MessageParams<C>): string {
  const values = params as Readonly<Record<string, string | number>>;
  return ERROR_CODES[code].message.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`message of ${code}: parameter {${name}} has no value`);
    return String(value);
  });
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

export function isLintRuleId(code: string): code is LintRuleId {
  return (LINT_RULE_IDS as readonly string[]).includes(code);
}

/**
 * The documentation page of any code, relative to the package root (where
 * `docs/` ships): `docs/errors/<code>.md` for the table's codes,
 * `docs/rules/<id>.md` for lint rules; `undefined` for an unknown code.
 */
export function docPageOf(code: string): string | undefined {
  if (isErrorCode(code)) return `docs/errors/${code}.md`;
  if (isLintRuleId(code)) return `docs/rules/${code}.md`;
  return undefined;
}
