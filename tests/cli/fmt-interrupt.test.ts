// `kpic fmt` interrupted by Ctrl-C: exit 130, `interrupted`, and every file
// byte-identical, with no temporary file left. fmt writes each formatted
// file to a temporary file next to it and renames them all only at the end,
// so the first temporary file is the readiness signal: fmt is then in the
// middle of its files. Before, fmt ran its loop without letting a signal be
// handled, and a Ctrl-C in the middle left the files reformatted.
// Nothing here is timed; the limits only catch a hang.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kpic, STACK_FRAME } from './helpers.ts';

const FILES = 1500;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project of FILES unformatted `.kpi` files (odd spacing everywhere); their texts by name. */
function unformattedProject(): { dir: string; texts: Map<string, string> } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-fmt-sigint-')));
  made.push(dir);
  writeFileSync(join(dir, 'kpic.yaml'), 'name: fmt-sigint\nmetrics: ["metrics/*.kpi"]\n');
  mkdirSync(join(dir, 'metrics'));
  const texts = new Map<string, string>();
  for (let i = 0; i < FILES; i++) {
    const lines = [`source   s${i}   from "s${i}.csv" {`, '   key id', '  customer   customer_id', '  time at'];
    for (let m = 0; m < 20; m++) lines.push(`     measure   m${i}_${m}  =   count()   where  x >   ${m}`);
    lines.push('}');
    const text = `${lines.join('\n')}\n`;
    const name = `f${String(i).padStart(5, '0')}.kpi`;
    writeFileSync(join(dir, 'metrics', name), text);
    texts.set(name, text);
  }
  return { dir, texts };
}

/** Resolves when a temporary file appears in `folder` (polling; no deadline of its own). */
function firstTemporaryFile(folder: string, stop: () => boolean): Promise<boolean> {
  return new Promise((done) => {
    const look = () => {
      if (stop()) return done(false);
      if (readdirSync(folder).some((f) => f.endsWith('.tmp'))) return done(true);
      setTimeout(look, 5);
    };
    look();
  });
}

describe('Ctrl-C during `kpic fmt`', () => {
  it('exits 130 with `interrupted` and leaves every file byte-identical', { timeout: 600_000 }, async () => {
    const { dir, texts } = unformattedProject();
    const folder = join(dir, 'metrics');
    let ended = false;
    let signalled = false;
    const result = await kpic(dir, ['fmt'], {
      onSpawn: (child) => {
        child.on('close', () => (ended = true));
        void firstTemporaryFile(folder, () => ended).then((found) => {
          if (found) {
            signalled = true;
            child.kill('SIGINT');
          }
        });
      },
    });
    // The readiness signal was seen: fmt was in the middle of its files when interrupted.
    expect(signalled).toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toBe('interrupted\n');
    expect(result.stderr + result.stdout).not.toMatch(STACK_FRAME);
    expect(result.stdout).not.toContain('formatted ');
    const left = readdirSync(folder);
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(left.sort()).toEqual([...texts.keys()].sort());
    for (const [name, text] of texts) expect(readFileSync(join(folder, name), 'utf8'), name).toBe(text);
  });

  it('without a signal the same project is formatted (so the run above really had work to stop)', {
    timeout: 600_000,
  }, async () => {
    const { dir, texts } = unformattedProject();
    const result = await kpic(dir, ['fmt']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${FILES} files reformatted`);
    const sample = readFileSync(join(dir, 'metrics', 'f00000.kpi'), 'utf8');
    expect(sample).not.toBe(texts.get('f00000.kpi'));
    expect(sample).toContain('measure m0_0 = count() where x > 0');
    expect(readdirSync(join(dir, 'metrics')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
