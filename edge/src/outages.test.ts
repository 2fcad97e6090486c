import ws from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseEngine, clickHouseClient } from './adapters/clickhouse/index.ts';
import { openNeon, type NeonHandle } from './adapters/neon/index.ts';
import { PgMetadataStore } from './adapters/postgres/metadata-store.ts';
import { createApp } from './app.ts';
import { parseConfig } from './config.ts';
import type { AnalyticsEngine } from './ports/analytics-engine.ts';
import { EXPORT_ERROR_MARKER } from './routes/query.ts';
import { edge, node, totalsGraph, tradesGraph } from './test-support/graphs.ts';
import { startHarness, type Harness } from './test-support/harness.ts';
import { stackEnv, uniqueTenant } from './test-support/stack.ts';

type ErrorBody = { error: { code: string; message: string; details: { request_id?: string } | null } };

let h: Harness;
let deadPg: NeonHandle;
beforeAll(async () => {
  h = await startHarness();
  // The stack's Neon proxy in front of a port nothing listens on: what the edge sees while PostgreSQL is down.
  deadPg = openNeon({
    connectionString: 'postgres://postgres@127.0.0.1:1/flowforge',
    wsProxy: stackEnv.NEON_WS_PROXY,
    webSocketConstructor: ws,
  });
});
afterAll(async () => {
  await deadPg?.end().catch(() => {});
  await h?.close();
});

const bearer = async (tenant: string) => ({
  authorization: `Bearer ${await h.jwks.token(tenant)}`,
  'content-type': 'application/json',
});

async function expect503(res: Response, code: string) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  const text = await res.text();
  expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminated|socket/i);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.details?.request_id).toBe(res.headers.get('x-request-id'));
}

describe('PostgreSQL down', () => {
  let down = false;
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    const dead = new PgMetadataStore(deadPg.sql);
    const live = h.node.deps.metadata;
    app = createApp({
      ...h.node.deps,
      metadata: { open: () => (down ? { store: dead, release: async () => {} } : live.open()) },
    });
  });

  it('answers metadata routes and embeds with 503 + Retry-After, never 500', async () => {
    down = true;
    const tenant = uniqueTenant('pg');
    await expect503(
      await app.request('/api/v1/workflows', { headers: await bearer(tenant) }),
      'metadata_unavailable',
    );
    await expect503(
      await app.request('/api/v1/workflows', {
        method: 'POST',
        headers: await bearer(tenant),
        body: JSON.stringify({ name: 'w', graph: { nodes: [], edges: [] } }),
      }),
      'metadata_unavailable',
    );
    await expect503(
      await app.request('/api/v1/embed/widgets/00000000-0000-4000-8000-000000000000', {
        headers: { 'X-API-Key': `ff_live_${'a'.repeat(40)}` },
      }),
      'metadata_unavailable',
    );
    // A tenant whose ACL this process never read cannot preview: the ACL decides what rows it may see.
    await expect503(
      await app.request('/api/v1/preview', {
        method: 'POST',
        headers: await bearer(tenant),
        body: JSON.stringify({ graph: totalsGraph(), target_node_id: 'grp' }),
      }),
      'metadata_unavailable',
    );
  });

  it('still previews for a tenant whose ACL was read in the last minute', async () => {
    const tenant = uniqueTenant('pgc');
    await h.as(tenant).put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    const preview = async () =>
      app.request('/api/v1/preview', {
        method: 'POST',
        headers: await bearer(tenant),
        body: JSON.stringify({ graph: totalsGraph(), target_node_id: 'grp' }),
      });
    down = false;
    const up = await preview();
    expect(up.status).toBe(200);
    down = true;
    const cached = await preview();
    expect(cached.status).toBe(200);
    const body = (await cached.json()) as { rows: unknown[][]; cache: string };
    expect(body.cache).toBe('hit');
    // The remembered ACL still holds: AAPL only.
    expect(body.rows.map((r) => r[0])).toEqual(['AAPL']);
  });
});

describe('analytics engine down', () => {
  it('answers previews and exports with 503 + Retry-After without the engine address', async () => {
    const app = createApp({
      ...h.node.deps,
      analytics: { clickhouse: new ClickHouseEngine(clickHouseClient({ url: 'http://127.0.0.1:1' })) },
    });
    const headers = await bearer(uniqueTenant('ch'));
    const body = JSON.stringify({ graph: tradesGraph(), target_node_id: 'srt' });
    await expect503(
      await app.request('/api/v1/preview', { method: 'POST', headers, body }),
      'engine_unavailable',
    );
    await expect503(
      await app.request('/api/v1/export.csv', { method: 'POST', headers, body }),
      'engine_unavailable',
    );
  });
});

