// kpic.yaml's `timezone` is checked against the engine's own list of zones,
// kept in runtime/project/timezones.ts so that commands without the engine
// (lint, fmt) check it too. These tests compare that list with the engine's
// live answer, and show what the check stops: a name the engine would take
// without a word and compute in UTC.

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { engineTimeZones } from '../../scripts/timezones.ts';
import { parseConfig, ProjectFileError } from '../../runtime/project/config.ts';
import { ENGINE_TIME_ZONES } from '../../runtime/project/timezones.ts';

function zoneError(zone: string): ProjectFileError | undefined {
  try {
    parseConfig(`timezone: "${zone}"\n`);
    return undefined;
  } catch (error) {
    if (error instanceof ProjectFileError) return error;
    throw error;
  }
}

/** The wall time the engine gives for 2024-07-01 00:00 UTC in `zone`. */
async function engineWallTime(zone: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select cast(timezone('${zone.replaceAll("'", "''")}', timestamptz '2024-07-01 00:00:00+00') as varchar)`,
    );
    return String(reader.getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('the engine’s time zones', () => {
  it('the kept list is the engine’s own (run `node scripts/timezones.ts` after an engine upgrade)', async () => {
    expect([...ENGINE_TIME_ZONES]).toEqual(await engineTimeZones());
    expect(ENGINE_TIME_ZONES.length).toBeGreaterThan(400);
  });

  it('every zone JavaScript lists is one the engine knows', () => {
    const engine = new Set(ENGINE_TIME_ZONES.map((z) => z.toLowerCase()));
    expect(Intl.supportedValuesOf('timeZone').filter((z) => !engine.has(z.toLowerCase()))).toEqual([]);
  });

  it('an unknown name is computed in UTC by the engine without an error, and refused by kpic.yaml', async () => {
    // The attack works without the check: the engine answers, in UTC.
    expect(await engineWallTime('Etc/Unknown')).toBe('2024-07-01 00:00:00');
    expect(await engineWallTime('Europe/Berlin')).toBe('2024-07-01 02:00:00');
    const error = zoneError('Etc/Unknown');
    expect(error?.diagnostics[0]).toMatchObject({
      code: 'config-invalid-value',
      file: 'kpic.yaml',
      span: { start: { line: 1, column: 11 } },
    });
    expect(error?.diagnostics[0]?.message).toContain('not a time zone the engine knows');
  });

  it('refuses offsets with a hint, and a name only the engine lists (`Factory`)', () => {
    expect(zoneError('+01:00')?.diagnostics[0]?.help).toContain('Etc/GMT-1');
    expect(zoneError('UTC+1')?.diagnostics[0]?.code).toBe('config-invalid-value');
    expect(ENGINE_TIME_ZONES).toContain('Factory');
    expect(zoneError('Factory')?.diagnostics[0]?.code).toBe('config-invalid-value');
    expect(zoneError('Europe/Berln')?.diagnostics[0]?.help).toBe('did you mean `Europe/Berlin`?');
  });

  it('takes names and aliases the engine knows, in any case', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'europe/berlin', 'Asia/Calcutta', 'Etc/GMT-1', 'America/New_York'])
      expect(zoneError(zone), zone).toBeUndefined();
  });
});
