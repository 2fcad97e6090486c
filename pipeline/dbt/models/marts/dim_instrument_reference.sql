-- The instrument reference as dbt sees it (seed instruments.csv). Not named dim_instruments: that table in `marts`
-- belongs to `npm run pipeline -- migrate`, which fills it from the same list (pipeline/src/market/instruments.ts).
{{ config(order_by='symbol') }}

SELECT symbol, name, sector, exchange, currency, lot_size
FROM {{ ref('stg_instruments') }}
