import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradesGraph } from './test-support/graphs.ts';
import { bearerClients, type TenantClients } from './test-support/harness.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './test-support/jwks.ts';
import { stackEnv, uniqueTenant } from './test-support/stack.ts';
import { tenancySuite } from './test-support/tenancy.ts';
import { freePort } from '../../scripts/stack-lib/free-port.ts';

// The Node entry exactly as deployed: `tsx edge/src/node.ts` in its own process, env from the environment, real HTTP.
const ENTRY = fileURLToPath(new URL('./node.ts', import.meta.url));

let jwks: Jwks;
let child: ChildProcess;
let base: string;
let clients: TenantClients;

beforeAll(async () => {
  jwks = await startJwks();
  const port = await freePort();
  const { REDIS_PORT: _redisPort, ...vars } = stackEnv;
  child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: {
      ...process.env,
      ...vars,
      APP_ENV: 'test',
      PORT: String(port),
      JWKS_URL: jwks.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node entry did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('flowforge edge on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`node entry exited with ${code}:\n${output}`)));
  });
  base = `http://127.0.0.1:${port}`;
  clients = { as: bearerClients(jwks, (path, init) => fetch(`${base}${path}`, init)) };
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await jwks?.close();
});

describe('node entry: health', () => {
  it('answers over real HTTP with every dependency up', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'up' });
  });
});

describe('node entry: workflows multi-tenancy', () => {
  tenancySuite(() => clients, {
    path: '/api/v1/workflows',
    listKey: 'workflows',
    createBody: async () => ({ name: 'trades', graph: tradesGraph() }),
    patchBody: { name: 'renamed' },
  });
});

describe('node entry: preview and export', () => {
  it('caches the second preview and streams CSV', async () => {
    const api = clients.as(uniqueTenant('np'));
    const graph = tradesGraph();
    graph.nodes[0]!.data = { ...(graph.nodes[0]!.data as object), _nonce: crypto.randomUUID() };
    const body = { graph, target_node_id: 'srt' };
    expect(await (await api.post('/api/v1/preview', body)).json()).toMatchObject({
      cache_hit: false,
      row_count: 100,
      truncated: true,
    });
    expect(await (await api.post('/api/v1/preview', body)).json()).toMatchObject({ cache_hit: true });
    const csv = await api.post('/api/v1/export.csv', body);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).trimEnd().split('\r\n')).toHaveLength(241);
  });

  it('rejects the dev header outside development', async () => {
    const res = await fetch(`${base}/api/v1/workflows`, { headers: { 'X-Dev-Tenant': 'tenant-a' } });
    expect(res.status).toBe(401);
  });
});
