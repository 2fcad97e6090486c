-- Materialize: Kafka sources for the hot path (plan §4 init-materialize job). Applied with psql against Materialize
-- (port 6875) by the deployment's init job; Materialize does not run on the local stack (see README.md).
CREATE CONNECTION IF NOT EXISTS kafka_conn TO KAFKA (
    BROKER 'kafka:9092',
    SECURITY PROTOCOL PLAINTEXT
);

CREATE SOURCE IF NOT EXISTS raw_trades_source
  FROM KAFKA CONNECTION kafka_conn (TOPIC 'raw.trades')
  FORMAT JSON
  INCLUDE TIMESTAMP;

CREATE SOURCE IF NOT EXISTS raw_quotes_source
  FROM KAFKA CONNECTION kafka_conn (TOPIC 'raw.quotes')
  FORMAT JSON
  INCLUDE TIMESTAMP;
