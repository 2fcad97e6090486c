SELECT
    symbol,
    name,
    sector,
    exchange,
    currency,
    lot_size
FROM {{ ref('instruments') }}
