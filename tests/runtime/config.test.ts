import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, ProjectFileError } from '../../runtime/project/config.ts';
import { findProjectFiles } from '../../runtime/project/files.ts';
import { firstInvalidByte, readKpiText } from '../../runtime/project/read.ts';
import { makeTempDir } from './helpers.ts';

function configError(text: string): ProjectFileError {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ProjectFileError) return error;
    throw error;
  }
  throw new Error('expected a ProjectFileError');
}

describe('kpic.yaml', () => {
  it('reads the documented example', () => {
    const { config, diagnostics } = parseConfig(
      [
        'name: acme-customer-kpis',
        'metrics: ["metrics/**/*.kpi"]',
        'include: [../shared]',
        'data:',
        '  engine: duckdb',
        '  database: ":memory:"',
        '  root: data',
        '  threads: 4',
        '  memory_limit: 512MB',
        'timezone: Europe/Berlin',
        'lint:',
        '  rules:',
        '    missing-owner: error',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      name: 'acme-customer-kpis',
      metrics: ['metrics/**/*.kpi'],
      include: ['../shared'],
      data: { engine: 'duckdb', database: ':memory:', root: 'data', threads: 4, memoryLimit: '512MB' },
      timezone: 'Europe/Berlin',
      lint: { rules: { 'missing-owner': 'error' } },
    });
  });

  it('gives defaults for an empty file', () => {
    const { config } = parseConfig('');
    expect(config.metrics).toEqual(['**/*.kpi']);
    expect(config.data).toEqual({ engine: 'duckdb', database: ':memory:', root: '.', threads: 2, memoryLimit: '2GB' });
    expect(config.timezone).toBe('UTC');
  });

  it('warns on unknown keys with a did-you-mean, at the key', () => {
    const { diagnostics } = parseConfig('metrics: ["*.kpi"]\ntimezon: UTC\ndata:\n  databse: x.duckdb\n');
    expect(diagnostics.map((d) => [d.code, d.severity, d.span.start.line, d.span.start.column, d.help])).toEqual([
      ['config-unknown-key', 'warn', 2, 1, 'did you mean `timezone`?'],
      ['config-unknown-key', 'warn', 4, 3, 'did you mean `data.database`?'],
    ]);
  });

  it('refuses wrong types and values with their line and column', () => {
    const error = configError('metrics: 3\ndata:\n  engine: mysql\n  threads: two\ntimezone: Mars/Olympus\n');
    expect(error.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([
      ['config-invalid-value', 1, 10],
      ['config-invalid-value', 3, 11],
      ['config-invalid-value', 4, 12],
      ['config-invalid-value', 5, 11],
    ]);
    expect(error.diagnostics[1]!.message).toBe('`data.engine` must be one of `duckdb`, `postgres`, not `mysql`.');
    expect(error.texts.get('kpic.yaml')).toContain('mysql');
  });

  it('refuses YAML that does not parse', () => {
    const error = configError('metrics: [unclosed\n');
    expect(error.diagnostics[0]!.code).toBe('config-syntax-error');
  });

  it('accepts postgres as an engine', () => {
    expect(parseConfig('data:\n  engine: postgres\n').config.data.engine).toBe('postgres');
  });
});

describe('project files', () => {
  it('follows globs and includes, reads each file once, survives include cycles', () => {
    const temp = makeTempDir('kpic-files-');
    const project = join(temp.dir, 'project');
    const shared = join(temp.dir, 'shared');
    mkdirSync(join(project, 'metrics'), { recursive: true });
    mkdirSync(join(project, 'node_modules', 'x'), { recursive: true });
    mkdirSync(shared);
    // One repository holds both: an include may leave the project but not the repository.
    mkdirSync(join(temp.dir, '.git'));
    writeFileSync(join(project, 'metrics', 'a.kpi'), '');
    writeFileSync(join(project, 'node_modules', 'x', 'skip.kpi'), '');
    writeFileSync(join(shared, 'lib.kpi'), '');
    // The shared library is a project that includes the first one back: a cycle.
    writeFileSync(join(shared, 'kpic.yaml'), 'include: [../project]\n');
    symlinkSync(join(project, 'metrics', 'a.kpi'), join(project, 'metrics', 'again.kpi'));
    const { config, spans } = parseConfig('include: [../shared, metrics/a.kpi, missing]\n');
    const found = findProjectFiles(project, config, spans, 'kpic.yaml');
    expect([...found.files].sort()).toEqual([join(project, 'metrics', 'a.kpi'), join(shared, 'lib.kpi')].sort());
    expect(found.diagnostics.map((d) => [d.code, d.span.start.column])).toEqual([['invalid-include', 37]]);
    temp.cleanup();
  });
});

describe('reading .kpi files', () => {
  it('reports the first byte that is not UTF-8 at its line and column', () => {
    const temp = makeTempDir('kpic-enc-');
    const path = join(temp.dir, 'bad.kpi');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('kpi a {\n  title "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]),
    );
    const read = readKpiText(path, 'bad.kpi');
    expect('diagnostic' in read && read.diagnostic).toMatchObject({
      code: 'invalid-encoding',
      severity: 'error',
      file: 'bad.kpi',
      span: { start: { line: 2, column: 13 } },
    });
    writeFileSync(path, 'kpi ünïcode {}\n');
    expect(readKpiText(path, 'bad.kpi')).toEqual({ text: 'kpi ünïcode {}\n' });
    temp.cleanup();
  });

  it('finds overlong and surrogate encodings', () => {
    expect(firstInvalidByte(Uint8Array.from([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidByte(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidByte(Uint8Array.from([0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]))).toBe(7);
    expect(firstInvalidByte(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});
