// `scripts/stack status`: probes every service through the client the product uses and prints ✅/❌ per service.
import net from 'node:net';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { Client as NeonClient, neonConfig } from '@neondatabase/serverless';
import { Redis } from '@upstash/redis';
import { Kafka, logLevel } from 'kafkajs';
import ws from 'ws';
import { RespConnection, RespStatus } from './resp.ts';
import {
  CLICKHOUSE_URL,
  KAFKA_BROKERS,
  KEYCLOAK_URL,
  PORTS,
  POSTGRES_URL,
  STACK_HOST,
  UPSTASH_TOKEN,
  UPSTASH_URL,
  neonWsProxy,
} from './services.ts';

const TIMEOUT_MS = 5_000;

/** Speaks the PostgreSQL startup handshake directly: answers only when the server accepts `flowforge` logins. */
function postgresVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: STACK_HOST, port: PORTS.postgres });
    const params = Buffer.from('user\0postgres\0database\0flowforge\0\0');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4); // protocol 3.0
    let buffer = Buffer.alloc(0);
    let version = '';
    socket.on('connect', () => socket.write(Buffer.concat([startup, params])));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5) {
        const type = String.fromCharCode(buffer[0] ?? 0);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        const body = buffer.subarray(5, length + 1);
        buffer = buffer.subarray(length + 1);
        if (type === 'S') {
          const [name, value] = body.toString('utf8').split('\0');
          if (name === 'server_version') version = value ?? '';
        } else if (type === 'E') {
          const message = body
            .toString('utf8')
            .split('\0')
            .find((field) => field.startsWith('M'));
          socket.destroy();
          reject(new Error(message?.slice(1) ?? 'startup failed'));
          return;
        } else if (type === 'R' && body.readInt32BE(0) !== 0) {
          socket.destroy();
          reject(new Error('server asks for a password; the stack cluster uses trust auth'));
          return;
        } else if (type === 'Z') {
          socket.end(Buffer.from([0x58, 0, 0, 0, 4])); // Terminate
          resolve(`PostgreSQL ${version}, database flowforge`);
          return;
        }
      }
    });
  });
}

async function redisVersion(): Promise<string> {
  const redis = await RespConnection.connect(STACK_HOST, PORTS.redis);
  try {
    const pong = await redis.command(['PING']);
    if (!(pong instanceof RespStatus) || pong.value !== 'PONG')
      throw new Error(`PING answered ${String(pong)}`);
    const info = await redis.command(['INFO', 'server']);
    return `Redis ${String(info).match(/redis_version:(\S+)/)?.[1] ?? '?'}`;
  } finally {
    redis.close();
  }
}

async function clickhouseVersion(): Promise<string> {
  const client = createClient({
    url: CLICKHOUSE_URL,
    request_timeout: TIMEOUT_MS,
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    const result = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    const [row] = await result.json<{ v: string }>();
    return `ClickHouse ${row?.v ?? '?'} (chdb)`;
  } finally {
    await client.close();
  }
}

async function kafkaCluster(): Promise<string> {
  const kafka = new Kafka({
    clientId: 'stack-status',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return `Kafka cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`;
  } finally {
    await admin.disconnect();
  }
}

async function neonProxy(): Promise<string> {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = neonWsProxy;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  const client = new NeonClient(POSTGRES_URL);
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    return `@neondatabase/serverless → ${rows[0]?.db ?? '?'}`;
  } finally {
    await client.end();
  }
}

async function upstash(): Promise<string> {
  const redis = new Redis({ url: UPSTASH_URL, token: UPSTASH_TOKEN, retry: false });
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
  return '@upstash/redis → PING PONG';
}

const REALMS = ['firm-alpha', 'firm-beta'];

async function keycloak(): Promise<string> {
  for (const realm of REALMS) {
    const res = await fetch(`${KEYCLOAK_URL}/realms/${realm}/.well-known/openid-configuration`);
    if (!res.ok) throw new Error(`realm ${realm} answered ${res.status}`);
  }
  return `realms ${REALMS.join(', ')}`;
}

const keycloakListening = await new Promise<boolean>((resolve) => {
  const socket = net.connect({ host: STACK_HOST, port: PORTS.keycloak });
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});

type Probe = [name: string, port: number, probe: () => Promise<string>];
const optional: Probe[] = keycloakListening ? [['keycloak', PORTS.keycloak, keycloak]] : [];

const probes: Probe[] = [
  ['postgres', PORTS.postgres, postgresVersion],
  ['redis', PORTS.redis, redisVersion],
  ['clickhouse', PORTS.clickhouse, clickhouseVersion],
  ['kafka', PORTS.kafka, kafkaCluster],
  ['neon-proxy', PORTS.neonProxy, neonProxy],
  ['upstash', PORTS.upstash, upstash],
  // Optional services: probed only when something listens on their port.
  ...optional,
];

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    ),
  ]);
}

/** fetch() hides the refused connection in `cause`, and the WebSocket driver rejects with an ErrorEvent. */
function describe(reason: unknown): string {
  const message = (value: unknown): string =>
    typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : String(value);
  const text = message(reason);
  const cause = reason instanceof Error && reason.cause ? message(reason.cause) : '';
  return (cause && !text.includes(cause) ? `${text}: ${cause}` : text).split('\n')[0] ?? '';
}

const results = await Promise.allSettled(probes.map(([, , probe]) => withTimeout(probe())));
let healthy = true;
results.forEach((result, i) => {
  const [name, port] = probes[i] ?? ['?', 0];
  const ok = result.status === 'fulfilled';
  healthy &&= ok;
  const detail = ok ? result.value : describe(result.reason);
  console.log(`${ok ? '✅' : '❌'} ${name.padEnd(11)} ${`${STACK_HOST}:${port}`.padEnd(16)} ${detail}`);
});
process.exit(healthy ? 0 : 1);
