import type { ClickHouseClient } from '@clickhouse/client';
import { quoteRow, tablesOf, tradeRow, type Databases } from '../clickhouse/index.ts';
import { countHistoryTrades, generateHistory, type HistoryOptions } from '../market/index.ts';

export interface HistoricalSeedOptions extends Omit<HistoryOptions, 'tradesPerQuote'> {
  databases: Databases;
  /** Rows per insert. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The plan's seed size: 6 months of weekdays × 10 symbols × 500 trades ≈ 650 000 trades. */
export const HISTORY_DEFAULTS = { days: 183, tradesPerDayPerSymbol: 500, seed: 20_260_101 };

/**
 * Loads the deterministic historical tape into raw_trades/raw_quotes; the rollup MVs fill from the same inserts.
 * Every insert carries a deduplication token built from the tape's identity and the batch number, so running the seed
 * twice (or resuming after a crash) adds nothing that is already there.
 */
export async function seedHistory(client: ClickHouseClient, o: HistoricalSeedOptions): Promise<number> {
  const tables = tablesOf(o.databases);
  const history: HistoryOptions = { ...o, tradesPerQuote: 5 };
  const total = countHistoryTrades(history);
  const batchSize = o.batchSize ?? 50_000;
  const tape = `seed:${o.seed}:${o.end.toISOString().slice(0, 10)}:${o.days}:${o.tradesPerDayPerSymbol}`;
  let trades: ReturnType<typeof tradeRow>[] = [];
  let quotes: ReturnType<typeof quoteRow>[] = [];
  let done = 0;
  let batch = 0;
  const flush = async () => {
    const token = `${tape}:${batch++}`;
    const settings = { deduplicate_blocks_in_dependent_materialized_views: 1 } as const;
    await client.insert({
      table: tables.rawTrades,
      values: trades,
      format: 'JSONEachRow',
      clickhouse_settings: { ...settings, insert_deduplication_token: `${token}:trades` },
    });
    if (quotes.length > 0)
      await client.insert({
        table: tables.rawQuotes,
        values: quotes,
        format: 'JSONEachRow',
        clickhouse_settings: { ...settings, insert_deduplication_token: `${token}:quotes` },
      });
    done += trades.length;
    trades = [];
    quotes = [];
    o.onProgress?.(done, total);
  };
  for (const { trade, quote } of generateHistory(history)) {
    trades.push(tradeRow(trade));
    if (quote) quotes.push(quoteRow(quote));
    if (trades.length >= batchSize) await flush();
  }
  if (trades.length > 0) await flush();
  return done;
}
