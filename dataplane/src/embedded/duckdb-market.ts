import type { DuckDBConnection } from '@duckdb/node-api';
import {
  countHistoryTrades,
  tradingDays,
  INSTRUMENTS,
  TABLE_DESCRIPTIONS,
  type HistoryOptions,
} from '@flowforge/pipeline/market';
import { QUOTES_FROM_STAGE, stageHistory, TRADES_FROM_STAGE } from './seed-tape.ts';

/**
 * The embedded mode's analytics database: the plan's ClickHouse tables rebuilt in DuckDB, one schema per ClickHouse
 * database so graphs written against `flowforge.raw_trades` run unchanged in both.
 */
const DDL = `
CREATE SCHEMA IF NOT EXISTS flowforge;
CREATE SCHEMA IF NOT EXISTS metrics;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS flowforge_meta;
CREATE TABLE IF NOT EXISTS flowforge.raw_trades (
  trade_id VARCHAR NOT NULL, event_time TIMESTAMP NOT NULL, symbol VARCHAR NOT NULL, side VARCHAR NOT NULL,
  quantity DECIMAL(18,4) NOT NULL, price DECIMAL(18,6) NOT NULL, notional DECIMAL(18,4) NOT NULL);
CREATE TABLE IF NOT EXISTS flowforge.raw_quotes (
  symbol VARCHAR NOT NULL, event_time TIMESTAMP NOT NULL, bid DECIMAL(18,6) NOT NULL, ask DECIMAL(18,6) NOT NULL,
  bid_size DECIMAL(18,4) NOT NULL, ask_size DECIMAL(18,4) NOT NULL, mid_price DECIMAL(18,6) NOT NULL);
CREATE TABLE IF NOT EXISTS marts.dim_instruments (
  symbol VARCHAR NOT NULL, name VARCHAR NOT NULL, sector VARCHAR NOT NULL, exchange VARCHAR NOT NULL,
  currency VARCHAR NOT NULL, lot_size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flowforge_meta.seed (seeded_at TIMESTAMP NOT NULL, trades BIGINT NOT NULL, seed INTEGER NOT NULL);
`;

/** `COMMENT ON` for the tables (or views) of `kinds` that exist here: the catalog's descriptions. */
const comments = (kind: 'TABLE' | 'VIEW', names: readonly string[]) =>
  names.map((name) => `COMMENT ON ${kind} ${name} IS ${sqlString(TABLE_DESCRIPTIONS[name]!)};`).join('\n');
const TABLE_COMMENTS = comments('TABLE', [
  'flowforge.raw_trades',
  'flowforge.raw_quotes',
  'marts.dim_instruments',
]);
const VIEW_COMMENTS = comments('VIEW', [
  'metrics.hourly_rollup',
  'metrics.daily_rollup',
  'metrics.vwap_5min',
]);

/*
 * ClickHouse keeps the rollups current with materialized views on insert; DuckDB has none, so they are views over the
 * tape: always consistent with what the simulator appended, and fast enough at embedded scale.
 */
const ROLLUP_VIEWS = `
CREATE OR REPLACE VIEW metrics.hourly_rollup AS
SELECT symbol, date_trunc('hour', event_time) AS hour,
  arg_min(price, event_time) AS open, max(price) AS high, min(price) AS low, arg_max(price, event_time) AS close,
  CAST(sum(notional) / sum(quantity) AS DECIMAL(18,6)) AS vwap, sum(quantity) AS total_volume,
  CAST(count(*) AS UINTEGER) AS trade_count
FROM flowforge.raw_trades GROUP BY ALL;
CREATE OR REPLACE VIEW metrics.daily_rollup AS
SELECT symbol, CAST(event_time AS DATE) AS day,
  arg_min(price, event_time) AS open, max(price) AS high, min(price) AS low, arg_max(price, event_time) AS close,
  CAST(sum(notional) / sum(quantity) AS DECIMAL(18,6)) AS vwap, sum(quantity) AS total_volume,
  CAST(count(*) AS UINTEGER) AS trade_count
FROM flowforge.raw_trades GROUP BY ALL;
CREATE OR REPLACE VIEW metrics.vwap_5min AS
WITH t AS (
  SELECT symbol, time_bucket(INTERVAL 5 MINUTE, event_time) + INTERVAL 5 MINUTE AS window_end,
    sum(notional) AS notional, sum(quantity) AS volume, count(*) AS trade_count
  FROM flowforge.raw_trades GROUP BY ALL),
q AS (
  SELECT symbol, time_bucket(INTERVAL 5 MINUTE, event_time) + INTERVAL 5 MINUTE AS window_end,
    avg((ask - bid) / mid_price * 10000) AS spread_bps
  FROM flowforge.raw_quotes GROUP BY ALL)
SELECT t.symbol, t.window_end, CAST(t.notional / t.volume AS DECIMAL(18,6)) AS vwap, t.volume,
  CAST(t.trade_count AS UINTEGER) AS trade_count, CAST(q.spread_bps AS DECIMAL(8,2)) AS spread_bps
FROM t LEFT JOIN q USING (symbol, window_end);
${VIEW_COMMENTS}
`;

