// `kpic.yaml`: the project file, validated field by field.
//
// Every field of the documented example is checked for its type and value.
// A wrong type or value is an error that points at the line and column in
// kpic.yaml (the project cannot be used as written); an unknown key is only
// a warning with a did-you-mean, so a typo never silently changes behaviour
// but a newer file still opens with an older kpic.

import { ENGINE_TIME_ZONES } from './timezones.ts';
import type { ErrorCode } from '../../compiler/index.ts';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { Diagnostic } from '../../compiler/index.ts';
import { FILE_START, suggest } from '../../compiler/index.ts';
import type { Span } from '../../compiler/index.ts';

export type RuleLevel = 'off' | 'info' | 'warn' | 'error';

export interface DataConfig {
  readonly engine: 'duckdb' | 'postgres';
  /** `:memory:` or a path relative to the project file. */
  readonly database: string;
  /** Relative to the project file. */
  readonly root: string;
  readonly threads: number;
  readonly memoryLimit: string;
  /** PostgreSQL: the environment variable holding a `postgres://` URL (else the standard PG* variables). */
  readonly urlEnv?: string;
  /** PostgreSQL: the schema of `table NAME` sources (the session's search_path). */
  readonly schema?: string;
  /** PostgreSQL: the server-side statement timeout, in milliseconds (default 120 s). */
  readonly statementTimeoutMs?: number;
  /** CSV files (paths or globs as written in `from "..."`) whose malformed rows are skipped and counted. */
  readonly skipMalformedRows?: readonly string[];
}

export interface ProjectConfig {
  readonly name?: string;
  /** Globs relative to the project file. */
  readonly metrics: readonly string[];
  /** Other `.kpi` files or folders, relative to the project file. */
  readonly include: readonly string[];
  readonly data: DataConfig;
  /** IANA time zone of the project's calendar periods. */
  readonly timezone: string;
  readonly lint: { readonly rules: Readonly<Record<string, RuleLevel>> };
}

/** Where each configured value is written, for diagnostics that point into kpic.yaml. */
export interface ConfigSpans {
  readonly include: readonly Span[];
  readonly database?: Span;
  readonly root?: Span;
  readonly rules: ReadonlyMap<string, Span>;
}

/**
 * The engine's real bounds. DuckDB takes up to 2^31 - 1 threads (more fails
 * with an internal error); kpic allows 1,024, far above any machine it runs on.
 * `memory_limit` below 64 MB cannot hold a query's first buffers (DuckDB runs
 * out of memory at once), and DuckDB refuses sizes of 100 PB and more.
 */
export const MAX_THREADS = 1024;
const MIN_MEMORY_BYTES = 64 * 1000 ** 2;
const MAX_MEMORY_BYTES = 1000 * 1000 ** 4;
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Bytes of a size such as `2GB`, `1.5 GiB` (DuckDB's forms), or undefined. */
export function memoryBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  return match && unit ? Number(match[1]) * unit : undefined;
}

export const DEFAULT_CONFIG: ProjectConfig = {
  metrics: ['**/*.kpi'],
  include: [],
  data: { engine: 'duckdb', database: ':memory:', root: '.', threads: 2, memoryLimit: '2GB' },
  timezone: 'UTC',
  lint: { rules: {} },
};

/** A kpic.yaml that cannot be used: kpic stops with exit code 2 and shows these diagnostics. */
export class ProjectFileError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of the files the diagnostics point into, by the diagnostics' `file`. */
  readonly texts: ReadonlyMap<string, string>;
  constructor(
    message: string,
    diagnostics: readonly Diagnostic[] = [],
    texts: ReadonlyMap<string, string> = new Map(),
  ) {
    super(message);
    this.name = 'ProjectFileError';
    this.diagnostics = diagnostics;
    this.texts = texts;
  }
}

