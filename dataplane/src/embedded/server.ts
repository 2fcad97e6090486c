import type { DuckDBInstance } from '@duckdb/node-api';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '@flowforge/edge/app';
import { parseConfig, type Config } from '@flowforge/edge/config';
import { hostAllowed, type DevAccess } from '@flowforge/edge/dev-access';
import { createNodeDeps, type NodeDeps } from '@flowforge/edge/node-deps';
import { nodeExecutionContext } from '@flowforge/edge/wait-until';
import { servedByApp, webAppHandler } from '@flowforge/edge/web-app';
import {
  bumpDataVersions,
  SYMBOL_CHANNEL_PATTERN,
  symbolChannel,
  type SymbolTick,
} from '@flowforge/edge/live';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { FanoutHub } from '../fanout/hub.ts';
import { dashboardUpgradeHandler } from '../fanout/upgrade.ts';
import { LIVE_TABLES } from './duckdb-market.ts';
import { MarketSimulator } from './simulator.ts';
import { WEB_DIST } from './web-build.ts';

export const DEV_TENANT = 'dev';

export interface EmbeddedServerOptions {
  port: number;
  dataDir: string;
  duckdb: DuckDBInstance;
  /** Milliseconds between simulator steps; 0 disables the simulator (tests that need stable data). */
  simulateEveryMs?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Host names answered besides localhost, 127.0.0.1 and [::1] (`--host`), each on `port`. */
  allowedHosts?: readonly string[];
}

export interface EmbeddedServer {
  url: string;
  close(): Promise<void>;
}

// The web app's Vite dev server proxies /api here and keeps its own Host and Origin.
const VITE_DEV_HOST = 'localhost:5173';

/**
 * Hosts and pages the embedded mode serves: the loopback names and `--host` names on its port, and the Vite dev server.
 * Anything else is DNS rebinding or another site's page, and must not reach the automatically signed-in API.
 */
export function embeddedAccess(port: number, names: readonly string[] = []): DevAccess {
  const hosts = [...['localhost', '127.0.0.1', '[::1]', ...names].map((n) => `${n}:${port}`), VITE_DEV_HOST];
  return { hosts, origins: hosts.map((h) => `http://${h}`) };
}

const normalHost = (host: string | undefined) => {
  try {
    return new URL(`http://${host ?? ''}`).host;
  } catch {
    return '';
  }
};

function hostRefused(host: string, access: DevAccess): Response {
  const message = `This FlowForge answers only ${access.hosts.join(', ')}, not Host "${host}"`;
  return Response.json({ error: { code: 'host_not_allowed', message, details: null } }, { status: 403 });
}

export type EmbeddedDepsOptions = Pick<EmbeddedServerOptions, 'port' | 'dataDir' | 'duckdb' | 'allowedHosts'>;

export interface EmbeddedDeps {
  config: Config;
  access: DevAccess;
  node: NodeDeps;
}

/**
 * The embedded mode's composition (PGlite opened and migrated, DuckDB engine and catalog, memory cache and bus). Apart
 * from the server so `npm start` can open PGlite while the market data is still being seeded.
 */
export async function openEmbeddedDeps(options: EmbeddedDepsOptions): Promise<EmbeddedDeps> {
  const access = embeddedAccess(options.port, options.allowedHosts);
  const config = parseConfig({
    APP_ENV: 'development',
    METADATA_BACKEND: 'pglite',
    ANALYTICS_BACKEND: 'duckdb',
    CACHE_BACKEND: 'memory',
    LIVE_TABLES: LIVE_TABLES.join(','),
    PGLITE_DIR: join(options.dataDir, 'metadata'),
    PORT: String(options.port),
    CORS_ORIGINS: access.origins.join(','),
    DEV_HOSTS: access.hosts.join(','),
    // The local user is signed in as the development tenant: browser calls carry no token. The edge does it only when
    // APP_ENV=development, and only for requests from its own pages on its own hosts; embed routes keep their own auth.
    DEV_SIGN_IN_TENANT: DEV_TENANT,
    // One local user whose canvas previews as they type: the limit only stops a runaway script.
    // Benches of the preview path raise it with the same variable as the Node entry.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '6000',
  });
  const node = await createNodeDeps(config, { migrate: true, duckdb: options.duckdb });
  return { config, access, node };
}

export async function startEmbeddedServer(
  options: EmbeddedServerOptions & { deps?: EmbeddedDeps },
): Promise<EmbeddedServer> {
  const host = options.host ?? '127.0.0.1';
  const { config, access, node } = options.deps ?? (await openEmbeddedDeps(options));
  const bus = node.memoryBus;
  if (!bus) throw new Error('the embedded mode needs the in-memory bus (CACHE_BACKEND=memory)');
  const api = createApp(node.deps);

  const web = webAppHandler(WEB_DIST);

  const server: ServerType = serve({
    hostname: host,
    port: options.port,
    fetch: (request) => {
      const url = new URL(request.url);
      if (!hostAllowed(url.host, access.hosts)) return hostRefused(url.host, access);
      return servedByApp(url.pathname) ? api.fetch(request, {}, nodeExecutionContext) : web(request);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} is already in use (try --port)`)
          : error,
      ),
    );
  });

  // The data plane's fan-out, in process on the in-memory bus: dashboards get coalesced invalidations like in a
  // deployment. /ws/market streams every tick to the header's ticker.
  const hub = new FanoutHub({ bus, store: () => node.deps.metadata.open().store });
  const dashboards = dashboardUpgradeHandler(hub, {
    config,
    store: () => node.deps.metadata.open().store,
    issuers: node.deps.issuers,
    sameOriginTenant: DEV_TENANT,
  });
  const market = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Browsers let any page open a WebSocket to any host; only the Origin header tells our pages from others.
    const origin = request.headers.origin;
    if (
      !hostAllowed(normalHost(request.headers.host), access.hosts) ||
      (origin !== undefined && !access.origins.includes(origin))
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (dashboards(request, socket, head)) return;
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/ws/market') {
      socket.destroy();
      return;
    }
    market.handleUpgrade(request, socket, head, (client) => {
      const unsubscribe = bus.subscribe(SYMBOL_CHANNEL_PATTERN, (message) => client.send(message));
      client.on('close', unsubscribe);
    });
  });

  const connection = await options.duckdb.connect();
  const simulator = new MarketSimulator({
    connection,
    intervalMs: options.simulateEveryMs ?? 1000,
    onStep: async (ticks) => {
      // The tape and the DuckDB rollups over it changed: their versions move so no preview of them is served stale.
      await bumpDataVersions(node.deps.cache, [...LIVE_TABLES]);
      for (const { symbol, price, event_time, trades } of ticks) {
        const tick: SymbolTick = {
          type: 'tick',
          symbol,
          tables: [...LIVE_TABLES],
          price,
          event_time,
          trades,
        };
        await bus.publish(symbolChannel(symbol), JSON.stringify(tick));
      }
    },
  });
  if ((options.simulateEveryMs ?? 1000) > 0) await simulator.start();

  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${options.port}`,
    async close() {
      await simulator.stop();
      connection.closeSync();
      hub.close();
      dashboards.close();
      for (const client of market.clients) client.terminate();
      market.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.close();
    },
  };
}
