import { clickHouseClient } from '../adapters/clickhouse/index.ts';
import { stackEnv } from './stack.ts';

export const SEED_SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'TSLA'] as const;
/** Trades per symbol: 3 days × 20 trades. */
export const TRADES_PER_SYMBOL = 60;

export interface SeedTrade {
  trade_id: string;
  event_time: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  notional: string;
}

/** The deterministic tape every engine gets, so adapters can be compared value for value. */
export function seedTrades(): SeedTrade[] {
  return SEED_SYMBOLS.flatMap((symbol, s) =>
    Array.from({ length: TRADES_PER_SYMBOL }, (_, i): SeedTrade => {
      const day = Math.floor(i / 20);
      const quantity = 10 + ((i * 7 + s * 3) % 90);
      const price = 100 + s * 50 + (i % 13) * 0.25;
      return {
        trade_id: `edge-seed-${symbol}-${i}`,
        event_time: `2026-01-0${day + 5} ${String(14 + (i % 6)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000`,
        symbol,
        side: i % 2 ? 'SELL' : 'BUY',
        quantity: quantity.toFixed(4),
        price: price.toFixed(6),
        notional: (quantity * price).toFixed(4),
      };
    }),
  );
}

/**
 * `flowforge.raw_trades` per the plan's DDL with a small deterministic tape. Idempotent and safe under parallel test
 * files: the table is created if missing and filled only when empty of our trade ids.
 */
export async function seedClickHouse(url = stackEnv.CLICKHOUSE_URL): Promise<void> {
  const client = clickHouseClient({ url });
  try {
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS flowforge' });
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS flowforge.raw_trades (
        trade_id String, event_time DateTime64(3), symbol String, side Enum8('BUY'=1, 'SELL'=2),
        quantity Decimal(18,4), price Decimal(18,6), notional Decimal(18,4)
      ) ENGINE = MergeTree() ORDER BY (symbol, event_time) PARTITION BY toYYYYMM(event_time)`,
    });
    // Views that make the preview guard rails trip for real: one reads 100 M rows (past max_rows_to_read), one burns
    // CPU on 9 M rows (past max_execution_time).
    await client.command({
      query:
        'CREATE VIEW IF NOT EXISTS flowforge.edge_test_wide AS SELECT number AS n FROM numbers(100000000)',
    });
    // 60 chained hashes per row: pure CPU, no memory, so it is the time limit that trips.
    const heavy = Array.from({ length: 60 }, (_, i) => i + 1).reduce(
      (e, i) => `sipHash64(${e}, ${i})`,
      'number',
    );
    await client.command({
      query: `CREATE OR REPLACE VIEW flowforge.edge_test_heavy AS SELECT number AS n, ${heavy} % 3 AS score FROM numbers(9000000)`,
    });
    const rs = await client.query({
      query: "SELECT count() AS n FROM flowforge.raw_trades WHERE startsWith(trade_id, 'edge-seed-')",
      format: 'JSONEachRow',
    });
    const [count] = await rs.json<{ n: string }>();
    if (Number(count?.n) >= SEED_SYMBOLS.length * TRADES_PER_SYMBOL) return;
    const rows = seedTrades();
    await client.insert({ table: 'flowforge.raw_trades', values: rows, format: 'JSONEachRow' });
  } finally {
    await client.close();
  }
}
