-- Every trade's symbol is a known instrument: rows returned here are orphans and fail `dbt test`.
SELECT t.trade_id, t.symbol
FROM {{ ref('fct_trades') }} AS t
LEFT ANTI JOIN {{ ref('dim_instrument_reference') }} AS i ON t.symbol = i.symbol
