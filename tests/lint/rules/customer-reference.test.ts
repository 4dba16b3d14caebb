import { describe, expect, it } from 'vitest';
import { CUSTOMERS, compilerErrors, lintText, testRule } from '../helpers.ts';

testRule('customer-reference', {
  valid: [
    {
      name: 'a source linked to the customer',
      code: `${CUSTOMERS}source surveys from "s.csv" {
  customer customer_id
  measure responses = count()
}
kpi response_count {
  numerator responses
}
`,
    },
    {
      name: 'a measure of the customer entity itself',
      code: `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
kpi customer_base {
  numerator customer_count
}
`,
    },
    {
      name: 'two hops: orders -> accounts -> customers',
      code: `${CUSTOMERS}source accounts from "a.csv" {
  key account_id
  customer customer_id
}
source orders from "o.csv" {
  join accounts on account_id
  measure order_count = count()
}
kpi orders_placed {
  numerator order_count
}
`,
    },
    {
      name: 'one measure of several is enough',
      code: `${CUSTOMERS}source campaigns from "k.csv" {
  measure spend = sum(cost)
}
source signups from "s.csv" {
  customer customer_id
  measure new_customers = count_distinct(customer_id)
}
kpi spend_per_new_customer {
  numerator spend
  denominator new_customers
}
`,
    },
  ],
  invalid: [
    {
      name: 'one source with no path',
      code: `${CUSTOMERS}source campaigns from "k.csv" {
  measure spend = sum(cost)
}
kpi cost_per_campaign {
  numerator spend
}
`,
      line: 8,
      column: 5,
      message:
        'KPI `cost_per_campaign` has no customer reference: its measures come from source `campaigns`, which has no `customer` or `join` path to `customers`.',
      help: 'link `campaigns` to the customer (`customer customer_id`), or retire the KPI.',
    },
    {
      name: 'two sources, neither reaching the customer',
      code: `${CUSTOMERS}source campaigns from "k.csv" {
  measure spend = sum(cost)
}
source leads from "l.csv" {
  measure lead_count = count()
}
kpi cost_per_lead {
  numerator spend
  denominator lead_count
}
`,
      line: 11,
      column: 5,
      message:
        'its measures come from sources `campaigns` and `leads`, none of which has a `customer` or `join` path to `customers`.',
      help: 'link `campaigns` or `leads` to the customer',
    },
    {
      name: 'a join that leads elsewhere',
      code: `${CUSTOMERS}source channels from "ch.csv" {
  key channel_id
}
source campaigns from "k.csv" {
  join channels on channel_id
  measure spend = sum(cost)
}
kpi spend_by_channel {
  numerator spend
}
`,
      line: 12,
      column: 5,
    },
    {
      name: 'a numerator of numbers only',
      code: `${CUSTOMERS}kpi constant {
  numerator 0.0
}
`,
      line: 5,
      column: 5,
      message:
        'KPI `constant` has no customer reference: it is computed from numbers alone, with no measure and no other KPI.',
      help: 'compute it from a measure of customer data',
    },
  ],
});

describe('customer-reference without a customer entity', () => {
  it('leaves the missing entity to the resolver instead of flagging every KPI', () => {
    const linted = lintText(`source campaigns from "k.csv" {
  measure spend = sum(cost)
}
kpi total_spend {
  numerator spend
}
`);
    expect(compilerErrors(linted).length).toBeGreaterThan(0);
    expect(linted.findings.filter((d) => d.code === 'customer-reference')).toEqual([]);
  });

  it('is an error by default and follows kpic.yaml', () => {
    const code = `${CUSTOMERS}source campaigns from "k.csv" {
  measure spend = sum(cost)
}
kpi total_spend {
  numerator spend
}
`;
    expect(lintText(code).findings.find((d) => d.code === 'customer-reference')?.severity).toBe('error');
    const relaxed = lintText(code, { rules: { 'customer-reference': 'warn' } });
    expect(relaxed.findings.find((d) => d.code === 'customer-reference')?.severity).toBe('warn');
    const off = lintText(code, { rules: { 'customer-reference': 'off' } });
    expect(off.findings.filter((d) => d.code === 'customer-reference')).toEqual([]);
  });
});
