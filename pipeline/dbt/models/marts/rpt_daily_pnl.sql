{{ config(order_by='(symbol, trade_date)') }}

-- Cash flow per symbol and day: a SELL brings the notional in, a BUY pays it out.
SELECT
    symbol,
    trade_date,
    sum(if(side = 'BUY', -notional, notional)) AS realized_pnl,
    sum(quantity) AS total_volume,
    count() AS trade_count,
    avg(price) AS avg_price
FROM {{ ref('fct_trades') }}
GROUP BY symbol, trade_date
