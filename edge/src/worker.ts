import type { ExecutionContext, Hono } from 'hono';
import { trustedIssuers } from './middleware/auth/issuers.ts';
import { WorkersAssets, type AssetsFetcher } from './adapters/assets/workers.ts';
import { ClickHouseCatalogSource, ClickHouseEngine, clickHouseClient } from './adapters/clickhouse/index.ts';
import { neonHttp, openNeon, type NeonHandle } from './adapters/neon/index.ts';
import type { SqlClient } from './adapters/postgres/sql-client.ts';
import { PostgresCatalogSource, PostgresEngine } from './adapters/postgres/analytics.ts';
import { PgMetadataStore } from './adapters/postgres/metadata-store.ts';
import { UpstashBus, UpstashCache, UpstashRateLimiter, upstashClient } from './adapters/upstash/index.ts';
import { RedisCatalogSource, RedisLookupEngine } from './adapters/upstash/lookup.ts';
import { createApp } from './app.ts';
import { RefreshingCatalog } from './catalog/index.ts';
import { parseConfig } from './config.ts';
import type { AppDeps } from './deps.ts';
import type { AppEnv } from './env.ts';
import type { CatalogSource } from './ports/schema-catalog.ts';
import { TenantQueryGate } from './query/fair-share.ts';

/** Workers bindings: plain strings from `[vars]` and secrets, and the embed build's static assets (see wrangler.toml). */
type Env = Record<string, unknown> & { ASSETS?: AssetsFetcher };

/**
 * Workers entry. Everything that only speaks fetch (ClickHouse, Upstash, the JWKS, metadata queries over Neon's SQL over
 * HTTP) lives as long as the isolate; a PostgreSQL pool is a WebSocket, which Workers do not let outlive its request, so
 * a request that needs one (a transaction, Materialize) opens its own and the metadata middleware ends it in `waitUntil`.
 */
function build(env: Env): Hono<AppEnv> {
  const config = parseConfig(env);
  const clickhouse = clickHouseClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const redis = upstashClient({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN });
  const analytics: AppDeps['analytics'] = {
    clickhouse: new ClickHouseEngine(clickhouse),
    redis: new RedisLookupEngine(redis),
  };
  const sources: CatalogSource[] = [new ClickHouseCatalogSource(clickhouse), new RedisCatalogSource()];
  if (config.MATERIALIZE_URL) {
    const url = config.MATERIALIZE_URL;
    // Like the metadata pool: a WebSocket per unit of work, never shared across requests.
    const open = () => openNeon({ connectionString: url, wsProxy: config.NEON_WS_PROXY });
    analytics.materialize = new PostgresEngine('materialize', open);
    sources.push(new PostgresCatalogSource('materialize', open, config.materializeSchemas));
  }
  // One-shot metadata queries go over HTTP (isolate-lived, no connection to open); a transaction opens a pool for its
  // request, ended in waitUntil by the metadata middleware.
  const http =
    config.NEON_FETCH_ENDPOINT || !config.NEON_WS_PROXY
      ? neonHttp({ connectionString: config.DATABASE_URL, fetchEndpoint: config.NEON_FETCH_ENDPOINT })
      : undefined;
  return createApp({
    config,
    metadata: {
      open() {
        let pool: NeonHandle | undefined;
        const pooled = () =>
          (pool ??= openNeon({ connectionString: config.DATABASE_URL, wsProxy: config.NEON_WS_PROXY })).sql;
        const sql: SqlClient = http
          ? { ...http, exec: (text) => pooled().exec(text), transaction: (fn) => pooled().transaction(fn) }
          : pooled();
        return { store: new PgMetadataStore(sql), release: async () => pool?.end() };
      },
    },
    analytics,
    catalog: new RefreshingCatalog(sources),
    cache: new UpstashCache(redis),
    bus: new UpstashBus(redis),
    rateLimiter: new UpstashRateLimiter(redis),
    queryGate: new TenantQueryGate(config.TENANT_QUERY_CONCURRENCY, config.TENANT_QUERY_QUEUE),
    issuers: trustedIssuers(config),
    ...(env.ASSETS ? { embedAssets: new WorkersAssets(env.ASSETS) } : {}),
  });
}

// The env object is stable for an isolate's life; key the app on it so a config change (new deploy) rebuilds.
const apps = new WeakMap<Env, Hono<AppEnv>>();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    let app = apps.get(env);
    if (!app) {
      app = build(env);
      apps.set(env, app);
    }
    return app.fetch(request, env, ctx);
  },
};