describe('no leaks', () => {
  it('maps an engine error to a product message; the engine text goes to the log only', async () => {
    // 10 000 long literals pass the body reader but not ClickHouse's max_query_size.
    const symbols = Array.from({ length: 10_000 }, (_, i) => `SYMBOL-${String(i).padStart(24, '0')}`);
    const graph = {
      nodes: [
        node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
        node('flt', 'filter', { logic: 'AND', conditions: [{ column: 'symbol', op: 'IN', value: symbols }] }),
      ],
      edges: [edge('src', 'flt')],
    };
    const res = await h.as(uniqueTenant('lk')).post('/api/v1/preview', { graph, target_node_id: 'flt' });
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).not.toMatch(/max_query_size|__table|Code: \d+|DB::Exception|SYNTAX_ERROR/);
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.code).toBe('query_failed');
    expect(body.error.details?.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('ends a CSV export that fails after streaming began with an error marker row', async () => {
    const real = h.node.deps.analytics.clickhouse!;
    // The real engine's stream, cut after 3 rows as a dropped connection would.
    const cut: AnalyticsEngine = {
      store: real.store,
      query: (sql, options) => real.query(sql, options),
      ping: () => real.ping(),
      async stream(sql, options) {
        const { columns, rows } = await real.stream(sql, options);
        async function* failing() {
          let n = 0;
          for await (const row of rows) {
            if (n++ === 3) throw new Error('socket hang up (ECONNRESET 127.0.0.1:8123)');
            yield row;
          }
        }
        return { columns, rows: failing() };
      },
    };
    const app = createApp({ ...h.node.deps, analytics: { clickhouse: cut } });
    const res = await app.request('/api/v1/export.csv', {
      method: 'POST',
      headers: await bearer(uniqueTenant('csv')),
      body: JSON.stringify({ graph: tradesGraph(), target_node_id: 'srt' }),
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^${EXPORT_ERROR_MARKER},The export failed after 3 rows; this file is incomplete \\(request [0-9a-f-]+\\)$`,
      ),
    );
    expect(lines.join('\n')).not.toMatch(/ECONNRESET|127\.0\.0\.1/);
  });

  it('puts frame-ancestors and nosniff on every embed response, errors included', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'X-API-Key': 'nope' },
      { authorization: 'Bearer not-a-token' },
    ];
    for (const headers of attempts) {
      const res = await h.app.request('/api/v1/embed/widgets/00000000-0000-4000-8000-000000000000/data', {
        headers,
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const tenant = uniqueTenant('eh');
    const wf = (await (
      await h.as(tenant).post('/api/v1/workflows', { name: 'w', graph: tradesGraph() })
    ).json()) as { id: string };
    const widget = (await (
      await h
        .as(tenant)
        .post('/api/v1/widgets', { workflow_id: wf.id, output_node_id: 'sel', widget_type: 'table' })
    ).json()) as { id: string };
    const keyRes = await h.as(tenant).post('/api/v1/api-keys', {
      name: 'k',
      widget_ids: [widget.id],
      allowed_origins: ['https://customer.example'],
    });
    const { key } = (await keyRes.json()) as { key: string };
    const outOfScope = await h.app.request('/api/v1/embed/widgets/00000000-0000-4000-8000-000000000000', {
      headers: { 'X-API-Key': key },
    });
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.headers.get('content-security-policy')).toBe(
      'frame-ancestors https://customer.example',
    );
  });

  it('lists the development sign-in in the OpenAPI document only in development', async () => {
    const spec = async (APP_ENV: string) => {
      const app = createApp({
        ...h.node.deps,
        config: parseConfig({ ...h.config, APP_ENV, EMBED_SIGNING_SECRET: 'x'.repeat(32) }),
      });
      return (await app.request('/api/v1/openapi.json')).text();
    };
    expect(await spec('production')).not.toMatch(/devTenant|X-Dev-Tenant/);
    expect(await spec('test')).not.toMatch(/devTenant|X-Dev-Tenant/);
    expect(await spec('development')).toMatch(/X-Dev-Tenant/);
  });
});
