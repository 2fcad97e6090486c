import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedMarket } from './duckdb-market.ts';
import { request as httpRequest } from 'node:http';
import { embeddedAccess, startEmbeddedServer, type EmbeddedServer } from './server.ts';
import { freePort } from '../../../scripts/stack-lib/free-port.ts';
import { connectDashboard } from '../test-support/fanout-client.ts';

let dataDir: string;
let duckdb: DuckDBInstance;
let server: EmbeddedServer;
let base: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'flowforge-embedded-'));
  duckdb = await DuckDBInstance.create(join(dataDir, 'analytics.duckdb'));
  const connection = await duckdb.connect();
  await seedMarket(connection, {
    days: 10,
    tradesPerDayPerSymbol: 50,
    end: new Date('2026-03-02T00:00:00Z'),
  });
  connection.closeSync();
  port = await freePort();
  server = await startEmbeddedServer({ port, dataDir, duckdb, simulateEveryMs: 50 });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  duckdb?.closeSync();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Raw HTTP with any Host header (fetch always sends the URL's host, so it cannot test DNS rebinding). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('automatic sign-in as the dev tenant', () => {
  /** GET /api/v1/me as the embedded server sees it: the tenant signed in, or the status when none is. */
  const signedIn = async (headers: Record<string, string>) => {
    const res = await raw('GET', '/api/v1/me', { host: `localhost:${port}`, ...headers });
    return res.status === 200 ? (JSON.parse(res.body) as { tenant_id: string; dev: boolean }) : res.status;
  };

  it('signs anonymous API calls from its own pages in as the dev tenant but leaves tokens and embed calls alone', async () => {
    expect(await signedIn({})).toEqual(expect.objectContaining({ tenant_id: 'dev', dev: true }));
    expect(await signedIn({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).toEqual(
      expect.objectContaining({ tenant_id: 'dev' }),
    );
    expect(await signedIn({ origin: 'http://localhost:5173', 'sec-fetch-site': 'same-origin' })).toEqual(
      expect.objectContaining({ tenant_id: 'dev' }),
    );
    expect(await signedIn({ 'x-dev-tenant': 'other' })).toEqual(
      expect.objectContaining({ tenant_id: 'other', dev: true }),
    );
    expect(await signedIn({ authorization: 'Bearer abc' })).toBe(401);
    const embed = await raw('GET', '/api/v1/embed/widgets/1/data', { host: `localhost:${port}` });
    expect(embed.status).toBe(401);
  });

  it('never signs in another site', async () => {
    expect(await signedIn({ origin: 'https://evil.example' })).toBe(401);
    expect(await signedIn({ origin: 'null' })).toBe(401);
    expect(await signedIn({ 'sec-fetch-site': 'cross-site' })).toBe(401);
    expect(await signedIn({ 'sec-fetch-site': 'same-site' })).toBe(401);
  });

  it('serves its own port on the loopback names and --host names only', () => {
    expect(embeddedAccess(8787).hosts).toEqual([
      'localhost:8787',
      '127.0.0.1:8787',
      '[::1]:8787',
      'localhost:5173',
    ]);
    expect(embeddedAccess(8787, ['flowforge.lan']).hosts).toContain('flowforge.lan:8787');
  });
});

describe('embedded server against other web pages', () => {
  const own = () => ({ host: `localhost:${port}` });

  it('answers 403 to a Host it does not serve (DNS rebinding), for the API and the web app alike', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, 'localhost:1']) {
      for (const path of ['/api/v1/me', '/api/v1/workflows', '/']) {
        const res = await raw('GET', path, { host });
        expect(res.status, `${host} ${path}`).toBe(403);
        if (path !== '/') expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
      }
    }
    const keys = await raw(
      'POST',
      '/api/v1/api-keys',
      { host: 'evil.example', 'content-type': 'application/json' },
      JSON.stringify({ name: 'stolen' }),
    );
    expect(keys.status).toBe(403);
    expect((await raw('GET', '/api/v1/me', own())).status).toBe(200);
    expect((await raw('GET', '/api/v1/me', { host: `[::1]:${port}` })).status).toBe(200);
  });

  it('does not sign in cross-site requests: simple text/plain and form posts create nothing', async () => {
    const before = (await (await fetch(`${base}/api/v1/workflows`)).json()) as { workflows: unknown[] };
    const body = JSON.stringify({ name: 'csrf', graph: { nodes: [], edges: [] } });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await raw(
        'POST',
        '/api/v1/workflows',
        { ...own(), origin: 'https://evil.example', 'content-type': type },
        body,
      );
      expect(res.status, type).toBe(401);
    }
    const keys = await raw(
      'POST',
      '/api/v1/api-keys',
      {
        ...own(),
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/json',
      },
      JSON.stringify({ name: 'stolen' }),
    );
    expect(keys.status).toBe(401);
    const me = await raw('GET', '/api/v1/me', { ...own(), 'sec-fetch-site': 'cross-site' });
    expect(me.status).toBe(401);
    const after = (await (await fetch(`${base}/api/v1/workflows`)).json()) as { workflows: unknown[] };
    expect(after.workflows.length).toBe(before.workflows.length);
  });

  it('requires application/json even from its own pages (415)', async () => {
    const res = await raw(
      'POST',
      '/api/v1/workflows',
      { ...own(), origin: `http://localhost:${port}`, 'content-type': 'text/plain' },
      JSON.stringify({ name: 'plain', graph: { nodes: [], edges: [] } }),
    );
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('refuses WebSocket upgrades from other origins and hosts', async () => {
    const open = (headers: Record<string, string>) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/market`, { headers });
        socket.once('open', () => {
          socket.close();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await open({ origin: 'https://evil.example' })).toBe(false);
    expect(await open({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toBe(false);
    expect(await open({ origin: `http://localhost:${port}` })).toBe(true);
  });
});

