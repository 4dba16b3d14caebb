// The checks both front ends must pass on the saas example, against the hand
// SQL of hand.ts: `kpic mcp` (tools over stdio) and `kpic serve` (HTTP).
// `call` runs one operation (a tool name) and gives its structured answer or
// its error text.

import { expect, it } from 'vitest';
import {
  customersWhere,
  enterpriseUsageDropBreaches,
  hand,
  npsChange,
  npsLatestMonth,
  npsMonth,
  regionCriticalBreaches,
  usageDropAtRisk,
} from './hand.ts';
import type { HandRow } from './hand.ts';

export type Answer = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };
export type Call = (tool: string, args: Record<string, unknown>) => Promise<Answer>;

type Row = Record<string, unknown>;

function value(answer: Answer): Record<string, unknown> {
  if (!answer.ok) throw new Error(`expected an answer, got the error: ${answer.message}`);
  return answer.value;
}

function message(answer: Answer): string {
  if (answer.ok) throw new Error(`expected an error, got ${JSON.stringify(answer.value).slice(0, 300)}`);
  return answer.message;
}

function expectClose(actual: unknown, expected: unknown, label: string): void {
  if (expected === null) return void expect(actual, label).toBeNull();
  expect(typeof actual, label).toBe('number');
  expect(Math.abs((actual as number) - (expected as number)), label).toBeLessThan(
    1e-9 * Math.max(1, Math.abs(expected as number)),
  );
}

/** kpic's rows against the hand rows, matched on `keys`; numbers within 1e-9, everything else equal. */
function expectRows(
  actual: readonly Row[],
  expected: readonly HandRow[],
  keys: readonly string[],
  columns: readonly string[],
): void {
  expect(expected.length, 'the hand SQL returned no rows: the comparison would prove nothing').toBeGreaterThan(0);
  const key = (r: Row) => JSON.stringify(keys.map((k) => r[k]));
  const got = new Map(actual.map((r) => [key(r), r]));
  expect([...got.keys()].sort()).toEqual(expected.map(key).sort());
  for (const want of expected) {
    const row = got.get(key(want))!;
    for (const c of columns) {
      if (typeof want[c] === 'number') expectClose(row[c], want[c], `${key(want)} ${c}`);
      else expect(row[c], `${key(want)} ${c}`).toEqual(want[c]);
    }
  }
}

