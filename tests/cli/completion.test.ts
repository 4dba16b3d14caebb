// `kpic completion bash|zsh|fish`: the bash script is run in a real bash and
// asked what it completes; zsh and fish (not installed here) are checked for
// the commands and flags they list.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic } from './helpers.ts';

function complete(script: string, words: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-completion-'));
  writeFileSync(join(dir, 'kpic.bash'), script);
  const line = `source ${join(dir, 'kpic.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kpic; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', line], { cwd: dir, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .sort();
}

describe('kpic completion', () => {
  it('bash completes commands, and each command its own flags', async () => {
    const r = await kpic(tmpdir(), ['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(complete(r.stdout, ['kpic', 'r'])).toEqual(['report', 'run']);
    expect(complete(r.stdout, ['kpic', 'run', '--so'])).toEqual(['--sort']);
    expect(complete(r.stdout, ['kpic', 'lint', '--max'])).toEqual(['--max-warnings']);
    // --sort belongs to run, not to lint.
    expect(complete(r.stdout, ['kpic', 'lint', '--so'])).toEqual([]);
    expect(complete(r.stdout, ['kpic', '--pro'])).toEqual(['--project']);
  });

  it('zsh and fish scripts name the commands and flags', async () => {
    const zsh = await kpic(tmpdir(), ['completion', 'zsh']);
    expect(zsh.stdout.startsWith('#compdef kpic\n')).toBe(true);
    expect(zsh.stdout).toContain('complete -o filenames -F _kpic kpic');
    const fish = await kpic(tmpdir(), ['completion', 'fish']);
    expect(fish.stdout).toContain('-a run -d ');
    expect(fish.stdout).toContain('__fish_seen_subcommand_from run" -l sort');
  });

  it('an unknown shell is a usage error', async () => {
    const r = await kpic(tmpdir(), ['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
