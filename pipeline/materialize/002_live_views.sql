-- The live views FlowForge queries (plan §7 hot path, §12 routing: store = materialize, dialect postgres).
-- Statements end with a semicolon at the end of a line; the PostgreSQL stand-in test runs this file's SQL unchanged
-- except CREATE MATERIALIZED VIEW IF NOT EXISTS → CREATE VIEW.
CREATE MATERIALIZED VIEW IF NOT EXISTS live_positions AS
SELECT
    symbol,
    SUM(CASE WHEN side = 'BUY' THEN quantity ELSE -quantity END) AS net_qty,
    SUM(CASE WHEN side = 'BUY' THEN quantity * price ELSE -quantity * price END) AS net_notional,
    COUNT(*) AS trade_count,
    MAX(event_time) AS last_update
FROM raw_trades_parsed
GROUP BY symbol;

CREATE MATERIALIZED VIEW IF NOT EXISTS live_quotes AS
SELECT DISTINCT ON (symbol)
    symbol,
    bid,
    ask,
    mid_price,
    bid_size,
    ask_size,
    event_time AS last_update
FROM raw_quotes_parsed
ORDER BY symbol, event_time DESC;

CREATE MATERIALIZED VIEW IF NOT EXISTS live_pnl AS
SELECT
    p.symbol,
    p.net_qty,
    p.net_notional,
    q.mid_price,
    (p.net_qty * q.mid_price) - p.net_notional AS unrealized_pnl,
    GREATEST(p.last_update, q.last_update) AS as_of
FROM live_positions p
JOIN live_quotes q ON p.symbol = q.symbol;
