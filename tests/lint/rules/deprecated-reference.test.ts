import { CUSTOMERS, testRule } from '../helpers.ts';

// Lines 5-20: a deprecated KPI replaced by an active one.
const SURVEYS = `${CUSTOMERS}source surveys from "s.csv" {
  customer customer_id
  measure satisfied = count() where csat >= 4
  measure promoters = count() where nps >= 9
  measure responses = count()
}
kpi csat_share {
  status deprecated
  replaced_by promoter_share
  numerator satisfied
  denominator responses
}
kpi promoter_share {
  numerator promoters
  denominator responses
}
`;

testRule('deprecated-reference', {
  valid: [
    { name: 'a derived KPI over active KPIs', code: `${SURVEYS}kpi score {\n  value promoter_share * 10\n}\n` },
    {
      name: 'a deprecated derived KPI over a deprecated KPI',
      code: `${SURVEYS}kpi old_score {\n  status deprecated\n  value csat_share * 10\n}\n`,
    },
    { name: 'nothing uses the deprecated KPI', code: SURVEYS },
  ],
  invalid: [
    {
      name: 'a derived KPI using a deprecated KPI',
      code: `${SURVEYS}kpi experience_score {\n  value (csat_share + promoter_share) / 2\n}\n`,
      line: 22,
      column: 10,
      message: 'KPI `experience_score` uses `csat_share`, which is deprecated and replaced by `promoter_share`.',
      help: 'use `promoter_share` instead of `csat_share`.',
    },
    {
      name: 'names compare without regard to case',
      code: `${SURVEYS}kpi experience_score {\n  value abs(CSAT_SHARE) * 2\n}\n`,
      line: 22,
      column: 13,
    },
    {
      name: 'a deprecated KPI with no replacement',
      code: `${CUSTOMERS}source surveys from "s.csv" {
  customer customer_id
  measure satisfied = count() where csat >= 4
  measure responses = count()
}
kpi csat_share {
  status deprecated
  numerator satisfied
  denominator responses
}
kpi score {
  value csat_share * 10
}
`,
      line: 16,
      column: 9,
      message: 'which is deprecated and names no replacement.',
      help: 'ask the owners of `csat_share`',
    },
    {
      name: 'a replacement that is itself deprecated',
      code: `${CUSTOMERS}source surveys from "s.csv" {
  customer customer_id
  measure satisfied = count() where csat >= 4
  measure responses = count()
}
kpi csat_v1 {
  status deprecated
  replaced_by csat_v2
  numerator satisfied
  denominator responses
}
kpi csat_v2 {
  status deprecated
  replaced_by csat_v3
  numerator satisfied
  denominator responses
}
kpi csat_v3 {
  numerator satisfied
  denominator responses
}
`,
      line: 12,
      column: 15,
      message: 'KPI `csat_v1` is replaced by `csat_v2`, which is itself deprecated and replaced by `csat_v3`.',
    },
  ],
});
