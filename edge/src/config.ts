import { z } from 'zod';
import { LOOPBACK_HOSTNAMES } from './middleware/dev-access/index.ts';

/**
 * Everything the app reads from its environment, parsed once per entry. Workers hand us bindings, Node hands us
 * process.env: both are plain string records by the time they reach here.
 */
const configSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('production'),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/flowforge'),
  /** host:port of a WebSocket→TCP proxy playing Neon's (the local stack's, plain ws); unset = Neon's own endpoint. */
  NEON_WS_PROXY: z.string().optional(),
  /**
   * Workers: Neon's SQL-over-HTTP endpoint for one-shot metadata queries (the local stack's proxy serves it at
   * `http://127.0.0.1:5433/sql`). Unset = Neon's own (`https://api.<host>/sql`), except behind NEON_WS_PROXY, where every
   * query then goes over the proxy's WebSocket.
   */
  NEON_FETCH_ENDPOINT: z.url().optional(),
  CLICKHOUSE_URL: z.string().default('http://127.0.0.1:8123'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  /** Live data over PostgreSQL's wire protocol (through the same Neon driver); unset = no live store. */
  MATERIALIZE_URL: z.string().optional(),
  /** Comma-separated schemas whose relations the catalog discovers on Materialize. */
  MATERIALIZE_SCHEMAS: z.string().default('public'),
  UPSTASH_REDIS_REST_URL: z.string().default('http://127.0.0.1:8079'),
  UPSTASH_REDIS_REST_TOKEN: z.string().default('flowforge-dev-token'),
  /**
   * Where the edge fetches signing keys when that is not the issuer's own URL (in a cluster, Keycloak's service name):
   * `{realm}` stands for each issuer's realm. Unset = `<issuer>/protocol/openid-connect/certs` (Keycloak's layout).
   */
  JWKS_URL: z.string().optional(),
  /**
   * Trusted token issuers, comma-separated: one Keycloak realm per customer. `<issuer>=<tenant>` pins a realm to one
   * tenant, so a realm's own administrators cannot mint tokens for another customer's tenant_id.
   */
  JWT_ISSUER: z
    .string()
    .default(
      'http://127.0.0.1:8180/realms/firm-alpha=firm-alpha,http://127.0.0.1:8180/realms/firm-beta=firm-beta',
    ),
  JWT_AUDIENCE: z.string().default('flowforge-app'),
  /** The confidential client whose service account reads a realm's members and roles (admin page). */
  KEYCLOAK_SERVICE_CLIENT_ID: z.string().default('flowforge-service'),
  /** Its secret; outside production the development realms' default applies. */
  KEYCLOAK_SERVICE_SECRET: z.string().optional(),
  /** The public (PKCE) client the web app signs in with, in every realm. */
  OIDC_WEB_CLIENT_ID: z.string().default('flowforge-web'),
  EMBED_SIGNING_SECRET: z.string().min(32).optional(),
  CORS_ORIGINS: z.string().default('http://localhost:5173'),
  /** APP_ENV=development: Host values on which X-Dev-Tenant is accepted (`name` = any port, or `name:port`). */
  DEV_HOSTS: z.string().default(LOOPBACK_HOSTNAMES.join(',')),
  /**
   * APP_ENV=development: a request with neither a token nor X-Dev-Tenant, on DEV_HOSTS and from our own pages, signs in
   * as this tenant (the embedded mode's automatic sign-in). Unset: such a request needs a token.
   */
  DEV_SIGN_IN_TENANT: z.string().optional(),
  /** Node entry only: which adapter backs each port (the embedded mode picks pglite, duckdb, memory). */
  METADATA_BACKEND: z.enum(['neon', 'pglite']).default('neon'),
  ANALYTICS_BACKEND: z.enum(['clickhouse', 'duckdb']).default('clickhouse'),
  CACHE_BACKEND: z.enum(['upstash', 'memory']).default('upstash'),
  /** PGlite data directory; unset = in memory. */
  PGLITE_DIR: z.string().optional(),
  /** DuckDB database file; unset = in memory. */
  DUCKDB_PATH: z.string().optional(),
  PORT: z.coerce.number().int().positive().default(8787),
  /** Node entry only: a built web app (`web/dist`) to serve beside the API, e.g. the stack mode (`npm run serve`). */
  WEB_DIST: z.string().optional(),
  /** Node entry bind address; containers set 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  PREVIEW_CACHE_TTL: z.coerce.number().int().positive().default(300),
  /**
   * Seconds a tenant ACL read stays in this process for the query routes. A change drops it at once where it was made
   * and in processes subscribed to the bus; elsewhere (Workers, Node over Upstash REST) it is the longest lag.
   */
  ACL_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  /** How long an embedded widget's dashboard and workflow are used from process memory where no bus pushes changes. */
  WIDGET_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  /** Seconds a cached result over a live table stays valid: Materialize tables and those listed in LIVE_TABLES. */
  LIVE_CACHE_TTL: z.coerce.number().int().positive().default(2),
  /** `database.table` list of tables that receive rows while the app runs (the embedded simulator's tape). */
  LIVE_TABLES: z.string().default(''),
  EXPORT_MAX_ROWS: z.coerce.number().int().positive().default(100_000),
  /** Requests per principal (user or API key) per minute, exports included. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Public embed endpoints: requests per API key per minute (the customer's backend minting tokens plus every browser
   * of its users reading widgets with them), and per embed token (one viewer's iframe).
   */
  EMBED_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  EMBED_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /** Node entry only: the built embed page and SDK (`npm run build:embed -w web`); unset = the repo's `web/dist-embed`. */
  EMBED_DIST: z.string().optional(),
  /** Engine queries (previews, pages, exports, widget data) running at once per tenant, and how many more may wait. */
  TENANT_QUERY_CONCURRENCY: z.coerce.number().int().positive().default(4),
  TENANT_QUERY_QUEUE: z.coerce.number().int().min(0).default(16),
});

