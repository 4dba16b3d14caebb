// The MCP prompts: how to use the tools for two common questions, so an
// assistant asks kpic for the numbers instead of computing them itself.

import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';

export function reviewScorecard(owner: string | undefined): GetPromptResult {
  const scope = owner ? `the active KPIs owned by "${owner}"` : 'every active KPI';
  return user(
    `Review the KPI scorecard of this kpic project: ${scope}.\n\n` +
      `1. Call list_kpis with status "active"${owner ? ` and owner "${owner}"` : ''}.\n` +
      "2. For each KPI, call query_kpi with latest: true and compare: true (the KPI's own segments), so every value is of the latest complete period and its change is computed by kpic.\n" +
      "3. Report a table per owner: KPI, segment, value, target and status (from describe_kpi's thresholds), change on the period before. Put critical first, then warn.\n" +
      '4. Mention periods marked incomplete and rows excluded by data checks when they matter, and name the replacement of any deprecated KPI.\n' +
      '5. For each alert list_kpis shows with a KPI, call at_risk with that alert: list the customers or segments in breach, the longest in breach first, with who is responsible and whether it is escalated to the accountable role.\n' +
      'Use only numbers returned by the tools; do not estimate missing values.',
  );
}

export function investigateDrop(kpi: string): GetPromptResult {
  return user(
    `Investigate the drop of the KPI "${kpi}" in this kpic project.\n\n` +
      `1. Call describe_kpi for "${kpi}": its formula, measures, segments, grains, thresholds and the KPIs it reads.\n` +
      '2. Call query_kpi with compare: true at its grain over the last few periods to find when the value fell (change and change_pct are computed by kpic; use them rather than your own arithmetic).\n' +
      '3. Break it down: query_kpi with compare: true and `by` set to each of its segments, to find where the fall is concentrated.\n' +
      `4. Call at_risk for "${kpi}" (also with by: ["customer"] when the KPI reaches customers) to name the customers or segments in breach, and at_risk with each of its alerts (list_kpis lists them) for the breaches its alerts report and who is responsible.\n` +
      '5. If it reads other KPIs, repeat step 2 for them. Check incomplete periods and excluded rows before concluding.\n' +
      'Report when, where and how much it fell, which thresholds are breached, and who owns the KPI.',
  );
}

function user(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}
