import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { renderDiagnostic, renderDiagnostics, renderSummary } from '../../compiler/render.ts';

const text = [
  'source campaigns from "data/campaigns.csv" {',
  '  measure spend = sum(cost)',
  '}',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  'kpi cost_per_lead {',
  '  numerator spend',
  '}',
].join('\n');

const span = (line: number, column: number, endColumn: number, offset = 0) => ({
  start: { offset, line, column },
  end: { offset: offset + endColumn - column, line, column: endColumn },
});

const customerReference: Diagnostic = {
  code: 'customer-reference',
  severity: 'error',
  message:
    'KPI `cost_per_lead` has no customer reference: its measures come from source `campaigns`, which has no `customer` or `join` path to `customers`.',
  file: 'metrics/campaigns.kpi',
  span: span(12, 5, 18, 80),
  help: 'link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
};

describe('renderDiagnostic', () => {
  it('prints the cli.md layout exactly', () => {
    expect(renderDiagnostic(customerReference, text, { color: false })).toBe(
      [
        'metrics/campaigns.kpi:12:5 error customer-reference',
        '  12 | kpi cost_per_lead {',
        '     |     ^^^^^^^^^^^^^',
        '  KPI `cost_per_lead` has no customer reference: its measures come from',
        '  source `campaigns`, which has no `customer` or `join` path to `customers`.',
        '  hint: link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
      ].join('\n'),
    );
  });

  it('shows at least one caret for an empty span, and notes', () => {
    const d: Diagnostic = {
      code: 'syntax-error',
      severity: 'warn',
      message: 'm',
      file: 'a.kpi',
      span: span(2, 3, 3, 10),
      notes: ['first declared here: b.kpi:1:1'],
    };
    expect(renderDiagnostic(d, text, { color: false })).toBe(
      [
        'a.kpi:2:3 warn syntax-error',
        '  2 |   measure spend = sum(cost)',
        '    |   ^',
        '  m',
        '  note: first declared here: b.kpi:1:1',
      ].join('\n'),
    );
  });

  it('runs the carets to the end of the line for a span over several lines', () => {
    const d: Diagnostic = {
      code: 'syntax-error',
      severity: 'info',
      message: 'm',
      file: 'a.kpi',
      span: { start: { offset: 0, line: 12, column: 1 }, end: { offset: 99, line: 14, column: 2 } },
    };
    expect(renderDiagnostic(d, text, { color: false }).split('\n')[2]).toBe('     | ^^^^^^^^^^^^^^^^^^^');
  });

  it('expands tabs the same way in the line and under it', () => {
    const d: Diagnostic = {
      code: 'syntax-error',
      severity: 'error',
      message: 'm',
      file: 'a.kpi',
      span: span(1, 2, 5, 1),
    };
    const lines = renderDiagnostic(d, '\tkey id', { color: false }).split('\n');
    expect(lines[1]).toBe('  1 |     key id');
    expect(lines[2]).toBe('    |     ^^^');
  });

  it('prints no frame without the text, and colour only when asked', () => {
    const plain = renderDiagnostic(customerReference, undefined, { color: false });
    expect(plain.split('\n')).toHaveLength(4);
    expect(plain).not.toContain('\u001b[');
    expect(renderDiagnostic(customerReference, text, { color: true })).toContain('\u001b[');
  });
});

describe('renderDiagnostics', () => {
  it('separates diagnostics by a blank line and ends with a summary', () => {
    const warn: Diagnostic = { ...customerReference, severity: 'warn', code: 'missing-owner', file: 'metrics/b.kpi' };
    const out = renderDiagnostics(
      [customerReference, warn, { ...warn, file: 'metrics/c.kpi' }],
      new Map([['metrics/campaigns.kpi', text]]),
      { color: false },
    );
    expect(out.endsWith('\n\n1 error, 2 warnings in 3 files\n')).toBe(true);
    expect(out.split('\n\n')).toHaveLength(4);
  });

  it('summarises', () => {
    expect(renderSummary([])).toBe('no problems');
    const info: Diagnostic = { ...customerReference, severity: 'info' };
    expect(renderSummary([info, info])).toBe('0 errors, 0 warnings, 2 infos in 1 file');
    expect(renderDiagnostics([], new Map(), { color: false })).toBe('');
  });
});

describe('the docs line', () => {
  const docs = (code: string) =>
    code === 'customer-reference' ? '/opt/kpic/docs/rules/customer-reference.md' : undefined;

  it('ends a diagnostic with the link of its page, after the hint and notes', () => {
    const lines = renderDiagnostic({ ...customerReference, notes: ['n'] }, text, { color: false, docs }).split('\n');
    expect(lines.slice(-3)).toEqual([
      '  hint: link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
      '  note: n',
      '  docs: /opt/kpic/docs/rules/customer-reference.md',
    ]);
  });

  it('is absent without a link, or when the code has none', () => {
    expect(renderDiagnostic(customerReference, text, { color: false })).not.toContain('docs:');
    const other: Diagnostic = { ...customerReference, code: 'syntax-error' };
    expect(renderDiagnostic(other, text, { color: false, docs })).not.toContain('docs:');
  });

  it('escapes control characters in the link as in the rest of the text', () => {
    const out = renderDiagnostic(customerReference, text, { color: false, docs: () => '/tmp/\u001b[31mx.md' });
    expect(out).toContain('  docs: /tmp/\\x1b[31mx.md');
  });
});
