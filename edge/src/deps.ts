import type { Config } from './config.ts';
import type { TrustedIssuer } from './middleware/auth/issuers.ts';
import type { AnalyticsEngine } from './ports/analytics-engine.ts';
import type { Bus } from './ports/bus.ts';
import type { Cache } from './ports/cache.ts';
import type { EmbedAssets } from './ports/embed-assets.ts';
import type { MetadataStore } from './ports/metadata-store.ts';
import type { RateLimiter } from './ports/rate-limiter.ts';
import type { TenantQueryGate } from './query/fair-share.ts';
import type { SchemaCatalog } from './ports/schema-catalog.ts';

/**
 * How a request gets its metadata store. Workers cannot keep a database socket across requests, so their provider opens
 * one per request; Node hands out one long-lived pool and `release` does nothing.
 */
export interface MetadataProvider {
  open(): { store: MetadataStore; release(): Promise<void> };
}

/** Everything `createApp` needs; entries (worker.ts, node.ts, tests) build it and nothing else. */
export interface AppDeps {
  config: Config;
  metadata: MetadataProvider;
  /** One engine per store name the catalog can report (`clickhouse`, `materialize`, `duckdb`). */
  analytics: Record<string, AnalyticsEngine>;
  catalog: SchemaCatalog;
  cache: Cache;
  bus: Bus;
  rateLimiter: RateLimiter;
  /** Shared by every request of this process or isolate. */
  queryGate: TenantQueryGate;
  /** The built embed page and SDK; absent = `/embed/…` answers 503 (a Worker deployed without its assets). */
  embedAssets?: EmbedAssets;
  /** Token issuers (Keycloak realms) and their keys; none = bearer tokens are refused (development may use X-Dev-Tenant). */
  issuers: TrustedIssuer[];
}
