-- FlowForge ClickHouse schema (plan §4 clickhouse-init 000_init.sql). Applied idempotently by `npm run pipeline -- migrate`.
-- Statements are separated by a semicolon at the end of a line.
--
-- Deviations from the plan, each for exactly-once ingestion (see pipeline/README.md, "Idempotent sinks"):
--  * tables the Kafka workers insert into keep the hashes of their last 10 000 insert blocks
--    (non_replicated_deduplication_window), so a redelivered batch sent with the same insert_deduplication_token adds nothing;
--  * the windowed metrics are ReplacingMergeTree by (symbol, window_end): a window recomputed after a restart replaces itself.

CREATE DATABASE IF NOT EXISTS flowforge;
CREATE DATABASE IF NOT EXISTS metrics;
CREATE DATABASE IF NOT EXISTS marts;

-- Raw trades table (warm path writes here)
CREATE TABLE IF NOT EXISTS flowforge.raw_trades (
    trade_id      String,
    event_time    DateTime64(3),
    symbol        String,
    side          Enum8('BUY'=1, 'SELL'=2),
    quantity      Decimal(18,4),
    price         Decimal(18,6),
    notional      Decimal(18,4)
) ENGINE = MergeTree()
ORDER BY (symbol, event_time)
PARTITION BY toYYYYMM(event_time)
SETTINGS non_replicated_deduplication_window = 10000;

-- A table created earlier without the setting (e.g. by a test seed) gets it too.
ALTER TABLE flowforge.raw_trades MODIFY SETTING non_replicated_deduplication_window = 10000;

-- Raw quotes table
CREATE TABLE IF NOT EXISTS flowforge.raw_quotes (
    symbol        String,
    event_time    DateTime64(3),
    bid           Decimal(18,6),
    ask           Decimal(18,6),
    bid_size      Decimal(18,4),
    ask_size      Decimal(18,4),
    mid_price     Decimal(18,6)
) ENGINE = MergeTree()
ORDER BY (symbol, event_time)
PARTITION BY toYYYYMM(event_time)
SETTINGS non_replicated_deduplication_window = 10000;

ALTER TABLE flowforge.raw_quotes MODIFY SETTING non_replicated_deduplication_window = 10000;

-- VWAP 5-min windows (the VWAP worker writes here)
CREATE TABLE IF NOT EXISTS metrics.vwap_5min (
    symbol        String,
    window_end    DateTime64(3),
    vwap          Decimal(18,6),
    volume        Decimal(18,4),
    trade_count   UInt32,
    spread_bps    Decimal(8,2)
) ENGINE = ReplacingMergeTree()
ORDER BY (symbol, window_end);

-- Rolling volatility (the VWAP worker writes here, one row per closed window)
CREATE TABLE IF NOT EXISTS metrics.rolling_volatility (
    symbol        String,
    window_end    DateTime64(3),
    volatility_1h Decimal(18,8),
    volatility_24h Decimal(18,8),
    return_pct    Decimal(18,8)
) ENGINE = ReplacingMergeTree()
ORDER BY (symbol, window_end);

-- Reference data (dbt's instruments seed); rows come from pipeline/src/market/instruments.ts.
CREATE TABLE IF NOT EXISTS marts.dim_instruments (
    symbol        String,
    name          String,
    sector        String,
    exchange      String,
    currency      String,
    lot_size      UInt32
) ENGINE = ReplacingMergeTree()
ORDER BY symbol;
