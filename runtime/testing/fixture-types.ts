// The column types a fixture table may have: a closed list.
//
// A type name reaches `create table` and `cast` in the fixture engine, and
// comes from files a pull request can change (`kpic.schema.json`, the
// `types` of a test file). So it is never pasted into SQL: it is parsed here
// against the list below and the SQL gets this module's own spelling of the
// type, or the name is refused.
//
//   fixtureType('decimal( 18 , 2 )')              -> 'DECIMAL(18,2)'
//   fixtureType('varchar[]')                      -> 'VARCHAR[]'
//   fixtureType('BIGINT); drop table customers')  -> undefined

const NAMES: Readonly<Record<string, string>> = {
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  LOGICAL: 'BOOLEAN',
  TINYINT: 'TINYINT',
  INT1: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT2: 'SMALLINT',
  SHORT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  INT4: 'INTEGER',
  SIGNED: 'INTEGER',
  BIGINT: 'BIGINT',
  INT8: 'BIGINT',
  LONG: 'BIGINT',
  HUGEINT: 'HUGEINT',
  INT128: 'HUGEINT',
  UTINYINT: 'UTINYINT',
  USMALLINT: 'USMALLINT',
  UINTEGER: 'UINTEGER',
  UBIGINT: 'UBIGINT',
  UHUGEINT: 'UHUGEINT',
  FLOAT: 'FLOAT',
  FLOAT4: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  FLOAT8: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  VARCHAR: 'VARCHAR',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  CHAR: 'VARCHAR',
  BPCHAR: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  DATETIME: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMP_S: 'TIMESTAMP_S',
  TIMESTAMP_MS: 'TIMESTAMP_MS',
  TIMESTAMP_NS: 'TIMESTAMP_NS',
  TIMESTAMP_US: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP WITH TIME ZONE',
  DECIMAL: 'DECIMAL(18,3)',
  NUMERIC: 'DECIMAL(18,3)',
  INTERVAL: 'INTERVAL',
  UUID: 'UUID',
  BLOB: 'BLOB',
  BYTEA: 'BLOB',
};

/** The longest type text worth parsing; every listed spelling is far shorter. */
const MAX_TYPE_LENGTH = 64;

/** Names that take a length, which the engine ignores: `VARCHAR(20)` is `VARCHAR`. */
const SIZED_TEXT = new Set(['VARCHAR', 'CHAR', 'BPCHAR', 'CHARACTER VARYING', 'STRING', 'TEXT']);

/** The canonical SQL spelling of a listed type, or undefined when the text is not one. */
export function fixtureType(text: string): string | undefined {
  if (text.length > MAX_TYPE_LENGTH) return undefined;
  const words = text
    .trim()
    .replace(/[ \t]+/g, ' ')
    .toUpperCase();
  const list = /^(.*?)((?: ?\[\])*)$/.exec(words);
  if (!list) return undefined;
  const [, base = '', brackets = ''] = list;
  const depth = (brackets.match(/\[\]/g) ?? []).length;
  if (depth > 2) return undefined;
  const scalar = scalarType(base.trim());
  return scalar === undefined ? undefined : scalar + '[]'.repeat(depth);
}

function scalarType(text: string): string | undefined {
  const named = NAMES[text];
  if (named !== undefined) return named;
  const sized = /^([A-Z][A-Z ]*?) ?\( ?(\d{1,3}) ?(?:, ?(\d{1,3}) ?)?\)$/.exec(text);
  if (!sized) return undefined;
  const [, name = '', p = '', s] = sized;
  if (SIZED_TEXT.has(name) && s === undefined) return 'VARCHAR';
  if (name !== 'DECIMAL' && name !== 'NUMERIC') return undefined;
  const precision = Number(p);
  const scale = s === undefined ? 0 : Number(s);
  if (precision < 1 || precision > 38 || scale > precision) return undefined;
  return `DECIMAL(${precision},${scale})`;
}

/** What a user can write, for messages. */
export const FIXTURE_TYPE_EXAMPLES =
  'BOOLEAN, INTEGER, BIGINT, DOUBLE, DECIMAL(18,2), VARCHAR, DATE, TIMESTAMP, TIMESTAMPTZ, INTERVAL, UUID, or a list of one such as VARCHAR[]';
