// `--out` onto another name of a project input: a hard link, or a folder
// reached under another name that a real path does not resolve (a bind
// mount here; a case variant such as `Data/` on a case-insensitive disk is
// the same situation). kpic compares an existing target, and the folders
// above it, by device and inode, and refuses (exit 2) with every input
// byte for byte as it was.

import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const project = copyTemplate('kpic-out-alias-');
const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-out-alias-mnt-')));
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  project.cleanup();
  rmSync(elsewhere, { recursive: true, force: true });
});

const INPUTS = ['kpic.yaml', 'metrics/nps.kpi', 'data/customers.csv', 'data/surveys.csv'];
const before = new Map(INPUTS.map((f) => [f, readFileSync(join(project.dir, f))]));
function expectInputsUnchanged(): void {
  for (const [file, bytes] of before) expect(readFileSync(join(project.dir, file)).equals(bytes), file).toBe(true);
}

/** The data folder under a second name, by a bind mount; `undefined` where mounting is not allowed. */
function dataAlias(): string | undefined {
  const alias = join(elsewhere, 'alias');
  mkdirSync(alias);
  try {
    execFileSync('mount', ['--bind', join(project.dir, 'data'), alias], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounted.push(alias);
  return alias;
}
const alias = dataAlias();

describe('--out onto another name of an input', () => {
  mkdirSync(join(project.dir, 'results'));

  // A project file with a second name is itself refused when read (safe-read.ts: files with one name only),
  // before --out is looked at; either way nothing is written and the exit code is 2. Each link lives for its test.
  for (const [input, target, message] of [
    [
      'kpic.yaml',
      'results/config.txt',
      /would overwrite the project configuration kpic\.yaml|kpic\.yaml is a hard link/,
    ],
    [
      'metrics/nps.kpi',
      'results/nps.txt',
      // The refused file declares `nps`, so the KPI is unknown (kpic check shows the refusal).
      /would overwrite the project file metrics\/nps\.kpi|unknown KPI `nps`/,
    ],
  ] as const) {
    it(`a hard link: --out ${target} is refused`, async () => {
      linkSync(join(project.dir, input), join(project.dir, target));
      try {
        const r = await kpic(project.dir, ['run', 'nps', '--format', 'csv', '--out', target]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(STACK_FRAME);
        expectInputsUnchanged();
      } finally {
        unlinkSync(join(project.dir, target));
      }
    });
  }

  it.skipIf(alias === undefined)('the attack: a plain write through the second name changes the data', () => {
    const scratch = copyTemplate('kpic-out-alias-plain-');
    const second = join(elsewhere, 'plain');
    mkdirSync(second);
    try {
      execFileSync('mount', ['--bind', join(scratch.dir, 'data'), second], { stdio: 'ignore' });
      mounted.push(second);
      // The real path does not lead back to the data folder...
      expect(realpathSync(join(second, 'customers.csv'))).toBe(join(second, 'customers.csv'));
      // ...yet writing there replaces the data.
      writeFileSync(join(second, 'customers.csv'), 'result\n');
      expect(readFileSync(join(scratch.dir, 'data/customers.csv'), 'utf8')).toBe('result\n');
    } finally {
      scratch.cleanup();
    }
  });

  it.skipIf(alias === undefined)(
    'kpic refuses a file, new or existing, under the second name of the data root',
    async () => {
      for (const target of [join(alias!, 'customers.csv'), join(alias!, 'new.csv')]) {
        const r = await kpic(project.dir, ['run', 'nps', '--format', 'csv', '--out', target]);
        expect(r.code, target).toBe(2);
        expect(r.stderr).toContain('would overwrite a file under the data root');
      }
      expectInputsUnchanged();
      expect(readFileSync(join(alias!, 'customers.csv')).equals(before.get('data/customers.csv')!)).toBe(true);
    },
  );

  // (An existing input is not a state file and is refused as such before this check.)
  it('kpic alert --state is held to the same rules as --out', async () => {
    for (const [target, message] of [
      ['data/state.json', 'would overwrite a file under the data root'],
      ['metrics/state.kpi', 'would overwrite a `.kpi` file'],
    ] as const) {
      const r = await kpic(project.dir, ['alert', '--state', target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toContain(`error: --state ${target} ${message}`);
      expect(r.stderr).toContain('hint: write the result elsewhere, e.g. --state alert-state.json');
    }
    expect(() => readFileSync(join(project.dir, 'data/state.json'))).toThrow();
    expectInputsUnchanged();
  });

  it('an unrelated file is still written', async () => {
    writeFileSync(join(elsewhere, 'result.csv'), 'old\n');
    const r = await kpic(project.dir, ['run', 'nps', '--format', 'csv', '--out', join(elsewhere, 'result.csv')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(elsewhere, 'result.csv'), 'utf8').split('\r\n')[0]).toBe(
      'period,tier,numerator,denominator,value,status,target_met',
    );
  });
});
