// `kpic run --latest/--last/--status` and `kpic alert` through the real CLI,
// on the hand-worked weeks of data.ts.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';
import { CUSTOMERS, MODEL, events } from './data.ts';

function project(second = false, model = MODEL): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpic-alerts-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'kpic.yaml'), 'name: alerts\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
  writeFileSync(join(dir, 'model.kpi'), model);
  writeFileSync(join(dir, 'data', 'customers.csv'), CUSTOMERS);
  writeFileSync(join(dir, 'data', 'events.csv'), events(second));
  return dir;
}

const dir = project();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvRows = (text: string) =>
  text
    .split('\r\n')
    .filter((l) => l !== '')
    .slice(1)
    .map((l) => l.split(','));

describe('kpic run: the present, not the past', () => {
  it('--status leaves out the partial first and last weeks; --incomplete keeps them, marked', async () => {
    // critical < 5: a2 (4) and s1 (3) in W0..W6 = 14 rows, of which W0 (data from its Wednesday) is partial:
    // 12 rows in W1..W6. W8 (partial, to its Wednesday) adds a2 1, a3 2, a4 2.
    const plain = await kpic(dir, [
      'run',
      'weekly_events',
      '--by',
      'customer',
      '--status',
      'critical',
      '--format',
      'csv',
    ]);
    expect(plain.code).toBe(0);
    const rows = csvRows(plain.stdout);
    expect(rows).toHaveLength(12);
    expect([...new Set(rows.map((r) => r[0]))]).toEqual([
      '2023-12-11',
      '2023-12-18',
      '2023-12-25',
      '2024-01-01',
      '2024-01-08',
      '2024-01-15',
    ]);
    const all = await kpic(dir, [
      'run',
      'weekly_events',
      '--by',
      'customer',
      '--status',
      'critical',
      '--incomplete',
      '--format',
      'csv',
    ]);
    const withPartial = csvRows(all.stdout);
    expect(withPartial).toHaveLength(17);
    // The last column is `incomplete`: true for W0 and W8 only.
    const marked = withPartial.filter((r) => r[r.length - 1] === 'true').map((r) => [r[0], r[1], r[4]]);
    expect(marked).toEqual([
      ['2023-12-04', 'a2', '4'],
      ['2023-12-04', 's1', '3'],
      ['2024-01-29', 'a2', '1'],
      ['2024-01-29', 'a3', '2'],
      ['2024-01-29', 'a4', '2'],
    ]);
    expect(withPartial.filter((r) => r[0] === '2024-01-29').map((r) => [r[1], r[4]])).toEqual([
      ['a2', '1'],
      ['a3', '2'],
      ['a4', '2'],
    ]);
  });

  it('a closed range still knows the data starts on a Wednesday: W0 is left out of --status and footnoted', async () => {
    const r = await kpic(dir, [
      'run',
      'weekly_events',
      '--by',
      'customer',
      '--status',
      'critical',
      '--from',
      '2023-12-04',
      '--to',
      '2024-01-29',
      '--format',
      'csv',
    ]);
    expect(r.code).toBe(0);
    // a2 (4) and s1 (3) in W1..W6; W0 (from Wednesday 2023-12-06) is partial whatever the range says.
    expect(csvRows(r.stdout).map((row) => `${row[0]} ${row[1]}`)).toEqual(
      ['2023-12-11', '2023-12-18', '2023-12-25', '2024-01-01', '2024-01-08', '2024-01-15'].flatMap((w) => [
        `${w} a2`,
        `${w} s1`,
      ]),
    );
    const table = await kpic(dir, ['run', 'weekly_events', '--from', '2023-12-04', '--to', '2024-01-29']);
    expect(table.stdout).toContain('* the period starting 2023-12-04 is incomplete');
    expect(table.stdout).not.toContain('2024-01-22 is incomplete');
  });

  it('a --from inside a week: that week is left out of --status and a warning says so in csv and json', async () => {
    // --from Wednesday 2023-12-13 cuts W1: its two critical rows (a2, s1) go, and W0 is before the range: W2..W6, 10 rows.
    for (const format of ['csv', 'json']) {
      const r = await kpic(dir, [
        'run',
        'weekly_events',
        '--by',
        'customer',
        '--status',
        'critical',
        '--from',
        '2023-12-13',
        '--format',
        format,
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('warning: --from 2023-12-13 is inside the week starting 2023-12-11');
      expect(r.stderr).toContain('--from 2023-12-11 or --from 2023-12-18');
      const count = format === 'csv' ? csvRows(r.stdout).length : (JSON.parse(r.stdout) as unknown[]).length;
      expect(count).toBe(10);
    }
    const whole = await kpic(dir, ['run', 'weekly_events', '--from', '2023-12-11', '--format', 'csv']);
    expect(whole.stderr).toBe('');
  });

  it('--latest is the latest complete week, W7; --last 2 adds W6', async () => {
    const r = await kpic(dir, ['run', 'weekly_events', '--by', 'customer', '--latest', '--format', 'csv']);
    expect(r.code).toBe(0);
    // a2 and s1 have no events in W7, so no row.
    expect(csvRows(r.stdout).map((row) => [row[0], row[1], row[4]])).toEqual([
      ['2024-01-22', 'a1', '13'],
      ['2024-01-22', 'a3', '5'],
      ['2024-01-22', 'a4', '10'],
    ]);
    const two = await kpic(dir, ['run', 'weekly_events', '--by', 'none', '--last', '2', '--format', 'csv']);
    // W6: 20+4+5+10+3 = 42; W7: 13+0+5+10+0 = 28.
    expect(csvRows(two.stdout).map((row) => [row[0], row[3]])).toEqual([
      ['2024-01-15', '42'],
      ['2024-01-22', '28'],
    ]);
    const critical = await kpic(dir, [
      'run',
      'weekly_events',
      '--by',
      'customer',
      '--latest',
      '--status',
      'critical',
      '--format',
      'csv',
    ]);
    // The critical rows of W7 (none: a3 has 5), not those of the latest week that had one.
    expect(csvRows(critical.stdout)).toEqual([]);
  });

  it('bad --last values and --last without a grain are usage errors', async () => {
    const bad = await kpic(dir, ['run', 'weekly_events', '--last', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--last: `0` is not a number of periods');
    const both = await kpic(dir, ['run', 'weekly_events', '--last', '2', '--latest']);
    expect(both.code).toBe(2);
    const none = await kpic(dir, ['run', 'weekly_events', '--grain', 'none', '--latest']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('last-without-grain');
  });
});

interface AlertJson {
  evaluated: { kpi: string; period: string }[];
  breaches: {
    state?: string;
    segments: Record<string, string>;
    value: number;
    previous_value: number;
    baseline: number;
    change: number;
    periods_in_breach: number;
    escalated: boolean;
    notify: string[];
  }[];
  resolved?: { segments: Record<string, string> }[];
}

describe('kpic alert', () => {
  it('finds exactly a1 (-35%), a2 (no events: -100%) and a3 (three weeks: escalated), on W7', async () => {
    const r = await kpic(dir, ['alert', '--format', 'json']);
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as AlertJson;
    expect(report.evaluated).toEqual([{ kpi: 'weekly_events', period: '2024-01-22', alerts: 1 }]);
    const got = report.breaches.map((b) => [
      b.segments['customer'],
      b.value,
      b.previous_value,
      b.baseline,
      Number(b.change.toFixed(4)),
      b.periods_in_breach,
      b.escalated,
    ]);
    expect(got).toEqual([
      ['a1', 13, 20, 20, -0.35, 1, false],
      ['a2', 0, 4, 4, -1, 1, false],
      ['a3', 5, 5, 7.5, -0.3333, 3, true],
    ]);
    expect(report.breaches[2]!.notify).toEqual(['csm-team', 'cs-manager', '#cs-alerts']);
    expect(report.breaches[0]!.notify).toEqual(['csm-team', '#cs-alerts']);
  });

  it('the table names the customer, values, the condition, weeks in breach and who is responsible; --fail-on none exits 0', async () => {
    const r = await kpic(dir, ['alert', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('customer=a3'))!;
    expect(line).toMatch(
      /critical\s+weekly_events\s+enterprise_drop\s+customer=a3\s+2024-01-22\s+5\s+5\s+7.5\s+-33.3%\s+change < -30% against average 4\s+3\s+yes: cs-manager\s+csm-team/,
    );
    expect(r.stdout).toContain(
      '3 breaches (3 critical, 0 warn) in 1 alert of 1 KPI; latest complete period: weekly_events 2024-01-22',
    );
    const md = await kpic(dir, ['alert', '--format', 'markdown', '--fail-on', 'none']);
    expect(md.stdout).toContain(
      '| critical | weekly_events | enterprise_drop | customer=a1 | 2024-01-22 | 13 | 20 | 20 | -35% |',
    );
  });

  it('--state: new, then ongoing and resolved a week later; the file is replaced whole', async () => {
    const second = project(true);
    try {
      const state = join(dir, 'state.json');
      const first = await kpic(dir, ['alert', '--state', state, '--format', 'json']);
      expect(first.code).toBe(4);
      expect((JSON.parse(first.stdout) as AlertJson).breaches.map((b) => b.state)).toEqual(['new', 'new', 'new']);
      const again = await kpic(dir, ['alert', '--state', state, '--format', 'json']);
      expect((JSON.parse(again.stdout) as AlertJson).breaches.map((b) => b.state)).toEqual([
        'ongoing',
        'ongoing',
        'ongoing',
      ]);
      // The next week's data: a1 and a3 recover, a2 stays at 0, a4 falls to 2 against 10.
      writeFileSync(join(second, 'state.json'), readFileSync(state));
      const next = await kpic(second, ['alert', '--state', 'state.json', '--format', 'json']);
      const report = JSON.parse(next.stdout) as AlertJson;
      expect(report.evaluated[0]!.period).toBe('2024-01-29');
      expect(report.breaches.map((b) => [b.segments['customer'], b.state, b.periods_in_breach, b.baseline])).toEqual([
        ['a2', 'ongoing', 2, 3],
        ['a4', 'new', 1, 10],
      ]);
      expect(report.resolved!.map((b) => b.segments['customer'])).toEqual(['a1', 'a3']);
      const saved = JSON.parse(readFileSync(join(second, 'state.json'), 'utf8')) as {
        breaches: { segments: Record<string, string> }[];
      };
      expect(saved.breaches.map((b) => b.segments['customer'])).toEqual(['a2', 'a4']);
    } finally {
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('a state file that is not one is a usage error, and is left alone', async () => {
    const bad = join(dir, 'not-state.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = await kpic(dir, ['alert', '--state', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a kpic alert state file');
    expect(readFileSync(bad, 'utf8')).toBe('{"hello": 1}');
  });

  it('a `by` naming no dimension: kpic check says where, with a did-you-mean; kpic alert reports it and runs nothing', async () => {
    const bad = project(false, MODEL.replace('    by customer\n', '    by teir\n'));
    try {
      const line = MODEL.split('\n').indexOf('    by customer') + 1;
      const check = await kpic(bad, ['check']);
      expect(check.code).toBe(1);
      expect(check.stdout).toContain(`model.kpi:${line}:8 error unknown-dimension`);
      expect(check.stdout).toContain('did you mean `tier`?');
      const alert = await kpic(bad, ['alert']);
      expect(alert.code).toBe(1);
      expect(alert.stderr).toContain(`model.kpi:${line}:8 error unknown-dimension`);
      expect(alert.stdout).toContain('no breaches in 0 alerts of 1 KPI');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('kpic lint, without the data, reports what it can decide: a dimension twice, a status no threshold produces', async () => {
    const model = MODEL.replace('    by customer\n', '    by tier, tier\n')
      .replace('critical < 5', 'warn < 5')
      .replace('when change < -30% against average 4', 'when status critical');
    const bad = project(false, model);
    try {
      const lines = model.split('\n');
      const by = lines.findIndex((l) => l.includes('by tier, tier')) + 1;
      const alert = lines.findIndex((l) => l.includes('alert enterprise_drop')) + 1;
      const r = await kpic(bad, ['lint', '--format', 'json']);
      expect(r.code).toBe(1);
      const found = (JSON.parse(r.stdout) as { rule: string; line: number; column: number }[])
        .filter((d) => d.rule === 'duplicate-item' || d.rule === 'invalid-alert')
        .map((d) => [d.rule, d.line, d.column]);
      expect(found).toEqual([
        ['invalid-alert', alert, 3],
        ['duplicate-item', by, lines[by - 1]!.lastIndexOf('tier') + 1],
      ]);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('a state file in a folder that does not exist is a usage error that says to create the folder', async () => {
    const missing = join(dir, 'no-such-folder', 'state.json');
    const r = await kpic(dir, ['alert', '--state', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the folder ${join(dir, 'no-such-folder')} does not exist`);
    expect(r.stderr).toContain(`mkdir -p ${join(dir, 'no-such-folder')}`);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('an unknown KPI, and a KPI without alerts, are usage errors', async () => {
    const r = await kpic(dir, ['alert', 'weekly_evnts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `weekly_events`?');
  });
});

describe('kpic alert --webhook', () => {
  /** A local endpoint on a random port: answers with `statuses` in turn (the last one repeats). */
  async function endpoint(
    statuses: number[],
  ): Promise<{ url: string; bodies: unknown[]; headers: IncomingMessage['headers'][]; server: Server }> {
    const bodies: unknown[] = [];
    const headers: IncomingMessage['headers'][] = [];
    let calls = 0;
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        headers.push(req.headers);
        res.statusCode = statuses[Math.min(calls++, statuses.length - 1)]!;
        res.end('ok');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/hooks/T000/SECRET-PATH`, bodies, headers, server };
  }

  it('posts one JSON message with a Slack `text` and the breaches; the URL comes from the environment and the token is sent, neither printed', async () => {
    const hook = await endpoint([200]);
    try {
      const r = await kpic(dir, ['alert', '--webhook', 'env:CHAT_URL'], {
        env: { CHAT_URL: hook.url, KPIC_WEBHOOK_TOKEN: 'tok-123' },
      });
      expect(r.code).toBe(4);
      expect(hook.bodies).toHaveLength(1);
      const body = hook.bodies[0] as { text: string; breaches: { segments: Record<string, string> }[] };
      expect(body.breaches.map((b) => b.segments['customer'])).toEqual(['a1', 'a2', 'a3']);
      expect(body.text).toContain('CRITICAL ESCALATED weekly_events/enterprise_drop customer=a3');
      expect(hook.headers[0]!['authorization']).toBe('Bearer tok-123');
      expect(r.stdout + r.stderr).not.toContain('SECRET-PATH');
      expect(r.stdout + r.stderr).not.toContain('tok-123');
    } finally {
      hook.server.close();
    }
  });

  it('retries a 503, then succeeds', async () => {
    const hook = await endpoint([503, 200]);
    try {
      const r = await kpic(dir, ['alert', '--webhook', hook.url, '--webhook-retries', '2']);
      expect(r.code).toBe(4);
      expect(hook.bodies).toHaveLength(2);
    } finally {
      hook.server.close();
    }
  });

  it('a refusal (403) is a clear error without the secret path, exit 3, and the state is not written', async () => {
    const hook = await endpoint([403]);
    const state = join(dir, 'refused-state.json');
    try {
      const r = await kpic(dir, ['alert', '--webhook', hook.url, '--state', state]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('error: the webhook at http://127.0.0.1:');
      expect(r.stderr).toContain('refused the message: HTTP 403');
      expect(r.stderr).not.toContain('SECRET-PATH');
      expect(hook.bodies).toHaveLength(1);
      expect(existsSync(state)).toBe(false);
    } finally {
      hook.server.close();
    }
  });

  it('a closed port: connection refused after the retries', async () => {
    const hook = await endpoint([200]);
    const url = hook.url;
    await new Promise<void>((done) => hook.server.close(() => done()));
    const r = await kpic(dir, ['alert', '--webhook', url, '--webhook-retries', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('did not take the message after 2 attempts: connection refused');
  });
});

describe('a target that changes on a date', () => {
  it('each week uses the threshold in force then: critical < 5, and < 15 from 2024-01-15', async () => {
    const dated = project();
    try {
      writeFileSync(
        join(dated, 'model.kpi'),
        MODEL.replace('critical < 5', 'critical < 5\n  critical < 15 from 2024-01-15'),
      );
      const r = await kpic(dated, [
        'run',
        'weekly_events',
        '--by',
        'customer',
        '--status',
        'critical',
        '--from',
        '2024-01-08',
        '--format',
        'csv',
      ]);
      expect(r.code).toBe(0);
      // W5 (01-08), < 5: a2 4, s1 3. W6 (01-15), < 15: a2 4, a3 5, a4 10, s1 3 (a1 has 20). W7, < 15: a1 13, a3 5, a4 10.
      expect(csvRows(r.stdout).map((row) => `${row[0]} ${row[1]} ${row[4]}`)).toEqual([
        '2024-01-08 a2 4',
        '2024-01-08 s1 3',
        '2024-01-15 a2 4',
        '2024-01-15 a3 5',
        '2024-01-15 a4 10',
        '2024-01-15 s1 3',
        '2024-01-22 a1 13',
        '2024-01-22 a3 5',
        '2024-01-22 a4 10',
      ]);
      writeFileSync(join(dated, 'model.kpi'), MODEL.replace('critical < 5', 'critical < 15 from 2024-02-30'));
      const bad = await kpic(dated, ['lint']);
      expect(bad.stdout).toContain('error invalid-date');
    } finally {
      rmSync(dated, { recursive: true, force: true });
    }
  });
});
