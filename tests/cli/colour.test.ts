// Coloured statuses on a terminal, plain text elsewhere, NO_COLOR honoured.
// The terminal is a real pseudo-terminal (util-linux `script`).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, kpic } from './helpers.ts';

const SAAS = join(import.meta.dirname, '..', '..', 'examples', 'saas');
const ARGS = ['run', 'csat', '--by', 'region', '--grain', 'none'];
const ESC = '\u001b[';

/** kpic in a pseudo-terminal; `noColor` sets NO_COLOR. */
function inTerminal(noColor: boolean): string {
  const command = [process.execPath, BIN, ...ARGS].map((a) => `'${a}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NO_COLOR'];
  if (noColor) env['NO_COLOR'] = '1';
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: SAAS, env, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.runIf(spawnSync('script', ['--version']).status === 0)('coloured statuses', () => {
  it('on a terminal: ok green, warn yellow', () => {
    const out = inTerminal(false);
    expect(out).toContain(`${ESC}32mok${ESC}39m`);
    expect(out).toContain(`${ESC}33mwarn${ESC}39m`);
  }, 120_000);

  it('NO_COLOR on a terminal: plain text', () => {
    const out = inTerminal(true);
    expect(out).not.toContain(ESC);
    expect(out).toMatch(/│ ok +│/);
  }, 120_000);

  it('piped: plain text', async () => {
    const r = await kpic(SAAS, ARGS, { env: { NO_COLOR: '' } });
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toMatch(/│ warn +│/);
  }, 120_000);
});
