// On a Node older than kpic needs, bin.js says so in one line and exits 2,
// before anything else loads (nothing else would parse or run there).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.ts';

describe('Node version check', () => {
  it('an older Node gets one line naming the version needed, exit 2', () => {
    // Node 20 as far as bin.js can tell: process.versions.node replaced before it runs.
    const dir = mkdtempSync(join(tmpdir(), 'kpic-node-'));
    const preload = join(dir, 'old-node.mjs');
    writeFileSync(
      preload,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });\n",
    );
    const r = spawnSync(process.execPath, ['--import', preload, BIN, '--version'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('kpic needs Node.js 22.12.0 or newer; this is Node.js 20.20.2.\n');
  });

  it.runIf(
    existsSync('/usr/bin/node') &&
      Number(spawnSync('/usr/bin/node', ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) <
        22,
  )('a real older Node (/usr/bin/node) gets the same line', () => {
    const r = spawnSync('/usr/bin/node', [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kpic needs Node\.js 22\.12\.0 or newer; this is Node\.js \d+\.\d+\.\d+\.\n$/);
  });

  it('Node 22.12 and newer run kpic', () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
