// Ctrl-C at any moment of a run with --out: while Node starts, while the
// project loads, while the query runs, while the result is written. Whatever
// the moment, either the run finished before the signal (exit 0, the new
// result in place) or it exits 130 with `interrupted` and the previous file
// is byte-identical. Never 130 with the file replaced; never a stack trace.
// Before Node has run a line of kpic, the signal's default disposition ends
// the process (a shell shows 130); the file is untouched then as well.
// The delays only spread the signal over the run: nothing here is timed.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from './helpers.ts';

const project = copyTemplate('kpic-sigint-');
afterAll(() => project.cleanup());

const PREVIOUS = 'previous result\n';

describe('Ctrl-C at several points of `kpic run --out`', () => {
  for (const delay of [0, 150, 400, 800, 1500, 3000]) {
    it(`signal after ${delay} ms`, { timeout: 300_000 }, async () => {
      const out = join(project.dir, `out-${delay}.json`);
      writeFileSync(out, PREVIOUS);
      const r = await kpic(
        project.dir,
        ['run', 'nps', '--by', 'none', '--grain', 'none', '--format', 'json', '--out', out],
        {
          onSpawn: (child) => {
            if (delay === 0) child.kill('SIGINT');
            else setTimeout(() => child.kill('SIGINT'), delay);
          },
        },
      );
      const context = `code ${r.code}, signal ${r.signal}\n${r.stdout}\n${r.stderr}`;
      expect(r.stderr, context).not.toMatch(STACK_FRAME);
      if (r.signal === 'SIGINT') {
        // Before Node has run a line of kpic, the signal's default ends the process (the shell shows 130): nothing was written.
        expect(readFileSync(out, 'utf8'), context).toBe(PREVIOUS);
      } else if (r.code === 130) {
        expect(r.stderr, context).toMatch(/^interrupted\n$/m);
        expect(readFileSync(out, 'utf8'), context).toBe(PREVIOUS);
      } else {
        // The run ended before the signal: the new result, whole.
        expect(r.code, context).toBe(0);
        expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(1);
      }
      expect(readdirSync(project.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }
});
