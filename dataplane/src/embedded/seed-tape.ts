import { DOUBLE, DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { generateHistory, INSTRUMENTS, type HistoryOptions } from '@flowforge/pipeline/market';

/**
 * The historical tape of `generateHistory` (the one market model, shared with the ClickHouse seed) loaded into the
 * DuckDB temp tables `stage_trades` / `stage_quotes`, a column-wise data chunk of numbers per 2 048 rows.
 *
 * Why numbers only: one appender call per cell (7 N-API calls a trade) and one per string (a VARCHAR vector assigns
 * each string through N-API) were most of a fresh start — 3.4 s CPU for 655 000 trades where generating them takes
 * 0.4 s. A DOUBLE vector is a Float64Array copied once per chunk. Strings come back in SQL (`TRADES_FROM_STAGE`): the
 * symbol from its index, the trade id from (day, symbol, sequence) as `generateHistory` spells it.
 */
const TRADE_COLUMNS = ['day', 'symbol', 'seq', 'ts', 'buy', 'quantity', 'price', 'notional'] as const;
const QUOTE_COLUMNS = ['symbol', 'ts', 'bid', 'ask', 'bid_size', 'ask_size', 'mid_price'] as const;

const SYMBOL_INDEX = new Map(INSTRUMENTS.map((instrument, index) => [instrument.symbol, index]));
const symbolList = `[${INSTRUMENTS.map((i) => `'${i.symbol}'`).join(', ')}]`;
const symbolOf = (column: string) => `${symbolList}[${column}::INTEGER + 1]`;

/**
 * The staged trades as `flowforge.raw_trades` rows, in the table's column order and in event-time order, as live trades
 * arrive: a rollup refresh's time range then skips every row group but the newest (`refreshRollupsSql`).
 */
export const TRADES_FROM_STAGE = `
  SELECT 'hist-' || day::BIGINT || '-' || ${symbolOf('symbol')} || '-' || seq::BIGINT, epoch_ms(ts::BIGINT),
    ${symbolOf('symbol')}, CASE WHEN buy = 1 THEN 'BUY' ELSE 'SELL' END, quantity, price, notional
  FROM stage_trades ORDER BY ts, ${symbolOf('symbol')}, seq`;

/** The staged quotes as `flowforge.raw_quotes` rows. */
export const QUOTES_FROM_STAGE = `
  SELECT ${symbolOf('symbol')}, epoch_ms(ts::BIGINT), bid, ask, bid_size, ask_size, mid_price
  FROM stage_quotes ORDER BY ts, ${symbolOf('symbol')}`;

/** Rows of numbers gathered column-wise and appended as one data chunk whenever the chunk is full. */
class ChunkedAppender {
  static readonly ROWS = 2048;
  readonly #columns: Float64Array[];
  #rows = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    columnCount: number,
  ) {
    this.#columns = Array.from({ length: columnCount }, () => new Float64Array(ChunkedAppender.ROWS));
  }

  add(values: readonly number[]): void {
    for (let c = 0; c < values.length; c++) this.#columns[c]![this.#rows] = values[c]!;
    if (++this.#rows === ChunkedAppender.ROWS) this.flush();
  }

  flush(): void {
    if (this.#rows === 0) return;
    const chunk = DuckDBDataChunk.create(
      this.#columns.map(() => DOUBLE),
      this.#rows,
    );
    chunk.setColumns(this.#columns.map((column) => Array.from(column.subarray(0, this.#rows))));
    this.appender.appendDataChunk(chunk);
    this.#rows = 0;
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

/**
 * Fills `stage_trades` and `stage_quotes` (temp tables, replaced if present) from `history`, calling `onTrades` with the
 * count so far every `progressEvery` trades and yielding to the event loop there. Returns the number of trades.
 */
export async function stageHistory(
  connection: DuckDBConnection,
  history: HistoryOptions,
  onTrades: (done: number) => void,
  progressEvery = 25_000,
): Promise<number> {
  const table = (name: string, columns: readonly string[]) =>
    `CREATE OR REPLACE TEMP TABLE ${name} (${columns.map((c) => `${c} DOUBLE`).join(', ')});`;
  await connection.run(table('stage_trades', TRADE_COLUMNS) + table('stage_quotes', QUOTE_COLUMNS));
  const trades = new ChunkedAppender(await connection.createAppender('stage_trades'), TRADE_COLUMNS.length);
  const quotes = new ChunkedAppender(await connection.createAppender('stage_quotes'), QUOTE_COLUMNS.length);
  let done = 0;
  for (const { trade, quote, day, seq } of generateHistory(history)) {
    const symbol = SYMBOL_INDEX.get(trade.symbol)!;
    trades.add([
      day,
      symbol,
      seq,
      trade.event_time.getTime(),
      trade.side === 'BUY' ? 1 : 0,
      trade.quantity,
      trade.price,
      trade.notional,
    ]);
    if (quote) {
      const { bid, ask, bid_size, ask_size, mid_price } = quote;
      quotes.add([symbol, quote.event_time.getTime(), bid, ask, bid_size, ask_size, mid_price]);
    }
    if (++done % progressEvery === 0) {
      onTrades(done);
      // Yield: the process has other work meanwhile (PGlite's first start, the progress bar, signals).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  trades.close();
  quotes.close();
  return done;
}