describe('embedded server', () => {
  it('reports its memory in the health details (development only) and Server-Timing on API answers', async () => {
    const res = await fetch(`${base}/api/v1/health/details`);
    expect(res.status).toBe(200);
    const { memory } = (await res.json()) as { memory: { rss_mb: number; heap_used_mb: number } };
    // A Node process with DuckDB and PGlite loaded is never below tens of MB, nor its heap above its resident set.
    expect(memory.rss_mb).toBeGreaterThan(50);
    expect(memory.heap_used_mb).toBeGreaterThan(1);
    expect(memory.heap_used_mb).toBeLessThan(memory.rss_mb);
    expect(res.headers.get('server-timing')).toMatch(/(^|, )total;dur=[\d.]+$/);
  });

  it('reports the automatic development login', async () => {
    const response = await fetch(`${base}/api/v1/me`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tenant_id: 'dev', dev: true, roles: ['admin'] });
  });

  it('lists the seeded DuckDB tables in the catalog with normalized types', async () => {
    const body = (await (await fetch(`${base}/api/v1/schema`)).json()) as {
      tables: { database: string; table: string; store: string; columns: { name: string; type: string }[] }[];
    };
    const names = body.tables.map((t) => `${t.database}.${t.table}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'flowforge.raw_trades',
        'flowforge.raw_quotes',
        'marts.dim_instruments',
        'metrics.daily_rollup',
        'metrics.hourly_rollup',
        'metrics.vwap_5min',
      ]),
    );
    const trades = body.tables.find((t) => t.table === 'raw_trades')!;
    expect(trades.store).toBe('duckdb');
    expect(trades.columns.find((c) => c.name === 'price')?.type).toBe('decimal(18,6)');
    expect(trades.columns.find((c) => c.name === 'event_time')?.type).toBe('datetime');
  });

  it('previews a workflow against the seeded market, persisting it in PGlite', async () => {
    const graph = {
      nodes: [
        {
          id: 's',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: 'marts', table: 'dim_instruments' },
        },
        {
          id: 'f',
          type: 'filter',
          position: { x: 0, y: 0 },
          data: { logic: 'AND', conditions: [{ column: 'sector', op: '=', value: 'Financials' }] },
        },
        {
          id: 'o',
          type: 'sort',
          position: { x: 0, y: 0 },
          data: { sorts: [{ column: 'symbol', direction: 'ASC' }] },
        },
      ],
      edges: [
        { id: 'e1', source: 's', target: 'f' },
        { id: 'e2', source: 'f', target: 'o' },
      ],
    };
    const preview = await fetch(`${base}/api/v1/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ graph, target_node_id: 'o' }),
    });
    expect(preview.status).toBe(200);
    const result = (await preview.json()) as { rows: unknown[][]; columns: { name: string }[] };
    const symbol = result.columns.findIndex((c) => c.name === 'symbol');
    expect(result.rows.map((r) => r[symbol])).toEqual(['BAC', 'GS', 'JPM']);

    const saved = await fetch(`${base}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Financials', graph }),
    });
    expect(saved.status).toBe(201);
    const list = (await (await fetch(`${base}/api/v1/workflows`)).json()) as {
      workflows: { name: string }[];
    };
    expect(list.workflows.map((w) => w.name)).toContain('Financials');
  });

  it('streams simulator ticks over /ws/market and appends them to the tape', async () => {
    const before = await countLiveTrades();
    const since = Date.now();
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/market`);
    // A tick of a step that started after the count: its rows were not counted yet.
    const tick = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        if (Date.parse(String(message.event_time)) > since) resolve(message);
      });
      socket.once('error', reject);
    });
    socket.close();
    expect(tick).toMatchObject({
      type: 'tick',
      symbol: expect.stringMatching(/^[A-Z]+$/),
      price: expect.any(Number),
    });
    expect(await countLiveTrades()).toBeGreaterThan(before);
  });

  it('is live: a dashboard socket gets invalidations and the next preview sees the new trades', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const graph = {
      nodes: [
        {
          id: 's',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: 'flowforge', table: 'raw_trades' },
        },
        {
          id: 'n',
          type: 'group_by',
          position: { x: 0, y: 0 },
          data: { group_by: [], aggregations: [{ function: 'count', column: '*', alias: 'trades' }] },
        },
      ],
      edges: [{ id: 'e', source: 's', target: 'n' }],
    };
    const workflow = await post('/api/v1/workflows', { name: 'Live count', graph });
    const dashboard = await post('/api/v1/dashboards', { name: 'Live' });
    const widget = await post('/api/v1/widgets', {
      dashboard_id: dashboard.id,
      workflow_id: workflow.id,
      output_node_id: 'n',
      widget_type: 'kpi',
    });
    const count = async () => {
      const res = await fetch(`${base}/api/v1/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ graph, target_node_id: 'n' }),
      });
      return (await res.json()) as { rows: [number][]; cache: string };
    };
    const first = await count();

    // Same-origin browsers are the development tenant, as for /api.
    const socket = await connectDashboard(`${base.replace('http', 'ws')}/ws/dashboard/${dashboard.id}`, {
      origin: base,
    });
    const invalidation = await socket.next('invalidate', 5_000);
    socket.close();
    expect(invalidation.widget_ids).toEqual([widget.id]);
    // The simulator bumped raw_trades' data version with its rows: the same preview is a miss and counts them.
    const second = await count();
    expect(second.cache).toBe('miss');
    expect(second.rows[0]![0]).toBeGreaterThan(first.rows[0]![0]);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/elsewhere`);
    await expect(
      new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)),
    ).rejects.toThrow();
  });
});

async function countLiveTrades(): Promise<number> {
  const connection = await duckdb.connect();
  try {
    const reader = await connection.runAndReadAll(
      "SELECT count(*)::INTEGER AS n FROM flowforge.raw_trades WHERE trade_id LIKE 'live-%'",
    );
    return reader.getRowObjects()[0]!.n as number;
  } finally {
    connection.closeSync();
  }
}