/**
 * Tables that receive rows while the embedded mode runs: the simulator's tape and the rollup views over it. Their
 * cached previews expire after LIVE_CACHE_TTL seconds instead of PREVIEW_CACHE_TTL.
 */
export const LIVE_TABLES = [
  'flowforge.raw_trades',
  'flowforge.raw_quotes',
  'metrics.hourly_rollup',
  'metrics.daily_rollup',
  'metrics.vwap_5min',
] as const;

export interface SeedProgress {
  phase: 'trades' | 'finalize';
  done: number;
  total: number;
}

export interface SeedOptions extends Partial<
  Pick<HistoryOptions, 'days' | 'tradesPerDayPerSymbol' | 'seed'>
> {
  end?: Date;
  /** Approximate size of the tape (`--trades`): rounded up to whole trades per day per symbol. */
  trades?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export const DEFAULT_SEED: Pick<HistoryOptions, 'days' | 'tradesPerDayPerSymbol' | 'seed'> = {
  days: 183,
  tradesPerDayPerSymbol: 500,
  seed: 20_260_101,
};

export async function isSeeded(connection: DuckDBConnection): Promise<boolean> {
  return (await seededTrades(connection)) !== null;
}

/** How many trades the historical seed loaded, or null before the first seed. */
export async function seededTrades(connection: DuckDBConnection): Promise<number | null> {
  await connection.run(DDL);
  await connection.run(TABLE_COMMENTS);
  const reader = await connection.runAndReadAll('SELECT max(trades)::BIGINT AS n FROM flowforge_meta.seed');
  const n = reader.getRowObjects()[0]?.n;
  if (n === null || n === undefined) return null;
  // A data directory seeded before the views had comments gets them now.
  await connection.run(VIEW_COMMENTS);
  return Number(n);
}

/** Creates the schema and, unless already done, loads the historical tape. Returns the number of trades loaded. */
export async function seedMarket(connection: DuckDBConnection, options: SeedOptions = {}): Promise<number> {
  if (await isSeeded(connection)) return 0;
  const end = options.end ?? new Date();
  const days = options.days ?? DEFAULT_SEED.days;
  const history: HistoryOptions = {
    end,
    days,
    tradesPerDayPerSymbol:
      options.trades !== undefined
        ? Math.max(1, Math.ceil(options.trades / (tradingDays(end, days).length * INSTRUMENTS.length)))
        : (options.tradesPerDayPerSymbol ?? DEFAULT_SEED.tradesPerDayPerSymbol),
    tradesPerQuote: 5,
    seed: options.seed ?? DEFAULT_SEED.seed,
  };
  const total = countHistoryTrades(history);
  const report = options.onProgress ?? (() => {});

  const done = await stageHistory(connection, history, (n) => report({ phase: 'trades', done: n, total }));
  report({ phase: 'finalize', done, total });

  const instruments = INSTRUMENTS.map(
    (i) =>
      `(${[i.symbol, i.name, i.sector, i.exchange, i.currency].map(sqlString).join(', ')}, ${i.lotSize})`,
  ).join(',\n');
  await connection.run(`
    BEGIN;
    INSERT INTO flowforge.raw_trades ${TRADES_FROM_STAGE};
    INSERT INTO flowforge.raw_quotes ${QUOTES_FROM_STAGE};
    INSERT INTO marts.dim_instruments VALUES ${instruments};
    ${ROLLUP_VIEWS}
    INSERT INTO flowforge_meta.seed VALUES (now()::TIMESTAMP, ${done}, ${history.seed});
    COMMIT;
    DROP TABLE stage_trades;
    DROP TABLE stage_quotes;`);
  return done;
}

/** Only for the constant instrument rows above: they are ours, not user input. */
function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
