/** Runs compiled SQL on one analytical store (ClickHouse, Materialize, DuckDB). */
export interface ResultColumn {
  name: string;
  /** The engine's own type name, e.g. `Decimal(18, 4)` or `DECIMAL(18,4)`. */
  type: string;
}

/** Values are JSON-safe: 64-bit ints and decimals become numbers when that is exact, else strings; times are ISO-ish strings. */
export type Row = unknown[];

export interface QueryResult {
  columns: ResultColumn[];
  rows: Row[];
  elapsedMs: number;
}

export interface QueryOptions {
  /** Preview guard rails; adapters map them to their own settings where the engine has them. */
  limits?: { maxExecutionSeconds: number; maxMemoryBytes: number; maxRowsToRead: number };
  signal?: AbortSignal;
}

export type EngineErrorKind = 'timeout' | 'too_expensive' | 'invalid_query' | 'unavailable';

/** Adapters translate their driver errors into this, so routes map kinds to HTTP statuses in one place. */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface AnalyticsEngine {
  readonly store: string;
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** Streams rows for CSV export without holding the result in memory. */
  stream(sql: string, options?: QueryOptions): Promise<{ columns: ResultColumn[]; rows: AsyncIterable<Row> }>;
  ping(): Promise<void>;
}
