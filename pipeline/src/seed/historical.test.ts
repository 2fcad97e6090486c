import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabases, migrate, prefixedDatabases, tablesOf } from '../clickhouse/index.ts';
import { countHistoryTrades } from '../market/index.ts';
import { seedHistory } from './historical.ts';

const clickhouse = createClient({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123' });
const databases = prefixedDatabases(`ff_seed_${process.pid}_${Date.now().toString(36)}`);
const tables = tablesOf(databases);
const tape = { end: new Date('2026-03-02T00:00:00Z'), days: 7, tradesPerDayPerSymbol: 50, seed: 5 };
const count = async (sql: string) => {
  const rs = await clickhouse.query({ query: sql, format: 'JSONEachRow' });
  return Number(Object.values((await rs.json<Record<string, string>>())[0]!)[0]);
};

beforeAll(() => migrate(clickhouse, databases));
afterAll(async () => {
  await dropDatabases(clickhouse, databases);
  await clickhouse.close();
});

describe('historical seed into ClickHouse (schema from pipeline/clickhouse)', () => {
  it('stores the whole tape with progress, fills the rollup MVs, and a second run adds nothing', async () => {
    const progress: number[] = [];
    const expected = countHistoryTrades({ ...tape, tradesPerQuote: 5 });
    expect(expected).toBe(5 * 10 * 50);
    const loaded = await seedHistory(clickhouse, {
      databases,
      ...tape,
      batchSize: 1_000,
      onProgress: (done) => progress.push(done),
    });
    expect(loaded).toBe(expected);
    expect(progress).toEqual([1_000, 2_000, 2_500]);
    expect(await count(`SELECT count() FROM ${tables.rawTrades}`)).toBe(expected);
    expect(await count(`SELECT count() FROM ${tables.rawQuotes}`)).toBe(expected / 5);
    expect(await count(`SELECT sum(trade_count) FROM ${tables.hourlyRollup}`)).toBe(expected);
    expect(await count(`SELECT sum(trade_count) FROM ${tables.dailyRollup}`)).toBe(expected);
    expect(await count(`SELECT count() FROM ${tables.dimInstruments}`)).toBe(10);

    await seedHistory(clickhouse, { databases, ...tape, batchSize: 1_000 });
    await migrate(clickhouse, databases);
    expect(await count(`SELECT count() FROM ${tables.rawTrades}`)).toBe(expected);
    expect(await count(`SELECT sum(trade_count) FROM ${tables.dailyRollup}`)).toBe(expected);
    expect(await count(`SELECT count() FROM ${tables.dimInstruments}`)).toBe(10);
  });
});
