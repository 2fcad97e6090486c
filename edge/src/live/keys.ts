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

/** Data versions live in the cache for a year: they only ever grow, and a lost one just means one extra cache miss. */
export const DATA_VERSION_TTL_SECONDS = 365 * 86_400;