export interface ParsedConfig {
  readonly config: ProjectConfig;
  readonly spans: ConfigSpans;
  /** Warnings (unknown keys); errors are thrown as `ProjectFileError`. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The longest path or glob in `metrics` and `include`: paths are at most 4,096 bytes on common systems. */
const MAX_PATH_TEXT = 4096;

const TOP_KEYS = ['name', 'metrics', 'include', 'data', 'timezone', 'lint'];
const DATA_KEYS = [
  'engine',
  'database',
  'root',
  'threads',
  'memory_limit',
  'url_env',
  'schema',
  'statement_timeout',
  'skip_malformed_rows',
];
const LINT_KEYS = ['rules'];

/** Parse and validate the text of a kpic.yaml; `file` is how diagnostics name it. */
export function parseConfig(text: string, file = 'kpic.yaml'): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new ConfigReader(file, lines);
  for (const error of doc.errors)
    reader.error('config-syntax-error', error.message.split('\n')[0]!, error.pos, 'kpic.yaml must be valid YAML.');
  if (doc.errors.length === 0) reader.readRoot(doc.contents as Node | null);
  const errors = reader.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new ProjectFileError(
      `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      reader.diagnostics,
      new Map([[file, text]]),
    );
  }
  return { config: reader.config, spans: reader.spans, diagnostics: reader.diagnostics };
}

class ConfigReader {
  readonly diagnostics: Diagnostic[] = [];
  config: ProjectConfig = DEFAULT_CONFIG;
  spans: { include: Span[]; database?: Span; root?: Span; rules: Map<string, Span> } = {
    include: [],
    rules: new Map(),
  };
  readonly #file: string;
  readonly #lines: LineCounter;

  constructor(file: string, lines: LineCounter) {
    this.#file = file;
    this.#lines = lines;
  }

  readRoot(node: Node | null): void {
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) {
      this.wrongType(node, 'the project file', 'a mapping of settings');
      return;
    }
    const values = this.entries(node, TOP_KEYS, '');
    const data = values.get('data');
    const lint = values.get('lint');
    this.config = {
      ...optional('name', this.text(values.get('name'), 'name')),
      metrics: this.textList(values.get('metrics'), 'metrics') ?? DEFAULT_CONFIG.metrics,
      include: this.textList(values.get('include'), 'include', this.spans.include) ?? [],
      data: data ? this.readData(data) : DEFAULT_CONFIG.data,
      timezone: this.timezone(values.get('timezone')),
      lint: { rules: lint ? this.readLint(lint) : {} },
    };
  }

  readData(node: Node): DataConfig {
    if (!isMap(node)) {
      this.wrongType(node, '`data`', 'a mapping (engine, database, root)');
      return DEFAULT_CONFIG.data;
    }
    const values = this.entries(node, DATA_KEYS, 'data.');
    const engine = this.choice(values.get('engine'), 'data.engine', ['duckdb', 'postgres'] as const);
    const database = this.text(values.get('database'), 'data.database');
    const root = this.text(values.get('root'), 'data.root');
    const threads = this.positiveInteger(values.get('threads'), 'data.threads', MAX_THREADS);
    const memoryLimit = this.memory(values.get('memory_limit'));
    const urlEnv = this.text(values.get('url_env'), 'data.url_env');
    if (urlEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(urlEnv))
      this.wrongType(
        values.get('url_env')!,
        '`data.url_env`',
        'the name of an environment variable, such as `KPIC_DATABASE_URL`',
      );
    const schema = this.text(values.get('schema'), 'data.schema');
    const statementTimeoutMs = this.duration(values.get('statement_timeout'), 'data.statement_timeout');
    const skipMalformedRows = this.textList(values.get('skip_malformed_rows'), 'data.skip_malformed_rows');
    if (database !== undefined) this.spans.database = this.span(values.get('database')!);
    if (root !== undefined) this.spans.root = this.span(values.get('root')!);
    const d = DEFAULT_CONFIG.data;
    return {
      engine: engine ?? d.engine,
      database: database ?? d.database,
      root: root ?? d.root,
      threads: threads ?? d.threads,
      memoryLimit: memoryLimit ?? d.memoryLimit,
      ...(urlEnv !== undefined ? { urlEnv } : {}),
      ...(schema !== undefined ? { schema } : {}),
      ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
      ...(skipMalformedRows !== undefined ? { skipMalformedRows } : {}),
    };
  }

  readLint(node: Node): Record<string, RuleLevel> {
    if (!isMap(node)) {
      this.wrongType(node, '`lint`', 'a mapping with `rules`');
      return {};
    }
    const rulesNode = this.entries(node, LINT_KEYS, 'lint.').get('rules');
    if (!rulesNode) return {};
    if (!isMap(rulesNode)) {
      this.wrongType(rulesNode, '`lint.rules`', 'a mapping of rule id to off | info | warn | error');
      return {};
    }
    const rules: Record<string, RuleLevel> = {};
    for (const pair of rulesNode.items) {
      const key = pair.key as Node;
      const id = isScalar(key) ? String(key.value) : '';
      // Levels and rule ids are the linter's to check (it knows its rules and
      // reports at the spans recorded here); only the shape is checked here.
      const value = pair.value as Node | null;
      if (value && isScalar(value) && typeof value.value === 'string') rules[id] = value.value as RuleLevel;
      else if (value) this.wrongType(value, `\`lint.rules.${id}\``, 'one of `off`, `info`, `warn`, `error`');
      this.spans.rules.set(id, this.span(key));
    }
    return rules;
  }

  /** The entries of a mapping by key; unknown keys are warned about. */
  entries(node: YAMLMap, known: readonly string[], prefix: string): Map<string, Node> {
    const values = new Map<string, Node>();
    for (const pair of node.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : '';
      if (!known.includes(name)) {
        const guess = suggest(name, known);
        this.report(
          'warn',
          'config-unknown-key',
          `\`${prefix}${name}\` is not a setting of kpic.yaml; it is ignored.`,
          key,
          guess
            ? `did you mean \`${prefix}${guess}\`?`
            : `the settings here are ${known.map((k) => `\`${prefix}${k}\``).join(', ')}.`,
        );
        continue;
      }
      if (pair.value !== null) values.set(name, pair.value as Node);
    }
    return values;
  }

  text(node: Node | undefined, field: string): string | undefined {
    if (!node) return undefined;
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    this.wrongType(node, `\`${field}\``, 'a non-empty text');
    return undefined;
  }

  textList(node: Node | undefined, field: string, spans?: Span[]): string[] | undefined {
    if (!node) return undefined;
    if (isScalar(node) && typeof node.value === 'string') {
      if (node.value.length > MAX_PATH_TEXT) {
        this.report(
          'error',
          'config-invalid-value',
          `\`${field}\` is ${node.value.length} characters long; a path or glob may be at most ${MAX_PATH_TEXT}.`,
          node,
          'write a shorter glob, e.g. "metrics/**/*.kpi".',
        );
        return [];
      }
      spans?.push(this.span(node));
      return [node.value];
    }
    if (!isSeq(node)) {
      this.wrongType(node, `\`${field}\``, 'a list of paths or globs');
      return undefined;
    }
    const list: string[] = [];
    for (const item of node.items as Node[]) {
      const value = this.text(item, `${field}[]`);
      if (value === undefined) continue;
      // The glob matcher gives up past 64 KiB with an internal error; no real path or glob comes close.
      if (value.length > MAX_PATH_TEXT) {
        this.report(
          'error',
          'config-invalid-value',
          `\`${field}[]\` is ${value.length} characters long; a path or glob may be at most ${MAX_PATH_TEXT}.`,
          item,
          'write a shorter glob, e.g. "metrics/**/*.kpi".',
        );
        continue;
      }
      list.push(value);
      spans?.push(this.span(item));
    }
    return list;
  }

  choice<T extends string>(node: Node | null | undefined, field: string, options: readonly T[]): T | undefined {
    if (!node) return undefined;
    const value = isScalar(node) ? String(node.value) : undefined;
    if (value !== undefined && (options as readonly string[]).includes(value)) return value as T;
    const guess = value === undefined ? undefined : suggest(value, options);
    this.report(
      'error',
      'config-invalid-value',
      `\`${field}\` must be one of ${options.map((o) => `\`${o}\``).join(', ')}${value === undefined ? '' : `, not \`${value}\``}.`,
      node,
      guess ? `did you mean \`${guess}\`?` : undefined,
    );
    return undefined;
  }

  positiveInteger(node: Node | undefined, field: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (!node) return undefined;
    if (
      isScalar(node) &&
      typeof node.value === 'number' &&
      Number.isInteger(node.value) &&
      node.value > 0 &&
      node.value <= max
    )
      return node.value;
    this.wrongType(node, `\`${field}\``, `a whole number from 1 to ${max}`);
    return undefined;
  }

  memory(node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const value = isScalar(node) ? String(node.value).trim() : '';
    const bytes = memoryBytes(value);
    if (bytes !== undefined && bytes >= MIN_MEMORY_BYTES && bytes <= MAX_MEMORY_BYTES) return value;
    this.wrongType(node, '`data.memory_limit`', 'a size from `64MB` to `1000TB`, such as `2GB` or `512MiB`');
    return undefined;
  }

  /** `120s`, `2min`, `500ms`, `1h`, or a bare number of seconds; in milliseconds. */
  duration(node: Node | undefined, field: string): number | undefined {
    if (!node) return undefined;
    const value = isScalar(node) ? String(node.value).trim() : '';
    const m = /^(\d+)\s*(ms|s|min|h)?$/.exec(value);
    const ms = m
      ? Number(m[1]) * { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'min' | 'h']
      : Number.NaN;
    // PostgreSQL's statement_timeout is an int of milliseconds.
    if (Number.isSafeInteger(ms) && ms > 0 && ms <= 2_147_483_647) return ms;
    this.wrongType(node, `\`${field}\``, 'a duration such as `120s`, `5min` or `500ms` (at most 24 days)');
    return undefined;
  }

  timezone(node: Node | undefined): string {
    const zone = this.text(node, 'timezone');
    if (zone === undefined) return DEFAULT_CONFIG.timezone;
    // Offsets (`+01:00`, `UTC+1`) are not zone names for the engine (DuckDB's ICU refuses them) though newer JavaScript takes them.
    const offset = /^[+-]|^(UTC|GMT)[+-]|^\d/i.test(zone);
    // The engine's own list (ICU names match without regard to case), and JavaScript must know it too:
    // the engine falls back to UTC without a word for a name it does not know (`Etc/Unknown`).
    if (!offset && ENGINE_ZONES.has(zone.toLowerCase()) && intlKnows(zone)) return zone;
    const guess = suggest(zone, ENGINE_TIME_ZONES.filter(intlKnows));
    const help = offset
      ? 'write a zone name such as `Europe/Berlin`; for a fixed offset, `Etc/GMT-1` is UTC+01:00 (the sign is inverted in `Etc/` names).'
      : guess
        ? `did you mean \`${guess}\`?`
        : 'write a zone such as `UTC`, `Europe/Berlin` or `America/New_York`.';
    this.report(
      'error',
      'config-invalid-value',
      `\`timezone\` \`${zone}\` is not a time zone the engine knows (an IANA name such as \`Europe/Berlin\`).`,
      node!,
      help,
    );
    return DEFAULT_CONFIG.timezone;
  }

  wrongType(node: Node, what: string, expected: string): void {
    this.report('error', 'config-invalid-value', `${what} must be ${expected}.`, node);
  }

  report(severity: 'error' | 'warn', code: ErrorCode, message: string, node: Node, help?: string): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      file: this.#file,
      span: this.span(node),
      ...optional('help', help),
    });
  }

  error(code: ErrorCode, message: string, pos: readonly [number, number], help: string): void {
    this.diagnostics.push({
      code,
      severity: 'error',
      message,
      file: this.#file,
      span: this.spanOf(pos[0], pos[1]),
      help,
    });
  }

  span(node: Node): Span {
    return node.range ? this.spanOf(node.range[0], node.range[1]) : FILE_START;
  }

  spanOf(start: number, end: number): Span {
    const at = (offset: number) => {
      const { line, col } = this.#lines.linePos(offset);
      return { offset, line: Math.max(line, 1), column: Math.max(col, 1) };
    };
    return { start: at(start), end: at(Math.max(end, start)) };
  }
}

/** `{ key: value }` when the value is defined, `{}` otherwise (keeps optional fields absent). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const ENGINE_ZONES: ReadonlySet<string> = new Set(ENGINE_TIME_ZONES.map((zone) => zone.toLowerCase()));

function intlKnows(zone: string): boolean {
  // The default zone needs no asking: the first Intl call loads the time zone data (about 10 ms at start).
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
