import { DuckDBInstance } from '@duckdb/node-api';
import { seedTrades } from './clickhouse-seed.ts';

/** The same tape as ClickHouse's, in an in-memory DuckDB with the plan's column types. */
export async function seededDuckDB(): Promise<DuckDBInstance> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`CREATE SCHEMA flowforge;
      CREATE TABLE flowforge.raw_trades (
        trade_id VARCHAR, event_time TIMESTAMP_MS, symbol VARCHAR, side VARCHAR,
        quantity DECIMAL(18,4), price DECIMAL(18,6), notional DECIMAL(18,4))`);
    const insert = await conn.prepare('INSERT INTO flowforge.raw_trades VALUES ($1, $2, $3, $4, $5, $6, $7)');
    for (const t of seedTrades()) {
      insert.bindVarchar(1, t.trade_id);
      insert.bindVarchar(2, t.event_time);
      insert.bindVarchar(3, t.symbol);
      insert.bindVarchar(4, t.side);
      insert.bindVarchar(5, t.quantity);
      insert.bindVarchar(6, t.price);
      insert.bindVarchar(7, t.notional);
      await insert.run();
    }
  } finally {
    conn.closeSync();
  }
  return db;
}