/** Every setting the app reads; deployment files (wrangler.toml) may name no other. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);

export interface IssuerConfig {
  issuer: string;
  /** Set = every token of this issuer must carry this tenant_id. */
  tenant?: string;
}

export type Config = z.infer<typeof configSchema> & {
  EMBED_SIGNING_SECRET: string;
  issuers: IssuerConfig[];
  materializeSchemas: string[];
  corsOrigins: string[];
  devHosts: string[];
  liveTables: Set<string>;
};

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function parseConfig(env: Record<string, unknown>): Config {
  const picked = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.parse(picked);
  if (parsed.APP_ENV === 'production' && !parsed.EMBED_SIGNING_SECRET) {
    throw new Error('EMBED_SIGNING_SECRET (≥ 32 chars) is required in production');
  }
  const issuers = parseIssuers(parsed.JWT_ISSUER);
  if (parsed.JWKS_URL && issuers.length > 1 && !parsed.JWKS_URL.includes('{realm}')) {
    throw new Error('With several JWT_ISSUER entries, JWKS_URL must contain {realm} (or be unset)');
  }
  return {
    ...parsed,
    issuers,
    // A fixed secret outside production keeps tokens valid across Worker isolates and Node restarts during development.
    EMBED_SIGNING_SECRET: parsed.EMBED_SIGNING_SECRET ?? 'flowforge-development-embed-secret-do-not-deploy',
    KEYCLOAK_SERVICE_SECRET:
      parsed.KEYCLOAK_SERVICE_SECRET ??
      (parsed.APP_ENV === 'production' ? undefined : 'flowforge-service-dev-secret'),
    materializeSchemas: list(parsed.MATERIALIZE_SCHEMAS),
    corsOrigins: list(parsed.CORS_ORIGINS),
    devHosts: list(parsed.DEV_HOSTS),
    liveTables: new Set(list(parsed.LIVE_TABLES)),
  };
}

function parseIssuers(entries: string): IssuerConfig[] {
  return list(entries).map((entry) => {
    const [issuer = '', tenant] = entry.split('=').map((part) => part.trim());
    return tenant ? { issuer, tenant } : { issuer };
  });
}
