/**
 * Where the local stack (`scripts/stack up`) listens. Tests always talk to these real services; an environment variable
 * of the same name overrides one (e.g. a second stack on other ports).
 */
export const stackEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowforge',
  NEON_WS_PROXY: process.env.NEON_WS_PROXY ?? '127.0.0.1:5433',
  CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
  UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL ?? 'http://127.0.0.1:8079',
  UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN ?? 'flowforge-dev-token',
  REDIS_PORT: Number(process.env.REDIS_PORT ?? 6379),
};

/** The stack's addresses as a Worker's `[vars]`: strings only, and no Redis port (a Worker reaches Redis through Upstash REST). */
export const stackWorkerVars = (({ REDIS_PORT: _redisPort, ...vars }) => vars)(stackEnv);

/** A tenant id no other test run shares, so tests never see each other's rows in the shared database. */
export const uniqueTenant = (label: string): string => `${label}-${crypto.randomUUID().slice(0, 8)}`;
