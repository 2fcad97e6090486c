// Neon-style WebSocket → TCP proxy: `@neondatabase/serverless` reaches the local PostgreSQL the way it reaches Neon.
import net from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { PORTS, STACK_HOST } from './services.ts';

/** Only loopback targets: the proxy must not turn into an open relay to other hosts. */
function loopbackTarget(address: string | null): { host: string; port: number } | undefined {
  const match = address?.match(/^\[?([^\]]+?)\]?:(\d{1,5})$/);
  if (!match?.[1] || !match[2]) return undefined;
  const host = match[1];
  const port = Number(match[2]);
  const loopback = host === 'localhost' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));
  return loopback && port > 0 && port < 65536 ? { host, port } : undefined;
}

const port = Number(process.env['NEON_PROXY_PORT'] ?? PORTS.neonProxy);
const wss = new WebSocketServer({ host: STACK_HOST, port, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '/', `http://${STACK_HOST}`);
  const target = url.pathname === '/v1' ? loopbackTarget(url.searchParams.get('address')) : undefined;
  if (!target) {
    ws.close(1008, 'expected /v1?address=<loopback host>:<port>');
    return;
  }
  const socket = net.connect(target);
  socket.setNoDelay(true);
  const stream = createWebSocketStream(ws);
  stream.pipe(socket).pipe(stream);
  const teardown = (): void => {
    socket.destroy();
    stream.destroy();
  };
  socket.on('error', teardown);
  socket.on('close', teardown);
  stream.on('error', teardown);
  stream.on('close', teardown);
});

wss.on('listening', () => console.log(`neon websocket proxy on ws://${STACK_HOST}:${port}/v1`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    for (const client of wss.clients) client.terminate();
    wss.close(() => process.exit(0));
  });
}
