import type { DuckDBInstance } from '@duckdb/node-api';
import { trustedIssuers } from './middleware/auth/issuers.ts';
import { join } from 'node:path';
import { DirectoryAssets } from './adapters/assets/directory.ts';
import { MemoryBus, MemoryCache, MemoryRateLimiter } from './adapters/memory/index.ts';
import { PgMetadataStore } from './adapters/postgres/metadata-store.ts';
import type { SqlClient } from './adapters/postgres/sql-client.ts';
import { RefreshingCatalog } from './catalog/index.ts';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { loadMigrations } from './migrate/files.ts';
import { migrate } from './migrate/index.ts';
import type { Bus } from './ports/bus.ts';
import type { Cache } from './ports/cache.ts';
import type { RateLimiter } from './ports/rate-limiter.ts';
import { TenantQueryGate } from './query/fair-share.ts';

/** The repo's embed build (`npm run build:embed -w web`), used unless EMBED_DIST says otherwise. */
export const DEFAULT_EMBED_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist-embed');

export interface NodeDeps {
  deps: AppDeps;
  /** The metadata database, for migrations and seeding. */
  sql: SqlClient;
  /** Present when ANALYTICS_BACKEND=duckdb, so the embedded mode can seed and share it. */
  duckdb?: DuckDBInstance;
  /** An in-process bus the embedded fan-out can subscribe to (CACHE_BACKEND=memory). */
  memoryBus?: MemoryBus;
  close(): Promise<void>;
}

export interface NodeDepsOptions {
  /** Apply pending migrations before returning (the embedded mode always does; a deploy may run them separately). */
  migrate?: boolean;
  /** Reuse an already open DuckDB (the embedded mode seeds it before the app starts). */
  duckdb?: DuckDBInstance;
}

/** The Neon driver over WebSockets (Node has no WebSocket of its own in v20): metadata and Materialize. */
async function openNeonOverWs(connectionString: string, wsProxy: string | undefined) {
  const [{ openNeon }, { default: ws }] = await Promise.all([
    import('./adapters/neon/index.ts'),
    import('ws'),
  ]);
  return openNeon({ connectionString, wsProxy, webSocketConstructor: ws });
}

/**
 * The Node composition root, shared by `node.ts`, the embedded mode and the tests: one long-lived pool or PGlite, one
 * analytics engine, cache and bus per config, and a catalog refreshed from the engine every 60 s. Each adapter is
 * imported only when the config picks it: a driver costs start-up time (DuckDB's native module ~0.3 s, Upstash's and
 * ClickHouse's clients ~0.1 s each on this VM) in every process that never uses it.
 */
export async function createNodeDeps(config: Config, options: NodeDepsOptions = {}): Promise<NodeDeps> {
  const closers: (() => Promise<void> | void)[] = [];

  const migrations = options.migrate ? await loadMigrations() : undefined;
  let sql: SqlClient;
  if (config.METADATA_BACKEND === 'pglite') {
    const { openPGlite } = await import('./adapters/pglite/index.ts');
    const pg = await openPGlite(
      config.PGLITE_DIR,
      migrations && {
        key: JSON.stringify(migrations),
        prepare: async (fresh) => void (await migrate(fresh, migrations)),
      },
    );
    closers.push(() => pg.close());
    sql = pg.sql;
  } else {
    const neon = await openNeonOverWs(config.DATABASE_URL, config.NEON_WS_PROXY);
    closers.push(() => neon.end());
    sql = neon.sql;
  }
  if (migrations) await migrate(sql, migrations);
  const store = new PgMetadataStore(sql);

  let analytics: AppDeps['analytics'];
  let catalog: RefreshingCatalog;
  let duckdb: DuckDBInstance | undefined;
  if (config.ANALYTICS_BACKEND === 'duckdb') {
    const [{ DuckDBInstance }, { DuckDBCatalogSource, DuckDBEngine }] = await Promise.all([
      import('@duckdb/node-api'),
      import('./adapters/duckdb/index.ts'),
    ]);
    duckdb = options.duckdb ?? (await DuckDBInstance.create(config.DUCKDB_PATH ?? ':memory:'));
    if (!options.duckdb) {
      const owned = duckdb;
      closers.push(() => owned.closeSync());
    }
    analytics = { duckdb: new DuckDBEngine(duckdb) };
    catalog = new RefreshingCatalog([new DuckDBCatalogSource(duckdb)]);
  } else {
    const { ClickHouseCatalogSource, ClickHouseEngine, clickHouseClient } =
      await import('./adapters/clickhouse/index.ts');
    const client = clickHouseClient({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    });
    closers.push(() => client.close());
    analytics = { clickhouse: new ClickHouseEngine(client) };
    catalog = new RefreshingCatalog([new ClickHouseCatalogSource(client)]);
  }

  if (config.MATERIALIZE_URL) {
    const { PostgresCatalogSource, PostgresEngine } = await import('./adapters/postgres/analytics.ts');
    const live = await openNeonOverWs(config.MATERIALIZE_URL, config.NEON_WS_PROXY);
    closers.push(() => live.end());
    const shared = () => ({ sql: live.sql, end: async () => {} });
    analytics.materialize = new PostgresEngine('materialize', shared);
    catalog = new RefreshingCatalog([
      ...catalog.sources,
      new PostgresCatalogSource('materialize', shared, config.materializeSchemas),
    ]);
  }

  let cache: Cache;
  let bus: Bus;
  let memoryBus: MemoryBus | undefined;
  let rateLimiter: RateLimiter;
  if (config.CACHE_BACKEND === 'memory') {
    cache = new MemoryCache();
    rateLimiter = new MemoryRateLimiter();
    memoryBus = new MemoryBus();
    bus = memoryBus;
  } else {
    const [
      { UpstashBus, UpstashCache, UpstashRateLimiter, upstashClient },
      { RedisCatalogSource, RedisLookupEngine },
      { nodeRequester },
    ] = await Promise.all([
      import('./adapters/upstash/index.ts'),
      import('./adapters/upstash/lookup.ts'),
      import('./adapters/upstash/node-requester.ts'),
    ]);
    const redis = upstashClient(
      { url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN },
      nodeRequester,
    );
    cache = new UpstashCache(redis);
    bus = new UpstashBus(redis);
    // The workers' `latest:*` hashes live in the same Redis: point lookups through the same REST client.
    analytics.redis = new RedisLookupEngine(redis);
    catalog = new RefreshingCatalog([...catalog.sources, new RedisCatalogSource()]);
    rateLimiter = new UpstashRateLimiter(redis);
  }

  const deps: AppDeps = {
    config,
    metadata: { open: () => ({ store, release: async () => {} }) },
    analytics,
    catalog,
    cache,
    bus,
    rateLimiter,
    queryGate: new TenantQueryGate(config.TENANT_QUERY_CONCURRENCY, config.TENANT_QUERY_QUEUE),
    issuers: trustedIssuers(config),
    embedAssets: new DirectoryAssets(config.EMBED_DIST ?? DEFAULT_EMBED_DIST),
  };
  return {
    deps,
    sql,
    ...(duckdb ? { duckdb } : {}),
    ...(memoryBus ? { memoryBus } : {}),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
