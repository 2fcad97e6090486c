SELECT
    trade_id,
    event_time,
    symbol,
    toString(side) AS side,
    quantity,
    price,
    quantity * price AS notional
FROM {{ source('flowforge', 'raw_trades') }}
