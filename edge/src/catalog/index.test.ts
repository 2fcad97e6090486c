import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBCatalogSource } from '../adapters/duckdb/index.ts';
import { RefreshingCatalog } from './index.ts';

let db: DuckDBInstance;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    'CREATE SCHEMA flowforge; CREATE TABLE flowforge.raw_trades (symbol VARCHAR, price DECIMAL(18,6))',
  );
  conn.closeSync();
});
afterAll(() => db.closeSync());

const addTable = async (sql: string) => {
  const conn = await db.connect();
  await conn.run(sql);
  conn.closeSync();
};

describe('DuckDBCatalogSource', () => {
  it('reports descriptions (table and view comments) and row counts, and hides the bookkeeping schema', async () => {
    await addTable(`CREATE TABLE flowforge.fills (symbol VARCHAR); INSERT INTO flowforge.fills VALUES ('A'), ('B');
      COMMENT ON TABLE flowforge.fills IS 'Every fill';
      CREATE VIEW flowforge.fill_count AS SELECT count(*) AS n FROM flowforge.fills;
      COMMENT ON VIEW flowforge.fill_count IS 'How many fills';
      CREATE SCHEMA flowforge_meta; CREATE TABLE flowforge_meta.seed (n INTEGER)`);
    const tables = await new DuckDBCatalogSource(db).discover();
    const byName = Object.fromEntries(tables.map((t) => [`${t.database}.${t.table}`, t]));
    expect(byName['flowforge.fills']).toMatchObject({ description: 'Every fill', row_count: 2 });
    expect(byName['flowforge.fill_count']!.description).toBe('How many fills');
    expect(byName['flowforge.fill_count']).not.toHaveProperty('row_count');
    expect(tables.filter((t) => t.database === 'flowforge_meta')).toEqual([]);
    await addTable('DROP VIEW flowforge.fill_count; DROP TABLE flowforge.fills');
  });
});

describe('RefreshingCatalog', () => {
  it('re-discovers once the last discovery is 60 s old, not before', async () => {
    let now = 0;
    const catalog = new RefreshingCatalog([new DuckDBCatalogSource(db)], { now: () => now });
    expect((await catalog.tables(null)).map((t) => t.table)).toEqual(['raw_trades']);
    await addTable('CREATE TABLE flowforge.raw_quotes (symbol VARCHAR, bid DOUBLE)');
    now = 59_999;
    expect((await catalog.tables(null)).map((t) => t.table)).toEqual(['raw_trades']);
    now = 60_000;
    expect((await catalog.tables(null)).map((t) => t.table).sort()).toEqual(['raw_quotes', 'raw_trades']);
  });

  it("narrows to a tenant's allowed tables", async () => {
    const catalog = new RefreshingCatalog([new DuckDBCatalogSource(db)]);
    expect((await catalog.tables(['flowforge.raw_trades'])).map((t) => t.table)).toEqual(['raw_trades']);
    expect(await catalog.tables([])).toEqual([]);
  });

  it('hands out the same array per ACL until the next discovery, so the compiler parses it once', async () => {
    let now = 0;
    const catalog = new RefreshingCatalog([new DuckDBCatalogSource(db)], { now: () => now });
    const all = await catalog.tables(null);
    const trades = await catalog.tables(['flowforge.raw_trades']);
    expect(await catalog.tables(null)).toBe(all);
    expect(await catalog.tables(['flowforge.raw_trades'])).toBe(trades);
    expect(trades).not.toBe(all);
    now = 60_000;
    const rediscovered = await catalog.tables(null);
    expect(rediscovered).not.toBe(all);
    expect(rediscovered).toEqual(all);
  });

  it('keeps the last good tables of a source whose discovery fails', async () => {
    let now = 0;
    let fail = false;
    const duck = new DuckDBCatalogSource(db);
    const flaky = {
      store: 'duckdb',
      discover: () => (fail ? Promise.reject(new Error('down')) : duck.discover()),
    };
    const catalog = new RefreshingCatalog([flaky], { now: () => now });
    const before = await catalog.tables(null);
    fail = true;
    now = 120_000;
    expect(await catalog.tables(null)).toEqual(before);
  });
});
