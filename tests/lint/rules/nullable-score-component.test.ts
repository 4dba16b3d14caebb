import { testRule } from '../helpers.ts';

const BASE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
source logins from "l.csv" {
  customer customer_id
  time at
  measure login_count = count()
}
kpi logins {
  owner "x"
  numerator login_count
  grain week
}
kpi signups {
  owner "x"
  numerator customer_count
  grain week
}
`;

testRule('nullable-score-component', {
  valid: [
    `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(coalesce(logins, 0), 0, 10), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
    {
      name: 'no weighted_mean: a null input gives a null value, nothing is re-weighted',
      code: `${BASE}kpi ratio {\n  owner "x"\n  value logins / signups\n  grain week\n}\n`,
    },
    {
      name: 'one term: a customer without logins has no score, nothing is re-weighted',
      code: `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(logins, 0, 10), 1)\n  grain week\n}\n`,
    },
    {
      name: 'a derived input that always has a value (coalesced inside)',
      code: `${BASE}kpi logins_or_zero {\n  owner "x"\n  value coalesce(logins, 0) * 2\n  grain week\n}\nkpi health {\n  owner "x"\n  value weighted_mean(score(logins_or_zero, 0, 10), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
    },
    {
      name: 'a coalesce whose fallback is another KPI that is coalesced',
      code: `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(coalesce(logins, coalesce(signups, 0)), 0, 10), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
    },
  ],
  invalid: [
    {
      code: `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(logins, 0, 10), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
      line: 22,
      column: 29,
      message: 'KPI `logins` in the score `health` has no value for a customer (or segment) without rows of its data',
      help: 'write `coalesce(logins, 0)`',
    },
    {
      name: 'a derived input that can be null (it reads logins without coalesce)',
      code: `${BASE}kpi logins_doubled {\n  owner "x"\n  value logins * 2\n  grain week\n}\nkpi health {\n  owner "x"\n  value weighted_mean(score(logins_doubled, 0, 10), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
      line: 27,
      column: 29,
      message: 'KPI `logins_doubled` in the score `health`',
    },
    {
      name: 'previous: the period before may have no row',
      code: `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(coalesce(logins, 0) / previous(logins), 0, 2), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
      line: 22,
      column: 60,
      message: 'KPI `logins` in the score `health`',
    },
    {
      name: 'a division by a coalesced value that is 0 without rows',
      code: `${BASE}kpi health {\n  owner "x"\n  value weighted_mean(score(coalesce(logins, 0) / coalesce(signups, 0), 0, 2), 2, score(coalesce(signups, 0), 0, 5), 1)\n  grain week\n}\n`,
      line: 22,
      column: 60,
      message: 'KPI `signups` in the score `health`',
    },
  ],
});
