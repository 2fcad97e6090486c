/**
 * Names shared by everything that appends market data (Kafka workers, the embedded simulator), the preview cache and
 * the WebSocket fan-out. One module so a writer and a reader can never disagree on a key.
 */

/** Redis / in-memory cache key holding a table's data version: bumped after every batch appended to `table`. */
export const dataVersionKey = (table: string): string => `dv:${table}`;

/** Pub/sub channel a symbol's ticks go to after each stored batch. */
export const symbolChannel = (symbol: string): string => `flowforge:market:symbol:${symbol}`;
export const SYMBOL_CHANNEL_PATTERN = 'flowforge:market:symbol:*';

/** What is published on a symbol channel: the tables that got rows for it, so the fan-out can route precisely. */
export interface SymbolTick {
  type: 'tick';
  symbol: string;
  /** `database.table` names as graphs reference them. */
  tables: string[];
  /** Last trade price, when the batch held trades. */
  price?: number;
  /** Event time of the newest event of the batch for this symbol (ISO). */
  event_time: string;
  trades?: number;
}

/**
 * Redis hash families the workers keep current: one hash per symbol at `{database}:{table}:{symbol}`. The redis store
 * serves them as tables `latest.quote` / `latest.vwap` (column `symbol` = the key's suffix, then these fields).
 */
export const LATEST_HASHES = {
  quote: {
    bid: 'float64',
    ask: 'float64',
    mid_price: 'float64',
    bid_size: 'int64',
    ask_size: 'int64',
    event_time: 'datetime',
  },
  vwap: {
    vwap: 'float64',
    volume: 'float64',
    trade_count: 'int64',
    spread_bps: 'float64',
    window_end: 'datetime',
  },
} as const;
export const LATEST_DATABASE = 'latest';
export type LatestHash = keyof typeof LATEST_HASHES;
/** The fields a writer must set on a `latest:{kind}` hash, as Redis stores them (strings). */
export type LatestFields<K extends LatestHash> = Record<keyof (typeof LATEST_HASHES)[K], string>;

/** The key of one hash of a redis-store table. */
export const hashKey = (table: { database: string; table: string }, symbol: string): string =>
  `${table.database}:${table.table}:${symbol}`;
export const latestKey = (kind: LatestHash, symbol: string): string =>
  hashKey({ database: LATEST_DATABASE, table: kind }, symbol);

/** Data versions live in the cache for a year: they only ever grow, and a lost one just means one extra cache miss. */
export const DATA_VERSION_TTL_SECONDS = 365 * 86_400;
