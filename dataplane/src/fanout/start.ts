import { parseConfig } from '@flowforge/edge/config';
import { createNodeDeps } from '@flowforge/edge/node-deps';
import { SYMBOL_CHANNEL_PATTERN } from '@flowforge/edge/live';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { RedisFanoutBus } from './bus.ts';
import { FanoutHub } from './hub.ts';
import { dashboardUpgradeHandler } from './upgrade.ts';

export interface FanoutServer {
  url: string;
  hub: FanoutHub;
  bus: RedisFanoutBus;
  server: Server;
  close(): Promise<void>;
}

/**
 * The data plane's WebSocket fan-out: Redis pub/sub in, `/ws/dashboard/:id` (and the ticker's `/ws/market`) out,
 * `/health` for probes. Auth and
 * metadata come from the edge's own composition root (same env variables as the edge on Node).
 */
export async function startFanoutServer(
  env: Record<string, string | undefined> = process.env,
  options: { port?: number; host?: string; coalesceMs?: number } = {},
): Promise<FanoutServer> {
  const config = parseConfig(env);
  const node = await createNodeDeps(config);
  const metadata = node.deps.metadata.open();
  const bus = new RedisFanoutBus(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await bus.ready();
  const hub = new FanoutHub({
    bus,
    store: () => metadata.store,
    ...(options.coalesceMs !== undefined ? { coalesceMs: options.coalesceMs } : {}),
  });
  const upgrade = dashboardUpgradeHandler(hub, {
    config,
    store: () => metadata.store,
    issuers: node.deps.issuers,
  });
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const { rss, heapUsed } = process.memoryUsage();
      res.end(JSON.stringify({ status: 'ok', ...hub.stats, rss_bytes: rss, heap_used_bytes: heapUsed }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found', details: {} } }));
  });
  // The header's ticker: every trade tick with its price, for pages of the configured origins.
  const market = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (upgrade(req, socket, head)) return;
    const origin = req.headers.origin;
    if (req.url !== '/ws/market' || (origin !== undefined && !config.corsOrigins.includes(origin))) {
      socket.destroy();
      return;
    }
    market.handleUpgrade(req, socket, head, (client) => {
      const off = bus.subscribe(SYMBOL_CHANNEL_PATTERN, (message) => {
        if (message.includes('"price"') && client.bufferedAmount < 64 * 1024) client.send(message);
      });
      client.on('close', off);
    });
  });
  const port = options.port ?? Number(env.FANOUT_PORT ?? 8081);
  const host = options.host ?? env.FANOUT_HOST ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `ws://${host}:${bound}`,
    hub,
    bus,
    server,
    async close() {
      hub.close();
      upgrade.close();
      for (const client of market.clients) client.terminate();
      market.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      bus.close();
      await metadata.release();
      await node.close();
    },
  };
}
