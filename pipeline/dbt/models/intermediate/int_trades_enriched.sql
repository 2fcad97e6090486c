-- Trades with their instrument's reference data; an unknown symbol keeps its trade (LEFT JOIN) so that the
-- assert_no_orphan_trades test reports it instead of the row silently disappearing.
SELECT
    t.trade_id,
    t.event_time,
    t.symbol,
    t.side,
    t.quantity,
    t.price,
    t.notional,
    i.name AS instrument_name,
    i.sector,
    i.exchange,
    i.currency
FROM {{ ref('stg_trades') }} AS t
LEFT JOIN {{ ref('stg_instruments') }} AS i ON t.symbol = i.symbol
SETTINGS join_use_nulls = 1
