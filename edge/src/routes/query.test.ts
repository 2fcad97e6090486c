import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { UpstashCache, upstashClient } from '../adapters/upstash/index.ts';
import { edge, node, totalsGraph, tradesGraph } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { seedPostgres } from '../test-support/postgres-seed.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { dataVersionKey } from '../live/keys.ts';
import { RefreshingCatalog } from '../catalog/index.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Preview = {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  row_count: number;
  total_rows: number | null;
  truncated: boolean;
  execution_ms: number;
  cache_hit: boolean;
  cache: string;
  sql: string;
  as_of: string;
};
type ErrorBody = {
  error: {
    code: string;
    message: string;
    details: { errors?: { nodeId: string; code: string; message: string; field?: string }[] };
  };
};

const preview = async (
  tenant: string,
  graph: unknown,
  target: string,
  extra: Record<string, unknown> = {},
) => {
  const res = await h.as(tenant).post('/api/v1/preview', { graph, target_node_id: target, ...extra });
  return { status: res.status, body: (await res.json()) as Preview & ErrorBody };
};

/** Unique per test so earlier runs' cache entries never answer (the graph is part of the key). */
const fresh = (graph: ReturnType<typeof tradesGraph>) => {
  graph.nodes[0]!.data = { ...(graph.nodes[0]!.data as object), _nonce: crypto.randomUUID() };
  return graph;
};

