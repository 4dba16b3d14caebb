// The hostile catalogue: one case per file under `cases/<class>/`.
//
// A case is `<name>.kpi` (or `<name>/`, a small project folder) with a
// sidecar `<name>.expect.json`. A sidecar alone, with `generate`, is a case
// whose input is too large or too repetitive to commit (10,000 nested
// parentheses, a file over the size limit): the text is built here.
//
// Single-file cases run in a temporary project made of a fixture
// (`fixtures/<name>/`: kpic.yaml and data) plus the case file, so the
// diagnostics name the case file and nothing else of the repository.

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const HOSTILE_ROOT = import.meta.dirname;
const CASES = join(HOSTILE_ROOT, 'cases');
const FIXTURES = join(HOSTILE_ROOT, 'fixtures');

export interface ExpectedDiagnostic {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  /** Default: the case file (`<name>.kpi`), or for folder cases as the CLI prints it. */
  readonly file?: string;
  /** A regular expression the message (and hint/notes lines) must match. */
  readonly text?: string;
}

export interface Expectation {
  /** Why the case exists, in one sentence. */
  readonly about: string;
  /** CLI arguments; default `["check"]`. */
  readonly args?: readonly string[];
  readonly exit: number;
  readonly diagnostics?: readonly ExpectedDiagnostic[];
  /** Codes that must NOT appear (e.g. `internal-error`, a cascade). */
  readonly absent?: readonly string[];
  /** stdout must equal this text exactly (`run --format csv`). */
  readonly stdout?: string;
  /** Regular expressions over stdout + stderr. */
  readonly output?: readonly string[];
  /** Fixture folder under `fixtures/` for single-file cases; default `basic`. */
  readonly fixture?: string;
  /** Rewrite the case text before writing it: line ends or a leading BOM. */
  readonly transform?: 'crlf' | 'cr' | 'bom';
  /** Build the case text instead of reading `<name>.kpi`. */
  readonly generate?: Generator;
  /** Symlinks to create in the project: link path -> target (relative to the link's folder). */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** Files to create outside the project folder (relative to its parent), for paths that try to leave it. */
  readonly outside?: Readonly<Record<string, string>>;
  /** Milliseconds before the process is killed (a hang); default and minimum 300,000 (5 minutes). */
  readonly timeoutMs?: number;
  /** A known bug elsewhere: the case states the correct expectation and is run with `it.fails`. */
  readonly knownBug?: string;
}

export type Generator =
  | { readonly kind: 'nested-parens'; readonly depth: number }
  | { readonly kind: 'long-sum'; readonly terms: number }
  | { readonly kind: 'large-file'; readonly bytes: number }
  | { readonly kind: 'many-declarations'; readonly count: number; readonly files: number }
  | { readonly kind: 'long-name'; readonly length: number }
  | { readonly kind: 'derived-chain'; readonly length: number }
  | { readonly kind: 'prefix-not'; readonly depth: number };

export interface HostileCase {
  /** `<class>/<name>` */
  readonly id: string;
  readonly expect: Expectation;
  /** The case file or folder, when there is one. */
  readonly input?: string;
}

/** Every case, sorted by id. */
export function loadCatalogue(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const group of readdirSync(CASES).sort()) {
    for (const entry of readdirSync(join(CASES, group)).sort()) {
      if (!entry.endsWith('.expect.json')) continue;
      const name = entry.slice(0, -'.expect.json'.length);
      const expect = JSON.parse(readFileSync(join(CASES, group, entry), 'utf8')) as Expectation;
      const file = join(CASES, group, `${name}.kpi`);
      const folder = join(CASES, group, name);
      const input = existsSync(file) ? file : existsSync(folder) ? folder : undefined;
      cases.push({ id: `${group}/${name}`, expect, input });
    }
  }
  return cases;
}

export interface Prepared {
  /** The project folder, where the CLI runs. */
  readonly dir: string;
  /** The case file's name in diagnostics (single-file cases). */
  readonly file: string;
  cleanup(): void;
}

