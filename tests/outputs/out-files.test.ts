// What kpic writes: `--out` never replaces the project's inputs, a replaced
// file keeps its mode, and `kpic fmt` never writes outside the project. Every
// file's bytes and mode are compared before and after.

import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, createDatabase, kpic, STACK_FRAME } from '../cli/helpers.ts';

const project = copyTemplate('kpic-out-');
const outside = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-out-elsewhere-')));
afterAll(() => {
  project.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

/** Bytes and mode of each file, to compare after a command. */
function snapshot(paths: readonly string[]): Map<string, { bytes: Buffer; mode: number }> {
  return new Map(paths.map((p) => [p, { bytes: readFileSync(p), mode: statSync(p).mode & 0o7777 }]));
}

function expectUnchanged(before: Map<string, { bytes: Buffer; mode: number }>): void {
  for (const [path, was] of before) {
    expect(readFileSync(path).equals(was.bytes), path).toBe(true);
    expect(statSync(path).mode & 0o7777, path).toBe(was.mode);
  }
}

describe('--out never writes over the project inputs', () => {
  const dir = project.dir;
  symlinkSync(join(dir, 'kpic.yaml'), join(dir, 'config-link.yaml'));
  mkdirSync(join(dir, 'results'));
  symlinkSync(join(dir, 'data'), join(dir, 'results/data-link'));
  const inputs = [
    'kpic.yaml',
    'metrics/nps.kpi',
    'metrics/customers.kpi',
    'data/customers.csv',
    'data/surveys.csv',
  ].map((p) => join(dir, p));

  const cases: [string, RegExp][] = [
    ['kpic.yaml', /would overwrite the project configuration kpic\.yaml/],
    ['metrics/nps.kpi', /would overwrite a `\.kpi` file/],
    ['data/customers.csv', /would overwrite a file under the data root/],
    ['data/new-file.csv', /would overwrite a file under the data root/],
    ['./metrics/../kpic.yaml', /would overwrite the project configuration kpic\.yaml/],
    ['config-link.yaml', /would overwrite the project configuration kpic\.yaml/],
    ['results/data-link/surveys.csv', /would overwrite a file under the data root/],
  ];
  for (const [target, message] of cases) {
    it(`refuses --out ${target} (exit 2), every input unchanged`, async () => {
      const before = snapshot(inputs);
      const r = await kpic(dir, ['run', 'nps', '--format', 'csv', '--out', target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('hint: write the result elsewhere');
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expectUnchanged(before);
      expect(() => statSync(join(dir, 'data/new-file.csv'))).toThrow();
    });
  }

  it('refuses the database file', async () => {
    const db = copyTemplate('kpic-out-db-');
    try {
      await createDatabase(join(db.dir, 'warehouse.duckdb'), ['create table t (x integer)']);
      writeFileSync(
        join(db.dir, 'kpic.yaml'),
        readFileSync(join(db.dir, 'kpic.yaml'), 'utf8').replace('database: ":memory:"', 'database: warehouse.duckdb'),
      );
      const before = snapshot([join(db.dir, 'warehouse.duckdb')]);
      const r = await kpic(db.dir, ['run', 'nps', '--out', 'warehouse.duckdb']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('would overwrite the database warehouse.duckdb');
      expectUnchanged(before);
    } finally {
      db.cleanup();
    }
  });

  it('replaces a private result file keeping its mode 0600', async () => {
    const target = join(dir, 'results/private.csv');
    writeFileSync(target, 'old\n');
    chmodSync(target, 0o600);
    const r = await kpic(dir, ['run', 'nps', '--format', 'csv', '--out', 'results/private.csv']);
    expect(r.code).toBe(0);
    expect(statSync(target).mode & 0o7777).toBe(0o600);
    expect(
      readFileSync(target, 'utf8').startsWith('period,tier,numerator,denominator,value,status,target_met\r\n'),
    ).toBe(true);
  });
});

describe('kpic fmt never writes outside the project', () => {
  const unformatted = 'kpi   other_kpi {\n numerator signups\n}\n';

  it('the attack: a plain write through a symlinked folder lands in the other checkout', () => {
    const other = join(outside, 'plain');
    mkdirSync(other);
    writeFileSync(join(other, 'x.kpi'), unformatted);
    const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-out-plain-')));
    try {
      symlinkSync(other, join(scratch, 'linked'));
      writeFileSync(join(scratch, 'linked/x.kpi'), 'kpi other_kpi {\n  numerator signups\n}\n');
      expect(readFileSync(join(other, 'x.kpi'), 'utf8')).not.toBe(unformatted);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('leaves files behind a symlinked folder or file alone, byte for byte and mode', async () => {
    const other = join(outside, 'checkout');
    mkdirSync(other);
    writeFileSync(join(other, 'x.kpi'), unformatted);
    writeFileSync(join(other, 'y.kpi'), unformatted);
    chmodSync(join(other, 'y.kpi'), 0o640);
    const fmt = copyTemplate('kpic-out-fmt-');
    try {
      symlinkSync(other, join(fmt.dir, 'metrics/linked'));
      symlinkSync(join(other, 'y.kpi'), join(fmt.dir, 'metrics/direct.kpi'));
      const before = snapshot([join(other, 'x.kpi'), join(other, 'y.kpi')]);
      for (const args of [
        ['fmt'],
        ['fmt', 'metrics/linked/x.kpi'],
        ['fmt', 'metrics/direct.kpi'],
        ['fmt', 'metrics'],
      ]) {
        const r = await kpic(fmt.dir, args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toContain('error unsafe-path');
        expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
        expectUnchanged(before);
      }
    } finally {
      fmt.cleanup();
    }
  });

  it('formats a file inside the project through an inner symlink, keeping the link and the mode', async () => {
    const fmt = copyTemplate('kpic-out-fmt-in-');
    try {
      mkdirSync(join(fmt.dir, 'lib'));
      writeFileSync(join(fmt.dir, 'lib/z.kpi'), unformatted);
      chmodSync(join(fmt.dir, 'lib/z.kpi'), 0o600);
      symlinkSync(join(fmt.dir, 'lib/z.kpi'), join(fmt.dir, 'metrics/z.kpi'));
      const r = await kpic(fmt.dir, ['fmt', 'metrics/z.kpi']);
      expect(r.code).toBe(0);
      expect(readFileSync(join(fmt.dir, 'lib/z.kpi'), 'utf8')).toBe('kpi other_kpi {\n  numerator signups\n}\n');
      expect(statSync(join(fmt.dir, 'lib/z.kpi')).mode & 0o7777).toBe(0o600);
      expect(realpathSync(join(fmt.dir, 'metrics/z.kpi'))).toBe(join(fmt.dir, 'lib/z.kpi'));
    } finally {
      fmt.cleanup();
    }
  });
});