describe('POST /preview', () => {
  it('answers the plan §14 shape with at most 100 rows and truncated=true when more exist', async () => {
    const { status, body } = await preview(uniqueTenant('pv'), tradesGraph(), 'srt');
    expect(status).toBe(200);
    expect(body.columns).toEqual([
      { name: 'trade_id', type: 'string' },
      { name: 'event_time', type: 'datetime' },
      { name: 'symbol', type: 'string' },
      { name: 'side', type: 'string' },
      { name: 'quantity', type: 'decimal(18,4)' },
      { name: 'price', type: 'decimal(18,6)' },
    ]);
    expect(body.rows).toHaveLength(100);
    // The seed's 4 symbols × 60 trades, counted because the rows were cut at 100.
    expect(body).toMatchObject({ row_count: 100, total_rows: 240, truncated: true });
    expect(body.rows[0]).toEqual([
      'edge-seed-AAPL-0',
      expect.stringMatching(/^2026-01-05/),
      'AAPL',
      'BUY',
      10,
      100,
    ]);
    expect(body.sql).toMatch(/^SELECT/);
    expect(typeof body.execution_ms).toBe('number');
  });

  it('says truncated=false when everything fits', async () => {
    const { body } = await preview(uniqueTenant('pv'), totalsGraph(), 'grp');
    expect(body).toMatchObject({ row_count: 4, total_rows: 4, truncated: false });
    expect(body.rows).toContainEqual(['AAPL', 60, expect.any(Number)]);
  });

  it('serves the second identical preview from the cache', async () => {
    const t = uniqueTenant('pc');
    const graph = fresh(tradesGraph());
    const first = await preview(t, graph, 'sel');
    expect(first.body).toMatchObject({ cache_hit: false, cache: 'miss' });
    // Layout changes (positions) are not part of the key.
    graph.nodes[1]!.position = { x: 500, y: 500 };
    const second = await preview(t, graph, 'sel');
    expect(second.body).toMatchObject({ cache_hit: true, cache: 'hit' });
    expect(second.body.rows).toEqual(first.body.rows);
    // Nor are nodes the target does not read: editing the sort below `sel` (even into an invalid one) still hits.
    graph.nodes[3]!.data = { sorts: [{ column: 'no_such_column', direction: 'ASC' }] };
    const third = await preview(t, graph, 'sel');
    expect(third.body).toMatchObject({ cache_hit: true, cache: 'hit', sql: first.body.sql });
    // An edit upstream of the target is a new key: the compiler sees it and refuses it.
    graph.nodes[1]!.data = { logic: 'AND', conditions: [{ column: 'no_such_column', op: '=', value: 1 }] };
    expect((await preview(t, graph, 'sel')).status).toBe(422);
  });

  it("serves another process's cached answer on a key this one never answered", async () => {
    const t = uniqueTenant('px');
    const body = { graph: fresh(tradesGraph()), target_node_id: 'sel' };
    const first = await h.as(t).post('/api/v1/preview', body);
    expect(first.headers.get('server-timing')).toMatch(/compile;dur=.*engine;dur=/);
    // Another process: the same Upstash and stores, its own clients and memory. The key is new to it, so it compiles
    // while the read travels (a likely miss), and still answers from the cache without the engine.
    const other = createApp({
      ...h.node.deps,
      catalog: new RefreshingCatalog((h.node.deps.catalog as RefreshingCatalog).sources),
      cache: new UpstashCache(
        upstashClient({ url: h.config.UPSTASH_REDIS_REST_URL, token: h.config.UPSTASH_REDIS_REST_TOKEN }),
      ),
    });
    const token = await h.jwks.token(t);
    const ask = () =>
      other.request('/api/v1/preview', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const hit = await ask();
    expect(await hit.json()).toMatchObject({ cache: 'hit', rows: ((await first.json()) as Preview).rows });
    expect(hit.headers.get('server-timing')).toMatch(/compile;dur=/);
    expect(hit.headers.get('server-timing')).not.toMatch(/engine/);
    // Now it has answered the key: a hit costs no compile.
    const again = await ask();
    expect(((await again.json()) as Preview).cache).toBe('hit');
    expect(again.headers.get('server-timing')).not.toMatch(/compile|engine/);
  });

  it('runs a graph compiled before again without compiling when its table got rows since', async () => {
    const t = uniqueTenant('pm');
    const body = { graph: fresh(tradesGraph()), target_node_id: 'sel' };
    const first = await h.as(t).post('/api/v1/preview', body);
    expect(first.headers.get('server-timing')).toMatch(/compile;dur=.*engine;dur=/);
    const firstBody = (await first.json()) as Preview;
    await h.node.deps.cache.set(dataVersionKey('flowforge.raw_trades'), crypto.randomUUID(), 60);
    const again = await h.as(t).post('/api/v1/preview', body);
    const againBody = (await again.json()) as Preview;
    expect(againBody).toMatchObject({ cache: 'miss', sql: firstBody.sql, rows: firstBody.rows });
    expect(again.headers.get('server-timing')).toMatch(/engine;dur=/);
    expect(again.headers.get('server-timing')).not.toMatch(/compile/);
    // Another limit is another query: compiled afresh.
    const other = await h.as(t).post('/api/v1/preview', { ...body, limit: 7 });
    expect(other.headers.get('server-timing')).toMatch(/compile;dur=/);
    expect(((await other.json()) as Preview).sql).not.toBe(firstBody.sql);
  });

  it('never serves one tenant the cached preview of another', async () => {
    const graph = fresh(tradesGraph());
    const a = await preview(uniqueTenant('ca'), graph, 'sel');
    const b = await preview(uniqueTenant('cb'), graph, 'sel');
    expect(a.body.cache_hit).toBe(false);
    expect(b.body.cache_hit).toBe(false);
  });

  it('misses the cache after the ACL changes (its version is in the key)', async () => {
    const t = uniqueTenant('cv');
    const graph = fresh(tradesGraph());
    await preview(t, graph, 'sel');
    expect(
      (await h.as(t).put('/api/v1/acl', { allowed_symbols: ['MSFT'], allowed_tables: null })).status,
    ).toBe(200);
    const after = await preview(t, graph, 'sel');
    expect(after.body.cache_hit).toBe(false);
    expect(new Set(after.body.rows.map((r) => r[2]))).toEqual(new Set(['MSFT']));
  });

  it('serves uncached with cache "unavailable" when Redis is down, never a 500', async () => {
    const down = new UpstashCache(upstashClient({ url: 'http://127.0.0.1:1', token: 'x' }));
    const app = createApp({ ...h.node.deps, cache: down });
    const token = await h.jwks.token(uniqueTenant('cd'));
    const res = await app.request('/api/v1/preview', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ graph: totalsGraph(), target_node_id: 'grp' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cache: 'unavailable', cache_hit: false, row_count: 4 });
  });

  it('answers a cyclic graph with 422 and node-level errors', async () => {
    const graph = {
      nodes: [
        node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
        node('a', 'filter', { logic: 'AND', conditions: [] }),
        node('b', 'sort', { sorts: [{ column: 'trade_id' }] }),
        node('j', 'join', { join_type: 'INNER', keys: [{ left: 'trade_id', right: 'trade_id' }] }),
      ],
      edges: [edge('src', 'j', 'left'), edge('b', 'j', 'right'), edge('j', 'a'), edge('a', 'b')],
    };
    const { status, body } = await preview(uniqueTenant('cy'), graph, 'b');
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_graph');
    expect(body.error.details.errors!.some((e) => e.code === 'CYCLE' && e.nodeId !== '')).toBe(true);
  });

  it('answers an unknown column with 422 and a "did you mean"', async () => {
    const graph = tradesGraph({ limitTo: ['trade_id', 'symbl'] });
    const { status, body } = await preview(uniqueTenant('uc'), graph, 'sel');
    expect(status).toBe(422);
    const problem = body.error.details.errors!.find((e) => e.code === 'UNKNOWN_COLUMN')!;
    expect(problem).toMatchObject({ nodeId: 'sel', field: expect.stringContaining('columns') });
    expect(problem.message).toMatch(/Did you mean "symbol"\?/);
    expect(body.error.message).toMatch(/did you mean/i);
  });

  it('rejects a body that is not a graph with 422 and field paths', async () => {
    const res = await h
      .as(uniqueTenant('vb'))
      .post('/api/v1/preview', { graph: { nodes: 'x' }, target_node_id: 'a' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
  });
});

describe('ACL: a tenant allowed only AAPL never sees another symbol', () => {
  const graphs: [string, unknown, string][] = [
    [
      'plain scan',
      { nodes: [node('s', 'data_source', { database: 'flowforge', table: 'raw_trades' })], edges: [] },
      's',
    ],
    ['filter asking for MSFT', tradesGraph({ symbols: ['MSFT', 'TSLA'] }), 'srt'],
    ['group by symbol', totalsGraph(), 'grp'],
    [
      'OR filter that tries to escape',
      {
        nodes: [
          node('s', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
          node('f', 'filter', {
            logic: 'OR',
            conditions: [
              { column: 'symbol', op: '=', value: 'MSFT' },
              { column: 'symbol', op: 'IS_NOT_NULL' },
            ],
          }),
        ],
        edges: [edge('s', 'f')],
      },
      'f',
    ],
    [
      'self join and union',
      {
        nodes: [
          node('a', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
          node('b', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
          node('u', 'union', { mode: 'ALL' }),
          node('j', 'join', { join_type: 'FULL', keys: [{ left: 'trade_id', right: 'trade_id' }] }),
        ],
        edges: [edge('a', 'u'), edge('b', 'u'), edge('u', 'j', 'left'), edge('b', 'j', 'right')],
      },
      'j',
    ],
  ];

  it.each(graphs)('%s', async (_name, graph, target) => {
    const t = uniqueTenant('acl');
    await h.as(t).put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    const { status, body } = await preview(t, graph, target, { limit: 1000 });
    expect(status).toBe(200);
    const symbolColumns = body.columns.flatMap((c, i) => (c.name.startsWith('symbol') ? [i] : []));
    expect(symbolColumns.length).toBeGreaterThan(0);
    const seen = new Set(body.rows.flatMap((r) => symbolColumns.map((i) => r[i])).filter((v) => v !== null));
    // A graph asking only for other symbols gets nothing at all; every other graph gets AAPL and only AAPL.
    expect([...seen]).toEqual(JSON.stringify(graph).includes('"MSFT","TSLA"') ? [] : ['AAPL']);
  });

  it('the tenant whose ACL allows nothing gets no rows', async () => {
    const t = uniqueTenant('acl0');
    await h.as(t).put('/api/v1/acl', { allowed_symbols: [], allowed_tables: null });
    const { body } = await preview(t, totalsGraph(), 'grp');
    expect(body.rows).toEqual([]);
  });

  it('allowed_tables hides other tables from GET /schema and from compilation', async () => {
    const t = uniqueTenant('aclt');
    await h.as(t).put('/api/v1/acl', { allowed_symbols: null, allowed_tables: ['flowforge.raw_quotes'] });
    const schema = (await (await h.as(t).get('/api/v1/schema')).json()) as { tables: { table: string }[] };
    expect(schema.tables.map((x) => x.table)).not.toContain('raw_trades');
    const { status, body } = await preview(t, totalsGraph(), 'grp');
    expect(status).toBe(422);
    expect(body.error.details.errors![0]!.code).toBe('UNKNOWN_TABLE');
  });
});

describe('GET /schema', () => {
  it("lists the catalog's tables with normalized types", async () => {
    const res = await h.as(uniqueTenant('sc'), 'viewer').get('/api/v1/schema');
    const body = (await res.json()) as {
      tables: { database: string; table: string; store: string; columns: { name: string; type: string }[] }[];
    };
    const trades = body.tables.find((t) => t.database === 'flowforge' && t.table === 'raw_trades')!;
    expect(trades.store).toBe('clickhouse');
    expect(trades.columns.find((c) => c.name === 'price')!.type).toBe('decimal(18,6)');
  });
});

describe('POST /table', () => {
  it('pages with page/page_size and a view-only sort', async () => {
    const t = uniqueTenant('tb');
    const res = await h.as(t).post('/api/v1/table', {
      graph: tradesGraph({ symbols: ['MSFT'] }),
      target_node_id: 'sel',
      page: 1,
      page_size: 25,
      sort: [{ column: 'quantity', direction: 'DESC' }, { column: 'trade_id' }],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Preview & { page: number; page_size: number };
    expect(body).toMatchObject({ page: 1, page_size: 25, row_count: 25, total_rows: 60 });
    const quantities = body.rows.map((r) => r[4] as number);
    expect(quantities).toEqual([...quantities].sort((a, b) => b - a));
    expect(body.sql).toMatch(/LIMIT 25\s+OFFSET 25/);
  });

  it('refuses offsets past 10 000 with the plan message', async () => {
    const res = await h
      .as(uniqueTenant('tb'))
      .post('/api/v1/table', { graph: tradesGraph(), target_node_id: 'srt', page: 201, page_size: 50 });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('page_limit_exceeded');
    expect(body.error.message).toMatch(/add a filter/i);
    expect(body.error.message).toMatch(/export to CSV/i);
  });

  it('pages a table_view node with the request page, keeping its upstream sort', async () => {
    const graph = tradesGraph();
    graph.nodes.push(node('tv', 'table_view', { page: 0, page_size: 10 }));
    graph.edges.push(edge('srt', 'tv'));
    const api = h.as(uniqueTenant('tv'));
    const page = async (n: number, size: number) =>
      (
        (await (
          await api.post('/api/v1/table', { graph, target_node_id: 'tv', page: n, page_size: size })
        ).json()) as Preview
      ).rows.map((r) => r[0]);
    const firstFifteen = await page(0, 15);
    expect(firstFifteen).toEqual([...firstFifteen].sort());
    expect(await page(2, 5)).toEqual(firstFifteen.slice(10, 15));
  });
});

describe('POST /export.csv', () => {
  it('streams a header and every row as CSV', async () => {
    const res = await h
      .as(uniqueTenant('ex'))
      .post('/api/v1/export.csv', { graph: tradesGraph(), target_node_id: 'srt' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('trade_id,event_time,symbol,side,quantity,price');
    expect(lines).toHaveLength(1 + 240);
    expect(lines[1]).toMatch(/^edge-seed-AAPL-0,2026-01-05 14:00:00(\.000)?,AAPL,BUY,10,100$/);
  });

  it('caps the rows at EXPORT_MAX_ROWS', async () => {
    const capped = createApp({ ...h.node.deps, config: { ...h.config, EXPORT_MAX_ROWS: 7 } });
    const token = await h.jwks.token(uniqueTenant('ex'));
    const res = await capped.request('/api/v1/export.csv', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ graph: tradesGraph(), target_node_id: 'srt' }),
    });
    expect(res.headers.get('x-row-cap')).toBe('7');
    expect((await res.text()).trimEnd().split('\r\n')).toHaveLength(8);
  });
});

describe('live store: Materialize over PostgreSQL wire (the stack PostgreSQL plays it)', () => {
  let live: Harness;
  beforeAll(async () => {
    live = await startHarness({
      MATERIALIZE_URL: h.config.DATABASE_URL,
      MATERIALIZE_SCHEMAS: 'edge_live_test',
    });
    await seedPostgres(live.node.sql, 'edge_live_test');
  });
  afterAll(() => live.close());

  it('routes a graph on a live table to the live engine with the postgres dialect and the ACL', async () => {
    const t = uniqueTenant('mz');
    await live.as(t).put('/api/v1/acl', { allowed_symbols: ['TSLA'], allowed_tables: null });
    const graph = totalsGraph();
    graph.nodes[0]!.data = { database: 'edge_live_test', table: 'raw_trades' };
    const res = await live.as(t).post('/api/v1/preview', { graph, target_node_id: 'grp' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Preview;
    expect(body.sql).toMatch(/FROM "edge_live_test"\."raw_trades"/);
    expect(body.rows).toEqual([['TSLA', 60, expect.any(Number)]]);
  });
});

describe('preview freshness: as_of, Refresh, live tables', () => {
  it('keeps the run time on a cache hit and runs again with refresh: true', async () => {
    const t = uniqueTenant('pf');
    const graph = fresh(tradesGraph());
    const first = await preview(t, graph, 'sel');
    const hit = await preview(t, graph, 'sel');
    expect(hit.body).toMatchObject({ cache_hit: true, as_of: first.body.as_of });
    const refreshed = await preview(t, graph, 'sel', { refresh: true });
    expect(refreshed.body.cache_hit).toBe(false);
    expect(Date.parse(refreshed.body.as_of)).toBeGreaterThan(Date.parse(first.body.as_of));
  });

  it('caches a table listed in LIVE_TABLES for LIVE_CACHE_TTL seconds only', async () => {
    const live = await startHarness({ LIVE_TABLES: 'flowforge.raw_trades', LIVE_CACHE_TTL: '1' });
    try {
      const t = uniqueTenant('pl');
      const graph = fresh(tradesGraph());
      const send = async () =>
        (await (
          await live.as(t).post('/api/v1/preview', { graph, target_node_id: 'sel' })
        ).json()) as Preview;
      expect((await send()).cache_hit).toBe(false);
      expect((await send()).cache_hit).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await send()).cache_hit).toBe(false);
    } finally {
      await live.close();
    }
  });
});
