// Input that once cost far more than its size (docs/reliability.md): lines
// of unclosed `kpi a {`, one line of bad escapes, and 1 MiB of token soup,
// each at three sizes, through `kpic lint` and `kpic check` as whole
// processes (the parse cache off). Growth should be linear: twice the input,
// about twice the time above the process's start-up.
//
//   npx node bench/run.ts --only costly-input

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const COSTLY_INPUTS = {
  /** `n` lines of `kpi a {`, none closed. */
  unclosed: (n: number) => 'kpi a {\n'.repeat(n),
  /** One line of `n` strings, each with an invalid escape. */
  escapes: (n: number) => `${'"\\q" '.repeat(n)}\n`,
  /** About `n` bytes of a fixed pseudo-random soup of kpic tokens and stray characters. */
  soup: (n: number) => tokenSoup(n),
};

const TOKENS = ['kpi', 'a', '{', '}', '(', ')', 'numerator', '"x', '@', '1', '+', 'measure', '=', 'source'];
const GAPS = [' ', '', ' ', '\n'];

export function tokenSoup(bytes: number): string {
  let seed = 1;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = TOKENS[next(TOKENS.length)]! + GAPS[next(GAPS.length)]!;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

const SIZES: Record<keyof typeof COSTLY_INPUTS, readonly number[]> = {
  unclosed: [10_000, 20_000, 30_000],
  escapes: [50_000, 100_000, 200_000],
  soup: [256 * 1024, 512 * 1024, 1000 * 1024],
};

export function benchCostlyInput(repo: string, work: string): void {
  const bin = join(repo, 'runtime', 'cli', 'bin.js');
  console.log('\n## Costly input: lint and check as whole processes (KPIC_CACHE=off)');
  console.log('| input | size | bytes | lint | check | diagnostics |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of Object.keys(COSTLY_INPUTS) as (keyof typeof COSTLY_INPUTS)[]) {
    for (const size of SIZES[kind]) {
      const dir = join(work, `costly-${kind}-${size}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'kpic.yaml'), 'name: costly\nmetrics: ["*.kpi"]\n');
      const text = COSTLY_INPUTS[kind](size);
      writeFileSync(join(dir, 'input.kpi'), text);
      const times: string[] = [];
      let summary = '';
      for (const command of ['lint', 'check']) {
        const started = performance.now();
        const run = spawnSync(process.execPath, [bin, '--project', dir, command], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', KPIC_CACHE: 'off' },
          maxBuffer: 1 << 30,
        });
        times.push(`${((performance.now() - started) / 1000).toFixed(1)} s`);
        summary = /(\d+) errors?, \d+ warnings?/.exec(run.stdout + run.stderr)?.[1] ?? `exit ${run.status}`;
      }
      console.log(
        `| ${kind} | ${size.toLocaleString('en-US')} | ${Buffer.byteLength(text).toLocaleString('en-US')} | ${times.join(' | ')} | ${summary} |`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
