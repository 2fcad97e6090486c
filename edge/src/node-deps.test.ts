import type { DuckDBInstance } from '@duckdb/node-api';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { parseConfig } from './config.ts';
import type { AppEnv } from './env.ts';
import { createNodeDeps, type NodeDeps } from './node-deps.ts';
import { seededDuckDB } from './test-support/duckdb-seed.ts';
import { totalsGraph, tradesGraph } from './test-support/graphs.ts';
import { bearerClients, type TenantClients } from './test-support/harness.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './test-support/jwks.ts';
import { uniqueTenant } from './test-support/stack.ts';
import { tenancySuite } from './test-support/tenancy.ts';

// The embedded mode's composition (`npm start`): PGlite, DuckDB, in-memory cache and bus, all in this process.
let jwks: Jwks;
let duck: DuckDBInstance;
let node: NodeDeps;
let app: Hono<AppEnv>;
let clients: TenantClients;

beforeAll(async () => {
  jwks = await startJwks();
  duck = await seededDuckDB();
  const config = parseConfig({
    APP_ENV: 'test',
    METADATA_BACKEND: 'pglite',
    ANALYTICS_BACKEND: 'duckdb',
    CACHE_BACKEND: 'memory',
    JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
  });
  node = await createNodeDeps(config, { migrate: true, duckdb: duck });
  app = createApp(node.deps);
  clients = { as: bearerClients(jwks, async (path, init) => app.request(path, init)) };
});

afterAll(async () => {
  await node?.close();
  duck?.closeSync();
  await jwks?.close();
});

describe('embedded composition: health', () => {
  it('reports PGlite, DuckDB and the in-memory cache and bus', async () => {
    const res = await clients.as('embedded-health', 'admin').get('/api/v1/health/details');
    expect(res.status).toBe(200);
    expect(Object.keys(((await res.json()) as { checks: object }).checks).sort()).toEqual([
      'bus',
      'cache',
      'duckdb',
      'metadata',
    ]);
  });
});

describe('embedded composition: workflows multi-tenancy', () => {
  tenancySuite(() => clients, {
    path: '/api/v1/workflows',
    listKey: 'workflows',
    createBody: async () => ({ name: 'trades', graph: tradesGraph() }),
    patchBody: { name: 'renamed' },
  });
});

describe('embedded composition: queries on DuckDB', () => {
  it('previews with the DuckDB dialect, then from the memory cache', async () => {
    const api = clients.as(uniqueTenant('ed'));
    const body = { graph: totalsGraph(), target_node_id: 'grp' };
    const first = (await (await api.post('/api/v1/preview', body)).json()) as {
      rows: unknown[][];
      sql: string;
      cache_hit: boolean;
    };
    expect(first.cache_hit).toBe(false);
    expect(first.sql).toMatch(/"flowforge"\."raw_trades"/);
    expect(first.rows).toContainEqual(['AAPL', 60, expect.any(Number)]);
    expect(await (await api.post('/api/v1/preview', body)).json()).toMatchObject({
      cache_hit: true,
      rows: first.rows,
    });
  });

  it('applies the ACL at the scan', async () => {
    const t = uniqueTenant('ed');
    const api = clients.as(t);
    await api.put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    const res = (await (
      await api.post('/api/v1/preview', { graph: totalsGraph(), target_node_id: 'grp' })
    ).json()) as { rows: unknown[][] };
    expect(res.rows.map((r) => r[0])).toEqual(['AAPL']);
  });

  it('pages a table and publishes invalidations on the in-process bus', async () => {
    const t = uniqueTenant('ed');
    const api = clients.as(t);
    const page = (await (
      await api.post('/api/v1/table', { graph: tradesGraph(), target_node_id: 'srt', page: 3, page_size: 10 })
    ).json()) as { rows: unknown[][] };
    expect(page.rows).toHaveLength(10);
    const created = (await (
      await api.post('/api/v1/workflows', { name: 'w', graph: tradesGraph() })
    ).json()) as { id: string };
    const received = new Promise<string>((resolve) =>
      node.memoryBus!.subscribe(`flowforge:${t}:workflow:${created.id}`, resolve),
    );
    await api.patch(`/api/v1/workflows/${created.id}`, { name: 'renamed' });
    expect(JSON.parse(await received)).toMatchObject({ type: 'workflow.updated', id: created.id });
  });
});
