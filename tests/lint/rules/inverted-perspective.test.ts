import { CUSTOMERS, testRule } from '../helpers.ts';

// Lines 5-11 of every case: a source with one company-side and two customer-side measures.
const TICKETS = `${CUSTOMERS}source tickets from "t.csv" {
  customer customer_id
  time opened_at
  measure agent_rating = avg(agent_self_score) side company
  measure customer_rating = avg(csat_score)
  measure ticket_count = count()
}
`;

testRule('inverted-perspective', {
  valid: [
    {
      name: 'perception over image',
      code: `${TICKETS}kpi perceived_quality {\n  numerator customer_rating\n  denominator agent_rating\n}\n`,
    },
    {
      name: 'customer over customer',
      code: `${TICKETS}kpi rating_per_ticket {\n  numerator customer_rating\n  denominator ticket_count\n}\n`,
    },
    {
      name: 'no denominator',
      code: `${TICKETS}kpi agent_view {\n  perspective company\n  customer_value "x"\n  numerator agent_rating\n}\n`,
    },
    {
      name: 'a numerator mixing sides is not on the company side',
      code: `${TICKETS}kpi mixed_sides {\n  numerator agent_rating + customer_rating\n  denominator ticket_count\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'image over perception',
      code: `${TICKETS}kpi support_quality {\n  numerator agent_rating\n  denominator customer_rating\n}\n`,
      line: 13,
      column: 13,
      message: 'divides a company-side quantity (`agent_rating`) by a customer-side one (`customer_rating`)',
      help: 'invert the ratio: `numerator customer_rating` and `denominator agent_rating`',
    },
    {
      name: 'an expression of company-side measures over customer-side ones',
      code: `${TICKETS}kpi support_quality {\n  numerator agent_rating * 2\n  denominator customer_rating + ticket_count\n}\n`,
      line: 13,
      column: 13,
      message: '(`agent_rating * 2`) by a customer-side one (`customer_rating + ticket_count`)',
    },
    {
      name: 'a measure of a source that does not reach the customer is company-side by default',
      code: `${TICKETS}source campaigns from "k.csv" {
  measure spend = sum(cost)
}
kpi spend_per_ticket {
  numerator spend
  denominator ticket_count
}
`,
      line: 16,
      column: 13,
    },
  ],
});
