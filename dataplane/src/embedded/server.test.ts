import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedMarket } from './duckdb-market.ts';
import { startEmbeddedServer, withDevTenant, type EmbeddedServer } from './server.ts';
import { freePort } from '../../../scripts/stack-lib/free-port.ts';

let dataDir: string;
let duckdb: DuckDBInstance;
let server: EmbeddedServer;
let base: string;

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
  const port = await freePort();
  server = await startEmbeddedServer({ port, dataDir, duckdb, simulateEveryMs: 50 });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  duckdb?.closeSync();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('withDevTenant', () => {
  it('signs anonymous API calls in as the dev tenant but leaves tokens and embed calls alone', () => {
    expect(withDevTenant(new Request('http://x/api/v1/workflows')).headers.get('x-dev-tenant')).toBe('dev');
    const bearer = new Request('http://x/api/v1/workflows', { headers: { authorization: 'Bearer abc' } });
    expect(withDevTenant(bearer).headers.get('x-dev-tenant')).toBeNull();
    expect(
      withDevTenant(new Request('http://x/api/v1/embed/widgets/1')).headers.get('x-dev-tenant'),
    ).toBeNull();
  });
});

describe('embedded server', () => {
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
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/market`);
    const tick = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
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
