// Neon-style proxy for the local PostgreSQL, so `@neondatabase/serverless` reaches it the way it reaches Neon: the
// WebSocket → TCP relay its Pool/Client speak PG wire over (`/v1?address=host:port`), and SQL over HTTP (`POST /sql`,
// the `neon()` query function's one-shot queries and non-interactive transactions).
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
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
const server = http.createServer((req, res) => void serveSql(req, res));
const wss = new WebSocketServer({ server, perMessageDeflate: false });

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

// ---------------------------------------------------------------- SQL over HTTP

/** Every value as PostgreSQL's text, as Neon answers with `Neon-Raw-Text-Output`: the driver parses by type OID. */
const rawText = { getTypeParser: () => (value: string) => value };
/** The error fields Neon's HTTP endpoint returns beside `message` (the driver copies them onto its error). */
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;
const ISOLATION = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
} as const;

interface SqlQuery {
  query: string;
  params?: unknown[];
}

// One small pool per connection string: an HTTP query costs a round trip to PostgreSQL, never a new connection.
const pools = new Map<string, pg.Pool>();
function poolFor(connectionString: string): pg.Pool {
  const url = new URL(connectionString);
  if (!loopbackTarget(`${url.hostname}:${url.port || 5432}`)) throw new Error('only loopback databases');
  let pool = pools.get(connectionString);
  if (!pool) {
    pool = new pg.Pool({ connectionString, max: 4, idleTimeoutMillis: 30_000 });
    pool.on('error', () => {});
    pools.set(connectionString, pool);
  }
  return pool;
}

async function run(client: pg.PoolClient, q: SqlQuery) {
  const result = await client.query({
    text: q.query,
    values: q.params ?? [],
    rowMode: 'array',
    types: rawText,
  });
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rowAsArray: true,
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serveSql(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.method !== 'POST' || new URL(req.url ?? '/', `http://${STACK_HOST}`).pathname !== '/sql') {
    send(404, { message: 'expected POST /sql or a WebSocket on /v1' });
    return;
  }
  let client: pg.PoolClient | undefined;
  try {
    const body = JSON.parse(await readBody(req)) as SqlQuery | { queries: SqlQuery[] };
    client = await poolFor(String(req.headers['neon-connection-string'] ?? '')).connect();
    if (!('queries' in body)) {
      send(200, await run(client, body));
      return;
    }
    const level = ISOLATION[String(req.headers['neon-batch-isolation-level']) as keyof typeof ISOLATION];
    const readOnly = req.headers['neon-batch-read-only'] === 'true';
    await client.query(`BEGIN${level ? ` ISOLATION LEVEL ${level}` : ''}${readOnly ? ' READ ONLY' : ''}`);
    try {
      const results = [];
      for (const q of body.queries) results.push(await run(client, q));
      await client.query('COMMIT');
      send(200, { results });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } catch (err) {
    const e = err as Record<string, unknown> & { message?: string };
    send(400, {
      message: e.message ?? String(err),
      ...Object.fromEntries(ERROR_FIELDS.filter((f) => e[f] !== undefined).map((f) => [f, e[f]])),
    });
  } finally {
    client?.release();
  }
}

server.listen(port, STACK_HOST, () =>
  console.log(`neon proxy on ${STACK_HOST}:${port}: ws /v1 (PG wire), POST /sql (SQL over HTTP)`),
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close(() => process.exit(0));
    for (const pool of pools.values()) void pool.end();
  });
}
