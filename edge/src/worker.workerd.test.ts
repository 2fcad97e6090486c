import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClients, type TenantClients } from './test-support/harness.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './test-support/jwks.ts';
import { stackWorkerVars, uniqueTenant } from './test-support/stack.ts';
import { tenancySuite } from './test-support/tenancy.ts';
import { edge, node, totalsGraph, tradesGraph } from './test-support/graphs.ts';
import { startWorkerd, type Workerd } from './test-support/workerd.ts';
import { startPrivateStack, type PrivateStack } from '../../scripts/stack-lib/private-stack.ts';

// A subset of the integration suite, run inside workerd against the Worker entry (edge/src/worker.ts) to prove the
// edge build works: Neon driver over HTTP (one-shot queries) and WebSocket (transactions), Upstash REST, ClickHouse
// over fetch, JWKS over fetch. PostgreSQL is the shared stack's, reached through this checkout's Neon proxy.
let jwks: Jwks;
let proxy: PrivateStack;
let worker: Workerd;
let clients: TenantClients;
// A stand-in embed build (the real one is checked by wrangler dev in scripts/deploy and by the e2e suite).
let embedDist: string;

beforeAll(async () => {
  jwks = await startJwks();
  embedDist = await mkdtemp(join(tmpdir(), 'flowforge-workerd-embed-'));
  await mkdir(join(embedDist, 'assets'));
  await writeFile(join(embedDist, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(embedDist, 'sdk.js'), 'export const FlowForge = {};');
  proxy = await startPrivateStack(['neon-proxy']);
  worker = await startWorkerd(
    {
      ...stackWorkerVars,
      NEON_WS_PROXY: proxy.edgeEnv.NEON_WS_PROXY!,
      NEON_FETCH_ENDPOINT: `http://${proxy.edgeEnv.NEON_WS_PROXY}/sql`,
      APP_ENV: 'development',
      JWKS_URL: jwks.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      EMBED_TOKEN_RATE_LIMIT_PER_MINUTE: '4',
    },
    { embedAssets: embedDist },
  );
  clients = { as: bearerClients(jwks, (path, init) => worker.fetch(path, init)) };
});
afterAll(async () => {
  await worker?.close();
  await proxy?.down();
  await jwks?.close();
  if (embedDist) await rm(embedDist, { recursive: true, force: true });
});

describe('workerd: health', () => {
  it('reaches PostgreSQL, Redis and ClickHouse from inside workerd', async () => {
    const res = await clients.as(uniqueTenant('wd'), 'admin').get('/api/v1/health/details');
    const body = (await res.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks).toMatchObject({
      metadata: { status: 'up' },
      cache: { status: 'up' },
      bus: { status: 'up' },
      clickhouse: { status: 'up' },
    });
    expect(res.status).toBe(200);
  });
});

describe('workerd: workflows multi-tenancy', () => {
  tenancySuite(() => clients, {
    path: '/api/v1/workflows',
    listKey: 'workflows',
    createBody: async () => ({ name: 'trades', graph: tradesGraph() }),
    patchBody: { name: 'renamed' },
  });
});

describe('workerd: auth', () => {
  it('rejects an expired token and a wrong audience', async () => {
    const claims = { tenant_id: uniqueTenant('wa'), realm_access: { roles: ['admin'] } };
    for (const token of [
      await jwks.mint(claims, { expiresIn: Math.floor(Date.now() / 1000) - 10 }),
      await jwks.mint({ ...claims, aud: 'other' }),
    ]) {
      const res = await worker.fetch('/api/v1/workflows', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  it('accepts X-Dev-Tenant in development (wrangler dev)', async () => {
    const res = await worker.fetch('/api/v1/workflows', { headers: { 'X-Dev-Tenant': uniqueTenant('wd') } });
    expect(res.status).toBe(200);
  });
});

describe('workerd: validation', () => {
  it('answers malformed JSON with 400 and a 2 MB body with 413', async () => {
    const api = clients.as(uniqueTenant('wv'));
    expect((await api.post('/api/v1/workflows', '{nope')).status).toBe(400);
    expect(
      (await api.post('/api/v1/workflows', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }))).status,
    ).toBe(413);
  });
});

describe('workerd: preview', () => {
  it('runs on ClickHouse, caches per tenant and applies the ACL', async () => {
    const t = uniqueTenant('wp');
    const api = clients.as(t);
    await api.put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    const graph = tradesGraph();
    graph.nodes[0]!.data = { ...(graph.nodes[0]!.data as object), _nonce: crypto.randomUUID() };
    const first = (await (await api.post('/api/v1/preview', { graph, target_node_id: 'srt' })).json()) as {
      rows: unknown[][];
      cache_hit: boolean;
      truncated: boolean;
    };
    expect(first.cache_hit).toBe(false);
    expect(new Set(first.rows.map((r) => r[2]))).toEqual(new Set(['AAPL']));
    expect(first.rows).toHaveLength(60);
    const second = (await (await api.post('/api/v1/preview', { graph, target_node_id: 'srt' })).json()) as {
      cache_hit: boolean;
    };
    expect(second.cache_hit).toBe(true);
    const other = (await (
      await clients.as(uniqueTenant('wp')).post('/api/v1/preview', { graph, target_node_id: 'srt' })
    ).json()) as { cache_hit: boolean };
    expect(other.cache_hit).toBe(false);
  });
});

describe('workerd: embed', () => {
  it('mints an embed token with an API key and reads the widget data with it', async () => {
    const t = uniqueTenant('we');
    const api = clients.as(t);
    const wf = (await (await api.post('/api/v1/workflows', { name: 'w', graph: tradesGraph() })).json()) as {
      id: string;
    };
    const widget = (await (
      await api.post('/api/v1/widgets', { workflow_id: wf.id, output_node_id: 'sel', widget_type: 'table' })
    ).json()) as { id: string };
    const key = (await (
      await api.post('/api/v1/api-keys', {
        name: 'k',
        widget_ids: [widget.id],
        allowed_origins: ['https://customer.example'],
      })
    ).json()) as { key: string; id: string };
    const minted = await worker.fetch('/api/v1/embed/tokens', {
      method: 'POST',
      headers: { 'X-API-Key': key.key, 'content-type': 'application/json' },
      body: JSON.stringify({ locked_filters: { symbols: ['MSFT'] } }),
    });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    const data = await worker.fetch(`/api/v1/embed/widgets/${widget.id}/data?limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(data.status).toBe(200);
    expect(data.headers.get('content-security-policy')).toBe('frame-ancestors https://customer.example');
    const body = (await data.json()) as { rows: unknown[][] };
    expect(body.rows.map((r) => r[2])).toEqual(['MSFT', 'MSFT', 'MSFT', 'MSFT', 'MSFT']);
    expect(
      (
        await worker.fetch(`/api/v1/embed/widgets/${widget.id}/data?symbols=TSLA`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(403);
    const page = await worker.fetch(`/embed/${widget.id}?theme=dark`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toMatch(
      /^frame-ancestors https:\/\/customer\.example; /,
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('set-cookie')).toBeNull();
    const sdk = await worker.fetch('/embed/sdk.js');
    expect(sdk.headers.get('access-control-allow-origin')).toBe('*');
    expect(await sdk.text()).toBe('export const FlowForge = {};');

    // The token has read twice; its allowance here is 4 a minute.
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await worker.fetch(`/api/v1/embed/widgets/${widget.id}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 429]);

    await api.delete(`/api/v1/api-keys/${key.id}`);
    expect(
      (
        await worker.fetch(`/api/v1/embed/widgets/${widget.id}/data`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(401);
  });
});

describe('workerd: embedded chart drawn at the edge', () => {
  it('renders the chart as SVG with ECharts inside workerd and serves the next read from the cache', async () => {
    const t = uniqueTenant('wsvg');
    const api = clients.as(t);
    const graph = totalsGraph();
    graph.nodes.push(node('bar', 'bar_chart', { x: 'symbol', y: ['volume'] }));
    graph.edges.push(edge('grp', 'bar'));
    const wf = (await (await api.post('/api/v1/workflows', { name: 'w', graph })).json()) as { id: string };
    const widget = (await (
      await api.post('/api/v1/widgets', {
        workflow_id: wf.id,
        output_node_id: 'bar',
        widget_type: 'bar_chart',
      })
    ).json()) as { id: string };
    const key = (await (
      await api.post('/api/v1/api-keys', { name: 'k', widget_ids: [widget.id] })
    ).json()) as { key: string };
    const minted = await worker.fetch('/api/v1/embed/tokens', {
      method: 'POST',
      headers: { 'X-API-Key': key.key, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    const auth = { authorization: `Bearer ${((await minted.json()) as { token: string }).token}` };
    const path = `/api/v1/embed/widgets/${widget.id}/chart.svg?width=480&height=300&theme=dark`;
    const first = await worker.fetch(path, { headers: auth });
    const svg = await first.text();
    expect(first.status, svg).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(svg).toMatch(/^<svg width="480" height="300" /);
    const data = (await (
      await worker.fetch(`/api/v1/embed/widgets/${widget.id}/data`, { headers: auth })
    ).json()) as { rows: unknown[][] };
    expect(svg.match(/ecmeta_ssr_type="chart"/g)).toHaveLength(data.rows.length);
    const again = await worker.fetch(path, { headers: auth });
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(await again.text()).toBe(svg);
  });
});
