// Many-to-one links checked against the data: a key that repeats in a link's
// target is reported and the query refused; a unique one runs as before.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../runtime/execute.ts';
import { checkLinkKeys, duplicateKeysSql, linksFrom, linksOfKpi } from '../../runtime/project/link-keys.ts';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';
import { makeTempDir } from './helpers.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  dimension tier
}

source plans from "plans.csv" {
  key plan_id
  dimension plan_name
}

source accounts from "accounts.csv" {
  key account_id
  customer customer_id
  join plans on plan_id
  measure accounts_count = count()
}

source orders from "orders.csv" {
  key order_id
  customer customer_id
  time ordered_at
  measure revenue = sum(amount)
}

source buyers from orders { key customer_id }

source refunds from "refunds.csv" {
  key refund_id
  join buyers on customer_id
  measure refunded = count()
}

kpi revenue {
  owner "finance"
  numerator revenue
  segment by tier
}

kpi accounts_by_plan {
  owner "finance"
  numerator accounts_count
  segment by plan_name
}

kpi doubled {
  owner "finance"
  value revenue * 2
}
`;

const ORDERS = 'order_id,customer_id,ordered_at,amount\n10,1,2024-01-05 10:00:00,20\n11,2,2024-01-07 11:30:00,15\n';

function makeProject(customers: string, plans: string, orders = ORDERS): { dir: string; cleanup: () => void } {
  const temp = makeTempDir('kpic-keys-');
  mkdirSync(join(temp.dir, 'data'));
  writeFileSync(join(temp.dir, 'kpic.yaml'), 'name: keys\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
  writeFileSync(join(temp.dir, 'model.kpi'), MODEL);
  writeFileSync(join(temp.dir, 'data', 'customers.csv'), customers);
  writeFileSync(join(temp.dir, 'data', 'plans.csv'), plans);
  writeFileSync(
    join(temp.dir, 'data', 'accounts.csv'),
    'account_id,customer_id,plan_id\n100,1,p1\n101,2,p2\n102,2,p1\n',
  );
  writeFileSync(join(temp.dir, 'data', 'orders.csv'), orders);
  writeFileSync(join(temp.dir, 'data', 'refunds.csv'), 'refund_id,customer_id\n1,1\n');
  return temp;
}

const clean = makeProject('customer_id,tier\n1,gold\n2,silver\n', 'plan_id,plan_name\np1,basic\np2,pro\n');
// Customer 1 three times, customer 2 twice; plan p1 twice; null keys never
// count. Orders of customer 1 repeat too, but `buyers` keeps each key once.
const dirty = makeProject(
  'customer_id,tier\n1,gold\n1,silver\n1,bronze\n2,silver\n2,gold\n,x\n,y\n',
  'plan_id,plan_name\np1,basic\np1,basic2\np2,pro\n',
  `${ORDERS}12,1,2024-01-08 09:00:00,5\n`,
);
let good: Project;
let bad: Project;

beforeAll(async () => {
  good = await openProject({ projectDir: clean.dir });
  bad = await openProject({ projectDir: dirty.dir });
});

afterAll(async () => {
  await good.close();
  await bad.close();
  clean.cleanup();
  dirty.cleanup();
});

describe('link keys', () => {
  it('finds the links a KPI may follow, through a derived KPI too', () => {
    expect(good.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const show = (links: ReturnType<typeof linksFrom>) =>
      links.map((l) => `${l.from}.${l.fromColumn}>${l.to}.${l.toColumn}`);
    expect(show(linksOfKpi(good.model, 'revenue'))).toEqual(['orders.customer_id>customers.customer_id']);
    expect(show(linksOfKpi(good.model, 'DOUBLED'))).toEqual(['orders.customer_id>customers.customer_id']);
    expect(show(linksOfKpi(good.model, 'accounts_by_plan'))).toEqual([
      'accounts.customer_id>customers.customer_id',
      'accounts.plan_id>plans.plan_id',
    ]);
  });

  it('runs a query whose link keys are unique, with the hand-computed values', async () => {
    const result = await runQuery(good, { kpi: 'revenue', grain: 'none' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // gold: order 10 (20); silver: order 11 (15).
    expect(result.value?.rows.map((r) => [r[0], Number(r[1])])).toEqual([
      ['gold', 20],
      ['silver', 15],
    ]);
  });

  it('refuses a query whose link target repeats a key, naming the most repeated values', async () => {
    const result = await runQuery(bad, { kpi: 'revenue', grain: 'none' });
    expect(result.value).toBeUndefined();
    const [problem, ...rest] = result.diagnostics.filter((d) => d.severity === 'error');
    expect(rest).toEqual([]);
    expect(problem?.code).toBe('non-unique-key');
    expect(problem?.file).toBe('model.kpi');
    expect(problem?.span.start.line).toBe(21);
    expect(problem?.message).toContain('`customers.customer_id` is not unique');
    expect(problem?.message).toContain('`1` appears 3 times (also `2` appears 2 times)');
    expect(problem?.message).toContain('counted 3 times');
  });

  it('checks only the links the KPI follows, and each target once', async () => {
    const result = await runQuery(bad, { kpi: 'accounts_by_plan', grain: 'none' });
    const problems = result.diagnostics.filter((d) => d.code === 'non-unique-key');
    expect(problems.map((d) => d.span.start.line)).toEqual([14, 15]);
    expect(problems[1]?.message).toMatch(
      /`plans.plan_id` is not unique in the data: `p1` appears 2 times;.*counted twice/,
    );
  });

  it('reports every link with a repeated key for check, and skips a derived source (unique by construction)', async () => {
    const all = linksFrom(bad.model, [...bad.model.sources.keys()]);
    const found = await checkLinkKeys(bad, all);
    expect(all.some((l) => l.to === 'buyers')).toBe(true);
    expect(found.map((d) => `${d.span.start.line}:${d.span.start.column}`)).toEqual(['14:3', '15:3', '21:3']);
    expect(await checkLinkKeys(good, linksFrom(good.model, [...good.model.sources.keys()]))).toEqual([]);
  });

  it('quotes names and paths through the compiler', () => {
    const text = duplicateKeysSql({ kind: 'file', path: "it's.csv", format: 'csv' }, 'odd "key"', '/data');
    expect(text).toContain(`read_csv('/data/it''s.csv')`);
    expect(text).toContain(`"t"."odd ""key"""`);
  });
});
