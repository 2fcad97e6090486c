-- Typed views over the JSON sources (plan §4). The PostgreSQL stand-in creates tables of the same names and columns.
CREATE VIEW IF NOT EXISTS raw_trades_parsed AS
SELECT
    (data->>'trade_id')::TEXT AS trade_id,
    (data->>'event_time')::TIMESTAMPTZ AS event_time,
    (data->>'symbol')::TEXT AS symbol,
    (data->>'side')::TEXT AS side,
    (data->>'quantity')::NUMERIC AS quantity,
    (data->>'price')::NUMERIC AS price,
    (data->>'quantity')::NUMERIC * (data->>'price')::NUMERIC AS notional
FROM raw_trades_source;

CREATE VIEW IF NOT EXISTS raw_quotes_parsed AS
SELECT
    (data->>'symbol')::TEXT AS symbol,
    (data->>'event_time')::TIMESTAMPTZ AS event_time,
    (data->>'bid')::NUMERIC AS bid,
    (data->>'ask')::NUMERIC AS ask,
    (data->>'bid_size')::NUMERIC AS bid_size,
    (data->>'ask_size')::NUMERIC AS ask_size,
    ((data->>'bid')::NUMERIC + (data->>'ask')::NUMERIC) / 2 AS mid_price
FROM raw_quotes_source;
