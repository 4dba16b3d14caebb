// Every case of the hostile catalogue through the real CLI.
//
// For each case: the expected diagnostics at their line and column, the
// exit code cli.md gives, the exact output where one is expected, no stack
// trace or exception dump anywhere, and a process that ends.

import { describe, expect, it } from 'vitest';
import { caseLabel, loadCatalogue, prepareCase } from './catalogue.ts';
import type { HostileCase } from './catalogue.ts';
import { leaks, readDiagnostics, runKpic } from './cli.ts';

const catalogue = loadCatalogue();
const RUN_LIMIT_MS = 300_000;

describe('hostile catalogue', () => {
  it('holds at least 60 cases, in every class', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60);
    const classes = new Set(catalogue.map((c) => c.id.split('/')[0]));
    for (const name of ['syntax', 'size', 'unicode', 'quoting', 'references', 'joins', 'numbers', 'time', 'paths']) {
      expect(classes, name).toContain(name);
    }
  });

  describe.concurrent('cases', () => {
    for (const hostile of catalogue) {
      const test = hostile.expect.knownBug ? it.fails : it;
      // Limits that catch a hang, not a busy machine: 5 minutes per run, plus the wait for one of the two slots.
      test(hostile.id, { timeout: Math.max(RUN_LIMIT_MS, hostile.expect.timeoutMs ?? 0) * 3 }, () =>
        checkCase(hostile),
      );
    }
  });
});

async function checkCase(hostile: HostileCase): Promise<void> {
  const { expect: want } = hostile;
  const project = prepareCase(hostile);
  try {
    const run = await runKpic(project.dir, want.args ?? ['check'], Math.max(RUN_LIMIT_MS, want.timeoutMs ?? 0));
    const output = `${run.stdout}\n${run.stderr}`;
    const context = `${hostile.id} (${caseLabel(hostile)})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    expect(run.timedOut, `did not end: ${context}`).toBe(false);
    expect(leaks(output), context).toEqual([]);
    const printed = readDiagnostics(output);
    for (const diagnostic of want.diagnostics ?? []) {
      const file = diagnostic.file ?? project.file;
      const match = printed.find(
        (p) =>
          p.code === diagnostic.code && p.file === file && p.line === diagnostic.line && p.column === diagnostic.column,
      );
      expect(
        match,
        `expected ${file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.code} in ${context}`,
      ).toBeDefined();
      if (diagnostic.text) expect(match!.block, context).toMatch(new RegExp(diagnostic.text, 's'));
    }
    for (const code of ['internal-error', ...(want.absent ?? [])]) {
      expect(
        printed.map((p) => p.code),
        `${code} must not appear: ${context}`,
      ).not.toContain(code);
    }
    if (want.stdout !== undefined) expect(run.stdout, context).toBe(want.stdout);
    for (const pattern of want.output ?? []) expect(output, context).toMatch(new RegExp(pattern, 's'));
    expect(run.code, `exit code: ${context}`).toBe(want.exit);
  } finally {
    project.cleanup();
  }
}
