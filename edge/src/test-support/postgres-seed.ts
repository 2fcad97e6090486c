import type { SqlClient } from '../adapters/postgres/sql-client.ts';
import { seedTrades } from './clickhouse-seed.ts';

/** The same tape in a PostgreSQL schema (the Materialize stand-in), created once under an advisory lock. */
export async function seedPostgres(sql: SqlClient, schema: string): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7312002)');
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE TABLE IF NOT EXISTS ${schema}.raw_trades (
        trade_id text, event_time timestamp(3), symbol text, side text,
        quantity numeric(18,4), price numeric(18,6), notional numeric(18,4))`);
    const [row] = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.raw_trades`);
    if (Number(row?.n) > 0) return;
    const trades = seedTrades();
    const cols = ['trade_id', 'event_time', 'symbol', 'side', 'quantity', 'price', 'notional'] as const;
    const values = trades
      .map((_, i) => `(${cols.map((_, j) => `$${i * cols.length + j + 1}`).join(', ')})`)
      .join(', ');
    await tx.query(
      `INSERT INTO ${schema}.raw_trades VALUES ${values}`,
      trades.flatMap((t) => cols.map((c) => t[c])),
    );
  });
}
