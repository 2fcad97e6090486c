/**
 * What each product table holds, in a trader's words: stored as the table's comment in ClickHouse and DuckDB, so the
 * catalog (and the canvas's table picker) reads it from the store like the columns.
 */
export const TABLE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'flowforge.raw_trades': 'Every trade: time, symbol, side, quantity, price and notional',
  'flowforge.raw_quotes': 'Best bid and ask with their sizes and the mid price, quote by quote',
  'marts.dim_instruments': 'The instruments: company name, sector, exchange, currency and lot size',
  'metrics.daily_rollup': 'Per symbol and day: open, high, low, close, VWAP, volume and trade count',
  'metrics.hourly_rollup': 'Per symbol and hour: open, high, low, close, VWAP, volume and trade count',
  'metrics.vwap_5min': 'Per symbol and 5-minute window: VWAP, volume, trade count and average spread',
  'metrics.rolling_volatility': 'Per symbol: rolling volatility of returns over recent windows',
};