/** A temporary project holding the case, ready for `kpic`. */
export function prepareCase(hostile: HostileCase): Prepared {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-hostile-')));
  const dir = join(base, 'project');
  const name = hostile.id.split('/')[1]!;
  const { expect } = hostile;
  const file = `${name}.kpi`;
  if (hostile.input && !hostile.input.endsWith('.kpi')) {
    cpSync(hostile.input, dir, { recursive: true });
  } else {
    cpSync(join(FIXTURES, expect.fixture ?? 'basic'), dir, { recursive: true });
    if (expect.generate) {
      writeGenerated(dir, name, expect.generate);
    } else if (hostile.input) {
      writeFileSync(join(dir, file), transform(readFileSync(hostile.input), expect.transform));
    }
  }
  for (const [path, content] of Object.entries(expect.outside ?? {})) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), content);
  }
  for (const [link, target] of Object.entries(expect.symlinks ?? {})) {
    mkdirSync(dirname(join(dir, link)), { recursive: true });
    symlinkSync(target, join(dir, link));
  }
  return { dir, file, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function transform(bytes: Buffer, how: Expectation['transform']): Buffer {
  if (how === undefined) return bytes;
  const text = bytes.toString('utf8');
  if (how === 'bom') return Buffer.from(`\ufeff${text}`, 'utf8');
  return Buffer.from(text.replaceAll('\n', how === 'crlf' ? '\r\n' : '\r'), 'utf8');
}

const MODEL = `customer customers from "customers.csv" {\n  key customer_id\n  time signup_date\n  dimension tier\n  measure signups = count()\n}\n`;

function writeGenerated(dir: string, name: string, generator: Generator): undefined {
  const write = (file: string, text: string): undefined => {
    writeFileSync(join(dir, file), text);
  };
  switch (generator.kind) {
    case 'nested-parens':
      return write(
        `${name}.kpi`,
        `${MODEL}\nkpi deep {\n  owner "x"\n  numerator ${'('.repeat(generator.depth)}signups${')'.repeat(generator.depth)}\n}\n`,
      );
    case 'prefix-not':
      return write(
        `${name}.kpi`,
        `${MODEL}\nkpi deep {\n  owner "x"\n  numerator signups\n  where ${'not '.repeat(generator.depth)}tier = "gold"\n}\n`,
      );
    case 'long-sum': {
      const terms = Array.from({ length: generator.terms }, () => 'signups').join(' + ');
      return write(
        `${name}.kpi`,
        `${MODEL}\nkpi wide {\n  title "Wide"\n  description "A sum of many terms."\n  owner "x"\n  numerator ${terms}\n  denominator signups\n}\n`,
      );
    }
    case 'large-file': {
      const line = '# padding padding padding padding padding padding padding padding\n';
      return write(`${name}.kpi`, `${MODEL}${line.repeat(Math.ceil(generator.bytes / line.length))}`);
    }
    case 'long-name':
      return write(`${name}.kpi`, `${MODEL}\nkpi ${'n'.repeat(generator.length)} {\n  numerator signups\n}\n`);
    case 'many-declarations': {
      // Derived sources need no data: the resolver, linter and checker see every one.
      write(`${name}.kpi`, MODEL);
      const perFile = Math.ceil(generator.count / generator.files);
      for (let f = 0; f < generator.files; f++) {
        const lines: string[] = [];
        for (let i = f * perFile; i < Math.min(generator.count, (f + 1) * perFile); i++) {
          lines.push(`source s${i} from customers { key customer_id }`);
        }
        write(`${name}-${String(f).padStart(3, '0')}.kpi`, `${lines.join('\n')}\n`);
      }
      return;
    }
    case 'derived-chain': {
      const kpis = [`kpi k0 {\n  owner "x"\n  numerator signups\n}`];
      for (let i = 1; i < generator.length; i++) kpis.push(`kpi k${i} {\n  owner "x"\n  value k${i - 1} + 1\n}`);
      return write(`${name}.kpi`, `${MODEL}\n${kpis.join('\n\n')}\n`);
    }
  }
}

/** The case's folder-relative path for messages. */
export function caseLabel(hostile: HostileCase): string {
  return hostile.input ? relative(HOSTILE_ROOT, hostile.input) : `cases/${hostile.id}.expect.json`;
}
