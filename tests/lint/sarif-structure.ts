// A hand-written check of the SARIF 2.1.0 structure kpic emits, used when
// the published JSON schema is not installed (and alongside it when it is).

export interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: {
          id: string;
          helpUri?: string;
          help?: { text: string; markdown: string };
          shortDescription: { text: string };
          fullDescription: { text: string };
          defaultConfiguration: { level: string };
        }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
    }[];
  }[];
}

/**
 * The parts of SARIF 2.1.0 (OASIS standard, sections 3.13-3.30) a consumer
 * relies on, checked by hand: required properties, enums, absolute URIs
 * where the standard asks for them, 1-based regions, rule indexes in range.
 */
export function checkSarifStructure(log: SarifLog): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  const isAbsoluteUri = (u: unknown) => typeof u === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(u);
  const isText = (m: unknown) =>
    typeof (m as { text?: unknown } | undefined)?.text === 'string' && (m as { text: string }).text !== '';
  const levels = ['none', 'note', 'warning', 'error'];
  if (log.version !== '2.1.0') fail('version must be "2.1.0"');
  if (!isAbsoluteUri(log.$schema)) fail('$schema must be an absolute URI');
  if (!Array.isArray(log.runs) || log.runs.length !== 1) fail('exactly one run');
  for (const run of log.runs ?? []) {
    const driver = run.tool?.driver;
    if (typeof driver?.name !== 'string' || driver.name === '') fail('tool.driver.name is required');
    if (typeof driver?.version !== 'string') fail('tool.driver.version');
    if (!isAbsoluteUri(driver?.informationUri)) fail('tool.driver.informationUri must be an absolute URI');
    const ids = new Set<string>();
    for (const rule of driver?.rules ?? []) {
      if (typeof rule.id !== 'string' || ids.has(rule.id)) fail(`rule id missing or repeated: ${rule.id}`);
      ids.add(rule.id);
      if (!isText(rule.shortDescription) || !isText(rule.fullDescription)) fail(`${rule.id}: descriptions need text`);
      if (rule.helpUri !== undefined && !isAbsoluteUri(rule.helpUri))
        fail(`${rule.id}: helpUri must be an absolute URI`);
      if (!levels.includes(rule.defaultConfiguration?.level)) fail(`${rule.id}: defaultConfiguration.level`);
    }
    if (!Array.isArray(run.results)) fail('results must be an array');
    for (const [i, result] of (run.results ?? []).entries()) {
      const rule = driver?.rules[result.ruleIndex];
      if (!Number.isInteger(result.ruleIndex) || rule?.id !== result.ruleId)
        fail(`result ${i}: ruleIndex does not point at ruleId`);
      if (!levels.includes(result.level)) fail(`result ${i}: level`);
      if (!isText(result.message)) fail(`result ${i}: message.text`);
      for (const location of result.locations ?? []) {
        const { artifactLocation, region } = location.physicalLocation ?? {};
        const uri = artifactLocation?.uri;
        if (typeof uri !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || /\s/.test(uri))
          fail(`result ${i}: uri must be a relative reference`);
        const { startLine = 0, startColumn = 0, endLine = 0, endColumn = 0 } = region ?? {};
        if (![startLine, startColumn, endLine, endColumn].every((n) => Number.isInteger(n) && n >= 1))
          fail(`result ${i}: region numbers are 1-based integers`);
        if (endLine < startLine || (endLine === startLine && endColumn < startColumn))
          fail(`result ${i}: region ends before it starts`);
      }
    }
  }
  return problems;
}
