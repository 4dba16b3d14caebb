import { describe, expect, it } from 'vitest';
import { suggest, sortDiagnostics, FILE_START } from '../../compiler/diagnostics.ts';

describe('toolchain', () => {
  it('runs on Node 22 or newer', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });
});

describe('suggest', () => {
  it('finds the closest name, ignoring case', () => {
    expect(suggest('teir', ['tier', 'region', 'plan'])).toBe('tier');
    expect(suggest('REGION', ['tier', 'region'])).toBe('region');
  });
  it('gives nothing when no name is close', () => {
    expect(suggest('churned', ['tier', 'region'])).toBeUndefined();
  });
});

describe('sortDiagnostics', () => {
  it('orders by file, then offset', () => {
    const at = (offset: number) => ({ start: { ...FILE_START.start, offset }, end: { ...FILE_START.start, offset } });
    const d = (file: string, offset: number) => ({
      code: 'syntax-error' as const,
      severity: 'error' as const,
      message: '',
      file,
      span: at(offset),
    });
    const sorted = sortDiagnostics([d('b.kpi', 1), d('a.kpi', 9), d('a.kpi', 2)]);
    expect(sorted.map((x) => `${x.file}:${x.span.start.offset}`)).toEqual(['a.kpi:2', 'a.kpi:9', 'b.kpi:1']);
  });
});
