import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradesGraph } from './test-support/graphs.ts';
import { bearerClients, type TenantClients } from './test-support/harness.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './test-support/jwks.ts';
import { startNodeEntry, type NodeEntry } from './test-support/node-entry.ts';
import { stackEnv, uniqueTenant } from './test-support/stack.ts';
import { tenancySuite } from './test-support/tenancy.ts';

let jwks: Jwks;
let entry: NodeEntry;
let base: string;
let clients: TenantClients;

beforeAll(async () => {
  jwks = await startJwks();
  const { REDIS_PORT: _redisPort, ...vars } = stackEnv;
  entry = await startNodeEntry({
    ...vars,
    APP_ENV: 'test',
    JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
  });
  base = entry.base;
  clients = { as: bearerClients(jwks, (path, init) => fetch(`${base}${path}`, init)) };
});

afterAll(async () => {
  await entry?.stop();
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
