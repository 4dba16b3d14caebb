// The small pieces of the service, on hand-worked values: JSON numbers that
// lose no digit, the latest complete period, and the queue's bounds.

import { describe, expect, it } from 'vitest';
import { latestCompletePeriod, rowsOfPeriod } from '../../runtime/latest-period.ts';
import { jsonValue } from '../../runtime/service/json-values.ts';
import { createGate } from '../../runtime/service/gate.ts';

describe('jsonValue', () => {
  it('gives JSON numbers only when a double holds the value exactly', () => {
    expect(jsonValue(42n, 'BIGINT')).toBe(42);
    expect(jsonValue(2n ** 60n, 'BIGINT')).toBe('1152921504606846976');
    expect(jsonValue('24.3902', 'DECIMAL(18,4)')).toBe(24.3902);
    expect(jsonValue('100.0000', 'DECIMAL(18,4)')).toBe(100);
    expect(jsonValue('-0.5000', 'DECIMAL(18,4)')).toBe(-0.5);
    expect(jsonValue('0.12345678901234567890', 'DECIMAL(38,20)')).toBe('0.12345678901234567890');
    expect(jsonValue(Number.NaN, 'DOUBLE')).toBeNull();
    expect(jsonValue('2024-12-01', 'DATE')).toBe('2024-12-01');
    expect(jsonValue('007', 'VARCHAR')).toBe('007');
  });
});

describe('latestCompletePeriod', () => {
  const columns = ['period', 'tier', 'value', 'incomplete'];
  const rows = [
    ['2024-11-01', 'a', 1, false],
    ['2024-12-01', 'a', 2, false],
    ['2024-12-01', 'b', 3, false],
    ['2025-01-01', 'a', 4, true],
  ];
  it('is the latest period whose rows are complete, and keeps only its rows', () => {
    expect(latestCompletePeriod({ columns, rows })).toBe('2024-12-01');
    expect(rowsOfPeriod({ columns, rows }, '2024-12-01').rows).toEqual([rows[1], rows[2]]);
  });
  it('is undefined without periods, without the incomplete column, or when every period is incomplete', () => {
    expect(latestCompletePeriod({ columns: ['value', 'incomplete'], rows: [[1, false]] })).toBeUndefined();
    expect(latestCompletePeriod({ columns: ['period', 'value'], rows: [['2024-12-01', 1]] })).toBeUndefined();
    expect(latestCompletePeriod({ columns, rows: [rows[3]!] })).toBeUndefined();
  });
});

describe('createGate', () => {
  it('runs one task at a time, queues up to the bound, refuses beyond it, and drops a waiter that is cancelled', async () => {
    const gate = createGate(1);
    let release!: () => void;
    const first = gate.run(() => new Promise<string>((done) => (release = () => done('first'))));
    const controller = new AbortController();
    const second = gate.run(async () => 'second', controller.signal);
    expect(gate.stats()).toMatchObject({ running: 1, waiting: 1 });
    await expect(gate.run(async () => 'third')).rejects.toMatchObject({ code: 'busy' });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    expect(gate.stats()).toMatchObject({ running: 1, waiting: 0, cancelled: 1, refused: 1 });
    release();
    expect(await first).toBe('first');
    expect(await gate.run(async () => 'fourth')).toBe('fourth');
    expect(gate.stats()).toMatchObject({ running: 0, waiting: 0, completed: 2 });
  });
});
