// Rendering many diagnostics of one file: capped per file, counted, and each
// file's text split once (40,000 frames used to split the file 40,000 times).

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/index.ts';
import { renderDiagnostics } from '../../compiler/index.ts';

function diagnostic(file: string, line: number): Diagnostic {
  const at = { offset: 0, line, column: 1 };
  return {
    code: 'invalid-escape',
    severity: 'error',
    message: 'bad escape',
    file,
    span: { start: at, end: { ...at, column: 2 } },
  };
}

describe('renderDiagnostics caps each file', () => {
  it('shows the first 100 of a file, counts the rest, and the summary counts all', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `kpi a${i} { title "\\q" }`).join('\n');
    const many = Array.from({ length: 40_000 }, (_, i) => diagnostic('big.kpi', i + 1));
    const few = [diagnostic('small.kpi', 1)];
    const texts = new Map([
      ['big.kpi', text],
      ['small.kpi', 'kpi b { title "\\q" }'],
    ]);
    const out = renderDiagnostics([...many, ...few], texts, { color: false });
    const headers = out.split('\n').filter((l) => / error invalid-escape$/.test(l));
    expect(headers.filter((l) => l.startsWith('big.kpi:')).length).toBe(100);
    expect(headers.filter((l) => l.startsWith('small.kpi:')).length).toBe(1);
    expect(out).toContain('big.kpi: and 39,900 more (only the first 100 of a file are shown)');
    expect(out).toContain('big.kpi:100:1 error');
    expect(out).not.toContain('big.kpi:101:1 error');
    expect(out.trimEnd().endsWith('40001 errors, 0 warnings in 2 files')).toBe(true);
  });
});
