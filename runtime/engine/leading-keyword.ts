// The first keyword of a SQL statement, read without the engine.
//
// DuckDB carries out part of some statements while it prepares them:
// `EXPORT DATABASE` creates its target folder when bound, long before the
// prepared statement's type could be checked. The only engine-side
// classifier that does not bind (`json_serialize_sql`) lives in the json
// extension, which the sandbox never loads. So the engine refuses a
// statement whose leading keyword is not one of a read-only query's before
// it prepares anything, and checks the prepared type as a second line.

/** Keywords a read-only query may start with (after comments and opening parentheses). */
const QUERY_KEYWORDS: ReadonlySet<string> = new Set([
  'select',
  'with',
  'from',
  'values',
  'table',
  'describe',
  'summarize',
  'show',
]);

/**
 * The statement's first word, lower-cased, after blanks, `--` and (nested)
 * `/* *\/` comments and opening parentheses; `undefined` when none.
 *
 *   leadingKeyword('/* x *\/ (SELECT 1)') -> 'select'
 *   leadingKeyword("export database 'x'") -> 'export'
 */
export function leadingKeyword(sql: string): string | undefined {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '(' || /\s/.test(c)) {
      i += 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      i = skipBlockComment(sql, i);
    } else {
      const word = /^[A-Za-z_]+/.exec(sql.slice(i, i + 64));
      return word ? word[0].toLowerCase() : undefined;
    }
  }
  return undefined;
}

/** Whether a statement with this leading keyword can only be a query. */
export function isQueryKeyword(keyword: string | undefined): boolean {
  return keyword !== undefined && QUERY_KEYWORDS.has(keyword);
}

/** The offset after a block comment starting at `start`; DuckDB nests them. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}
