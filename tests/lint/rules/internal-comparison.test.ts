import { CUSTOMERS, testRule } from '../helpers.ts';

// Lines 5-12.
const TICKETS = `${CUSTOMERS}source tickets from "t.csv" {
  customer customer_id
  time opened_at
  dimension support_team, agent internal
  dimension channel
  measure resolved_tickets = count() where resolved
  measure opened_tickets = count()
}
`;
const kpi = (segments: string) =>
  `${TICKETS}kpi resolution_rate {\n  numerator resolved_tickets\n  denominator opened_tickets\n  segment by ${segments}\n}\n`;

testRule('internal-comparison', {
  valid: [
    {
      name: 'no segments',
      code: `${TICKETS}kpi resolution_rate {\n  numerator resolved_tickets\n  denominator opened_tickets\n}\n`,
    },
    { name: 'a customer dimension', code: kpi('tier') },
    { name: 'a customer dimension alongside internal ones', code: kpi('support_team, customers.region') },
    { name: 'a dimension of the fact source not marked internal', code: kpi('channel, agent') },
    { name: 'a plain column is not known to be internal', code: kpi('priority') },
  ],
  invalid: [
    {
      name: 'one internal dimension',
      code: kpi('support_team'),
      line: 16,
      column: 14,
      message: 'segmented only by internal dimensions (`support_team`)',
      help: 'e.g. `tier`',
    },
    {
      name: 'several internal dimensions, qualified or not',
      code: kpi('support_team, tickets.agent'),
      line: 16,
      column: 14,
      message: '(`support_team` and `agent`)',
    },
  ],
});
