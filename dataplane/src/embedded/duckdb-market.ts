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
/**
 * ClickHouse keeps the rollups current with materialized views on insert; DuckDB has none. As views over the tape they
 * cost 50–500 ms per read at 1 M trades (every dashboard widget on them paid it), so they are tables: built once after
 * the seed, and each simulator step recomputes only the (symbol, bucket) rows it touched, in the step's transaction.
 * The tape is stored in event-time order (the seed sorts it, live trades arrive in order), so a bucket's time range
 * skips every row group but the last few. One rollup = a time bucket + the aggregate of the tape rows that `where`
 * keeps; the same select builds the table and refreshes a bucket, so the two cannot drift.
 */
interface Rollup {
  name: string;
  /** The bucket's key column and its value for a bucket that starts at `start`. */
  keyColumn: string;
  key: (start: string) => string;
  /** The start of the bucket holding an instant, and the bucket's width. */
  bucket: (instant: string) => string;
  width: string;
  select: (where: string) => string;
}

const ohlc = (rollup: Omit<Rollup, 'select'>): Rollup => ({
  ...rollup,
  select: (where) => `
    SELECT symbol, ${rollup.key(rollup.bucket('event_time'))} AS ${rollup.keyColumn},
      arg_min(price, event_time) AS open, max(price) AS high, min(price) AS low, arg_max(price, event_time) AS close,
      CAST(sum(notional) / sum(quantity) AS DECIMAL(18,6)) AS vwap, sum(quantity) AS total_volume,
      CAST(count(*) AS UINTEGER) AS trade_count
    FROM flowforge.raw_trades WHERE ${where} GROUP BY ALL`,
});

const windowEnd = (eventTime: string) => `time_bucket(INTERVAL 5 MINUTE, ${eventTime}) + INTERVAL 5 MINUTE`;

const ROLLUPS: readonly Rollup[] = [
  ohlc({
    name: 'metrics.hourly_rollup',
    keyColumn: 'hour',
    key: (start) => start,
    bucket: (t) => `date_trunc('hour', ${t})`,
    width: 'INTERVAL 1 HOUR',
  }),
  ohlc({
    name: 'metrics.daily_rollup',
    keyColumn: 'day',
    key: (start) => `CAST(${start} AS DATE)`,
    bucket: (t) => `date_trunc('day', ${t})`,
    width: 'INTERVAL 1 DAY',
  }),
  {
    name: 'metrics.vwap_5min',
    keyColumn: 'window_end',
    key: (start) => `${start} + INTERVAL 5 MINUTE`,
    bucket: (t) => `time_bucket(INTERVAL 5 MINUTE, ${t})`,
    width: 'INTERVAL 5 MINUTE',
    select: (where) => `
      WITH t AS (
        SELECT symbol, ${windowEnd('event_time')} AS window_end,
          sum(notional) AS notional, sum(quantity) AS volume, count(*) AS trade_count
        FROM flowforge.raw_trades WHERE ${where} GROUP BY ALL),
      q AS (
        SELECT symbol, ${windowEnd('event_time')} AS window_end,
          avg((ask - bid) / mid_price * 10000) AS spread_bps
        FROM flowforge.raw_quotes WHERE ${where} GROUP BY ALL)
      SELECT t.symbol, t.window_end, CAST(t.notional / t.volume AS DECIMAL(18,6)) AS vwap, t.volume,
        CAST(t.trade_count AS UINTEGER) AS trade_count, CAST(q.spread_bps AS DECIMAL(8,2)) AS spread_bps
      FROM t LEFT JOIN q USING (symbol, window_end)`,
  },
];

/** Builds every rollup table from the whole tape. */
const BUILD_ROLLUPS = `${ROLLUPS.map(
  (r) => `CREATE OR REPLACE TABLE ${r.name} AS ${r.select('true')} ORDER BY symbol, ${r.keyColumn};`,
).join('\n')}
${comments(
  'TABLE',
  ROLLUPS.map((r) => r.name),
)}`;

/**
 * SQL that recomputes the rollup rows of `symbols` for the buckets holding `instant` (a simulator step's trades all
 * carry its instant). Run it in the transaction that appended the trades: readers see the tape and its rollups agree.
 */
export function refreshRollupsSql(instant: Date, symbols: readonly string[]): string {
  const at = `TIMESTAMP '${instant.toISOString().replace('T', ' ').replace('Z', '')}'`;
  const symbolIn = `symbol IN (${symbols.map(sqlString).join(', ')})`;
  return ROLLUPS.map((r) => {
    const start = r.bucket(at);
    return `DELETE FROM ${r.name} WHERE ${symbolIn} AND ${r.keyColumn} = ${r.key(start)};
INSERT INTO ${r.name} ${r.select(`${symbolIn} AND event_time >= ${start} AND event_time < ${start} + ${r.width}`)};`;
  }).join('\n');
}

/**
 * A data directory seeded while the rollups were views over a tape sorted by symbol: sort the tape by time (a refresh
 * would scan all of it otherwise; DELETE + INSERT keeps the table's constraints) and build the tables, once.
 */
async function rollupsAsTables(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'metrics' AND table_type = 'VIEW'",
  );
  const views = reader.getRowObjects().map((r) => `metrics.${String(r.table_name)}`);
  if (views.length === 0) return;
  const resort = (table: string) => `
    CREATE TEMP TABLE resorted AS SELECT * FROM ${table} ORDER BY event_time;
    DELETE FROM ${table};
    INSERT INTO ${table} SELECT * FROM resorted;
    DROP TABLE resorted;`;
  await connection.run(`BEGIN;
    ${resort('flowforge.raw_trades')}
    ${resort('flowforge.raw_quotes')}
    ${views.map((view) => `DROP VIEW ${view};`).join('\n')}
    ${BUILD_ROLLUPS}
    COMMIT;`);
}

/**
 * Tables that receive rows while the embedded mode runs: the simulator's tape and the rollups over it. Their
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
  await rollupsAsTables(connection);
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
    ${BUILD_ROLLUPS}
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
