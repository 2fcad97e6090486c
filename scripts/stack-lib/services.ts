// Addresses of the local stack (scripts/stack); the product's config and the stack tests use the same values.
export const STACK_HOST = '127.0.0.1';

export const PORTS = {
  postgres: 5432,
  neonProxy: 5433,
  redis: 6379,
  upstash: 8079,
  clickhouse: 8123,
  kafka: 9092,
  /** Only with `scripts/stack up --with-keycloak`. */
  keycloak: 8180,
} as const;

export const POSTGRES_URL = `postgresql://postgres@${STACK_HOST}:${PORTS.postgres}/flowforge`;
export const CLICKHOUSE_URL = `http://${STACK_HOST}:${PORTS.clickhouse}`;
export const UPSTASH_URL = `http://${STACK_HOST}:${PORTS.upstash}`;
export const UPSTASH_TOKEN = process.env['UPSTASH_TOKEN'] ?? 'flowforge-dev-token';
export const KEYCLOAK_URL = `http://${STACK_HOST}:${PORTS.keycloak}`;
export const KAFKA_BROKERS = [`${STACK_HOST}:${PORTS.kafka}`];

/** `neonConfig.wsProxy` for the local proxy: Neon's driver opens `ws://<this>` and speaks PG wire through it. */
export const neonWsProxy = (host: string, port: number | string): string =>
  `${STACK_HOST}:${PORTS.neonProxy}/v1?address=${host}:${port}`;