export function defineServiceChecks(call: () => Call): void {
  it('list_kpis filters by owner, text and lifecycle', async () => {
    const support = value(await call()('list_kpis', { owner: 'support' }));
    // metrics/kpis/time-to-first-response.kpi and examples/saas/kpis/tickets-per-active-customer.kpi.
    expect((support['kpis'] as Row[]).map((k) => k['name'])).toEqual([
      'tickets_per_active_customer',
      'time_to_first_response',
    ]);
    const churn = value(await call()('list_kpis', { text: 'CHURN' }));
    expect((churn['kpis'] as Row[]).map((k) => k['name'])).toEqual([
      'activity_churn',
      'gross_revenue_retention',
      'logo_churn',
    ]);
    const nps = (value(await call()('list_kpis', {}))['kpis'] as Row[]).find((k) => k['name'] === 'nps');
    expect(nps).toMatchObject({
      title: 'Net Promoter Score',
      owner: 'customer-success',
      perspective: 'customer',
      indicator: 'lagging',
      lifecycle: 'active',
      replaced_by: null,
    });
    expect(value(await call()('list_kpis', { status: 'deprecated' }))['kpis']).toEqual([]);
    expect(message(await call()('list_kpis', { status: 'actve' }))).toMatch(
      /status: `actve` is not a lifecycle status[\s\S]*did you mean `active`/,
    );
  });

  it('describe_kpi gives the governed definition: thresholds, segments, grains, path, what it reads and what reads it', async () => {
    const nps = value(await call()('describe_kpi', { kpi: 'NPS' }));
    expect(nps).toMatchObject({
      name: 'nps',
      owner: 'customer-success',
      segments: ['tier', 'region'],
      grain: 'month',
      direction: 'higher',
      lifecycle: 'active',
    });
    expect(nps['thresholds']).toEqual([
      { level: 'target', op: '>=', value: '30', for: null, since: null, from_table: null },
      { level: 'warn', op: '<', value: '10', for: null, since: null, from_table: null },
      { level: 'critical', op: '<', value: '-10', for: null, since: null, from_table: null },
      { level: 'critical', op: '<', value: '0', for: 'region = "EMEA"', since: null, from_table: null },
    ]);
    expect(nps['allowed_grains']).toEqual(['day', 'week', 'month', 'quarter', 'year', 'none']);
    expect(nps['path_to_customer']).toEqual(
      expect.arrayContaining([{ measure: 'nps_responses', path: ['surveys', 'customers'] }]),
    );
    expect(String(nps['definition'])).toMatch(/^kpi nps \{[\s\S]*critical < 0 for region = "EMEA"\n\}$/);
    const weekly = value(await call()('describe_kpi', { kpi: 'weekly_events' }));
    expect(weekly['read_by']).toEqual(['customer_health', 'usage_drop']);
    const drop = value(await call()('describe_kpi', { kpi: 'usage_drop' }));
    expect(drop['reads']).toEqual(['weekly_events', 'weekly_events_4w_average']);
    // Thresholds read from the sales plan's target table say so, with no number.
    const plan = value(await call()('describe_kpi', { kpi: 'new_customers_vs_plan' }));
    const table = (column: string) => ({ source: 'signup_plan', column });
    expect(plan['thresholds']).toEqual([
      { level: 'target', op: '>=', value: null, for: null, since: null, from_table: table('target') },
      { level: 'warn', op: '<', value: null, for: null, since: null, from_table: table('floor') },
    ]);
  });

  it('query_kpi with latest gives the latest complete month, equal to hand SQL, with the check exclusions', async () => {
    const month = await npsLatestMonth();
    const answer = value(await call()('query_kpi', { kpi: 'nps', by: ['tier'], latest: true }));
    expect(answer['latest_period']).toBe(month);
    expect(answer['columns']).toEqual([
      'period',
      'tier',
      'numerator',
      'denominator',
      'value',
      'status',
      'target_met',
      'incomplete',
    ]);
    const rows = answer['rows'] as Row[];
    expect(new Set(rows.map((r) => r['period']))).toEqual(new Set([month]));
    expectRows(
      rows,
      await npsMonth(month, ['tier']),
      ['tier'],
      ['numerator', 'denominator', 'value', 'status', 'target_met'],
    );
    const [excluded] = await hand(
      `SELECT count(*) AS n FROM read_csv('{data}/surveys.csv') WHERE NOT ((survey_type = 'nps' AND score BETWEEN 0 AND 10) OR (survey_type = 'csat' AND score BETWEEN 1 AND 5) OR (survey_type = 'ces' AND score BETWEEN 1 AND 7))`,
    );
    expect(answer['excluded']).toEqual([{ source: 'surveys', check: 'score_in_scale', rows: excluded!['n'] }]);
  });

  it('query_kpi with by, where, grain and range equals hand SQL; compare computes the change', async () => {
    const month = await npsLatestMonth();
    const next = await hand(`SELECT strftime(DATE '${month}' + INTERVAL 1 MONTH, '%Y-%m-%d') AS m`);
    const answer = value(
      await call()('query_kpi', {
        kpi: 'nps',
        by: ['region'],
        grain: 'month',
        from: month,
        to: String(next[0]!['m']),
        where: 'tier = "enterprise"',
      }),
    );
    const expected =
      await hand(`SELECT region, count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6) AS numerator, count(*) AS denominator
      FROM read_csv('{data}/surveys.csv') s JOIN read_csv('{data}/customers.csv') c USING (customer_id)
      WHERE survey_type = 'nps' AND score BETWEEN 0 AND 10 AND tier = 'enterprise' AND responded_at >= DATE '${month}' AND responded_at < DATE '${month}' + INTERVAL 1 MONTH
      GROUP BY region`);
    expectRows(answer['rows'] as Row[], expected, ['region'], ['numerator', 'denominator']);
    const total = value(await call()('query_kpi', { kpi: 'nps', by: [], compare: true, latest: true }));
    const change = await npsChange(month);
    const [row] = total['rows'] as Row[];
    expectClose(row!['value'], change.value, 'value');
    expectClose(row!['previous_value'], change.previous, 'previous_value');
    expectClose(row!['change'], change.change, 'change');
  });

  it('query_kpi notes a where value the data does not hold, with the value it does', async () => {
    const answer = value(
      await call()('query_kpi', { kpi: 'nps', by: [], grain: 'none', where: 'tier = "Enterprise"' }),
    );
    const notes = (answer['notes'] as string[]).join('');
    expect(notes).toContain('warn unknown-value');
    expect(notes).toContain('"Enterprise" is not a value of `customers.tier` in the data');
    expect(notes).toContain('did you mean "enterprise"?');
    // The customers' tiers, by hand: no row is `Enterprise`, so the query counts no answer.
    const tiers = await hand(`SELECT DISTINCT tier FROM read_csv('{data}/customers.csv') ORDER BY tier`);
    expect(tiers.map((t) => t['tier'])).toEqual(['enterprise', 'growth', 'starter']);
    expect((answer['rows'] as Row[])[0]!['denominator']).toBe(0);
  });

  it('query_kpi marks the periods the data covers only in part', async () => {
    const answer = value(await call()('query_kpi', { kpi: 'weekly_events', from: '2024-12-04' }));
    // 2024-12-04 is a Wednesday: its week starts before the range does.
    expect(answer['incomplete_periods']).toContain('2024-12-02');
    const rows = answer['rows'] as Row[];
    expect(rows.find((r) => r['period'] === '2024-12-02')?.['incomplete']).toBe(true);
    expect(rows.find((r) => r['period'] === '2024-12-09')?.['incomplete']).toBe(false);
  });

  it('at_risk names the enterprise customers in breach of usage_drop in the latest complete week, worst first, with owner and thresholds', async () => {
    const expected = await usageDropAtRisk();
    const answer = value(
      await call()('at_risk', { kpi: 'usage_drop', by: ['customer'], where: 'tier = "enterprise"', limit: 5000 }),
    );
    expect(answer).toMatchObject({
      kpi: 'usage_drop',
      owner: 'customer-success',
      period: expected.week,
      segments: ['customer'],
      direction: 'higher',
      truncated: false,
    });
    expect(answer['thresholds']).toEqual([
      { level: 'warn', op: '<', value: '-0.15', for: null, since: null, from_table: null },
      { level: 'critical', op: '<', value: '-0.3', for: null, since: null, from_table: null },
    ]);
    const rows = answer['rows'] as Row[];
    expectRows(rows, expected.rows, ['customer'], ['value', 'status']);
    // Worst first: every critical before any warn, values rising within each.
    const ranks = rows.map((r) => (r['status'] === 'critical' ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort());
    const limited = value(
      await call()('at_risk', { kpi: 'usage_drop', by: ['customer'], where: 'tier = "enterprise"', limit: 2 }),
    );
    expect(limited).toMatchObject({ truncated: true, row_count: expected.rows.length });
    expect(limited['rows']).toEqual(rows.slice(0, 2));
  });

  it("at_risk by segments follows the KPI's own thresholds (EMEA's critical below 0)", async () => {
    const month = await npsLatestMonth();
    const expected = (await npsMonth(month, ['tier', 'region'])).filter(
      (r) => r['status'] === 'critical' || r['status'] === 'warn',
    );
    const answer = value(await call()('at_risk', { kpi: 'nps' }));
    expect(answer['period']).toBe(month);
    expect(answer['segments']).toEqual(['tier', 'region']);
    expectRows(answer['rows'] as Row[], expected, ['tier', 'region'], ['value', 'status']);
  });

  it('at_risk of an alert gives the breaches `kpic alert` finds, equal to hand SQL, with RACI and the run of periods', async () => {
    const expected = await enterpriseUsageDropBreaches();
    const answer = value(await call()('at_risk', { alert: 'Enterprise_Usage_Drop', limit: 5000 }));
    expect(answer).toMatchObject({
      kpi: 'account_weekly_usage',
      owner: 'customer-success',
      period: expected.week,
      latest_period: expected.week,
      segments: ['customer'],
      truncated: false,
      row_count: expected.rows.length,
      alert: {
        name: 'enterprise_usage_drop',
        by: ['customer'],
        where: 'tier = "enterprise"',
        condition: 'change < -30% against average 4',
        level: 'critical',
        escalate_after: 3,
        responsible: ['csm-team'],
        accountable: ['cs-manager'],
        informed: ['#cs-alerts'],
      },
    });
    const rows = answer['rows'] as Row[];
    expectRows(
      rows,
      expected.rows,
      ['customer'],
      ['value', 'previous_value', 'baseline', 'change', 'periods_in_breach', 'at_least', 'escalated'],
    );
    for (const row of rows) {
      expect(row).toMatchObject({ period: expected.week, threshold: -0.3, level: 'critical', responsible: 'csm-team' });
      // Who is told: the responsible role and the informed channel; the accountable one once escalated.
      expect(row['notify']).toBe(row['escalated'] ? 'csm-team, cs-manager, #cs-alerts' : 'csm-team, #cs-alerts');
    }
    // Longest in breach first.
    const runs = rows.map((r) => Number(r['periods_in_breach']));
    expect(runs).toEqual([...runs].sort((a, b) => b - a));
    // An alert's name given as `kpi` is that alert; `limit` cuts the same order.
    const limited = value(await call()('at_risk', { kpi: 'enterprise_usage_drop', limit: 3 }));
    expect(limited).toMatchObject({ truncated: true, row_count: expected.rows.length });
    expect(limited['rows']).toEqual(rows.slice(0, 3));
  });

  it('at_risk of a status alert gives the regions critical in the latest complete month, equal to hand SQL', async () => {
    const expected = await regionCriticalBreaches();
    const answer = value(await call()('at_risk', { alert: 'region_critical' }));
    expect(answer).toMatchObject({
      kpi: 'regional_nps',
      period: expected.month,
      segments: ['region'],
      alert: { condition: 'status critical', responsible: ['regional-cs-lead'], accountable: ['vp-customer-success'] },
    });
    expectRows(
      answer['rows'] as Row[],
      expected.rows,
      ['region'],
      ['value', 'previous_value', 'periods_in_breach', 'at_least', 'escalated'],
    );
    for (const row of answer['rows'] as Row[]) {
      // A status condition has no number of its own: the KPI's thresholds decide.
      expect(row).toMatchObject({ status: 'critical', threshold: null, baseline: null, change: null });
      expect(row['notify']).toBe(row['escalated'] ? 'regional-cs-lead, vp-customer-success' : 'regional-cs-lead');
    }
  });

  it('at_risk of an alert refuses what the alert declares itself, and names an unknown alert with a did-you-mean', async () => {
    expect(message(await call()('at_risk', { alert: 'enterprise_usage_drp' }))).toMatch(
      /unknown alert `enterprise_usage_drp`[\s\S]*did you mean `enterprise_usage_drop`/,
    );
    expect(message(await call()('at_risk', { alert: 'region_critical', where: 'tier = "starter"' }))).toMatch(
      /where: alert `region_critical` declares its own breakdown, filter and condition/,
    );
    expect(message(await call()('at_risk', { kpi: 'nps', alert: 'region_critical' }))).toMatch(
      /unknown alert `region_critical` in KPI `nps`/,
    );
    expect(message(await call()('at_risk', {}))).toMatch(/give `kpi` or `alert`/);
  });

  it('explain_sql gives SQL that, run on a plain DuckDB, returns the hand answer', async () => {
    const month = await npsLatestMonth();
    const answer = value(await call()('explain_sql', { kpi: 'nps', by: ['tier'], from: month }));
    expect(answer['columns']).toEqual(['period', 'tier', 'numerator', 'denominator', 'value', 'status', 'target_met']);
    const rows = await hand(String(answer['sql']));
    expectRows(
      rows.filter((r) => String(r['period']).startsWith(month)),
      await npsMonth(month, ['tier']),
      ['tier'],
      ['numerator', 'denominator', 'value', 'status'],
    );
  });

  it("unknown KPI, bad grain and SQL in where are errors with the compiler's message", async () => {
    expect(message(await call()('query_kpi', { kpi: 'nsp' }))).toMatch(/unknown KPI `nsp`[\s\S]*did you mean `nps`/);
    expect(message(await call()('describe_kpi', { kpi: 'nsp' }))).toMatch(/unknown KPI `nsp`/);
    expect(message(await call()('query_kpi', { kpi: 'nps', grain: 'fortnight' }))).toMatch(
      /grain: `fortnight` is not a grain[\s\S]*grains are day, week, month, quarter, year, and none/,
    );
    expect(message(await call()('query_kpi', { kpi: 'nps', by: ['teir'] }))).toMatch(
      /unknown-dimension[\s\S]*did you mean `tier`/,
    );
    expect(message(await call()('at_risk', { kpi: 'nps', from: '2024-02-30' }))).toMatch(
      /from: `2024-02-30` is not a date/,
    );
    // The attack: spliced into SQL as text, this filter matches every customer instead of none...
    const attack = `tier = 'none') or (1 = 1`;
    expect(await customersWhere(`tier = 'none'`)).toBe(0);
    expect(await customersWhere(attack)).toBe(2000);
    // ...kpic parses `where` as a kpic predicate, so it is refused with the parser's diagnostic.
    for (const tool of ['query_kpi', 'at_risk', 'explain_sql']) {
      expect(message(await call()(tool, { kpi: 'nps', where: attack }))).toMatch(/<query>:1:\d+ error/);
    }
    expect(message(await call()('query_kpi', { kpi: 'nps', where: '1=1; drop table customers' }))).toMatch(
      /unexpected character `;`/,
    );
    // A table function is not a kpic function: the resolver refuses it before any SQL exists.
    expect(message(await call()('query_kpi', { kpi: 'nps', where: "read_text('/etc/passwd') = 'x'" }))).toMatch(
      /error/,
    );
    for (const tool of ['query_kpi', 'at_risk', 'explain_sql', 'describe_kpi']) {
      expect(message(await call()(tool, { kpi: 'nsp' }))).not.toMatch(/\n\s+at .+(\.ts|\.js)/);
    }
  });
}
