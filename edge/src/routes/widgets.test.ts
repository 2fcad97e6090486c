import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node, totalsGraph, tradesGraph } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { tenancySuite } from '../test-support/tenancy.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function workflow(tenant: string, graph: unknown = tradesGraph()): Promise<string> {
  const res = await h.as(tenant).post('/api/v1/workflows', { name: 'w', graph });
  return ((await res.json()) as { id: string }).id;
}

async function dashboard(tenant: string, filters: unknown = {}): Promise<string> {
  const res = await h.as(tenant).post('/api/v1/dashboards', { name: 'd', filters });
  return ((await res.json()) as { id: string }).id;
}

describe('widgets: multi-tenancy', () => {
  tenancySuite(() => h, {
    path: '/api/v1/widgets',
    listKey: 'widgets',
    createBody: async (_h, tenant) => ({
      workflow_id: await workflow(tenant),
      output_node_id: 'srt',
      widget_type: 'table',
    }),
    patchBody: { widget_type: 'bar_chart' },
    itemSubPaths: [
      { method: 'get', suffix: '/data' },
      { method: 'get', suffix: '/export.csv' },
    ],
  });
});

describe('widgets: references', () => {
  it("refuses a widget on another tenant's workflow", async () => {
    const [a, b] = [uniqueTenant('ra'), uniqueTenant('rb')];
    const foreign = await workflow(b);
    const res = await h
      .as(a)
      .post('/api/v1/widgets', { workflow_id: foreign, output_node_id: 'srt', widget_type: 'table' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_reference' } });
  });

  it("refuses a widget on another tenant's dashboard", async () => {
    const [a, b] = [uniqueTenant('ra'), uniqueTenant('rb')];
    const res = await h.as(a).post('/api/v1/widgets', {
      dashboard_id: await dashboard(b),
      workflow_id: await workflow(a),
      output_node_id: 'srt',
      widget_type: 'table',
    });
    expect(res.status).toBe(400);
  });

  it('refuses a node that is not in the workflow', async () => {
    const a = uniqueTenant('rn');
    const res = await h.as(a).post('/api/v1/widgets', {
      workflow_id: await workflow(a),
      output_node_id: 'nope',
      widget_type: 'table',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/nope/);
  });

  it("refuses moving a widget onto another tenant's workflow", async () => {
    const [a, b] = [uniqueTenant('ra'), uniqueTenant('rb')];
    const created = await h.as(a).post('/api/v1/widgets', {
      workflow_id: await workflow(a),
      output_node_id: 'srt',
      widget_type: 'table',
    });
    const { id } = (await created.json()) as { id: string };
    const res = await h.as(a).patch(`/api/v1/widgets/${id}`, { workflow_id: await workflow(b) });
    expect(res.status).toBe(400);
  });
});

describe('GET /widgets/:id/data', () => {
  type Data = { rows: unknown[][]; columns: { name: string }[]; filters: unknown; cache_hit: boolean };

  it("applies the dashboard's global filters on the first datetime and the symbol column", async () => {
    const t = uniqueTenant('wd');
    const d = await dashboard(t, {
      symbols: ['MSFT', 'TSLA'],
      date_from: '2026-01-06',
      date_to: '2026-01-06T23:59:59',
    });
    const res = await h.as(t).post('/api/v1/widgets', {
      dashboard_id: d,
      workflow_id: await workflow(t),
      output_node_id: 'sel',
      widget_type: 'table',
    });
    const { id } = (await res.json()) as { id: string };
    const data = (await (await h.as(t, 'viewer').get(`/api/v1/widgets/${id}/data`)).json()) as Data;
    expect(new Set(data.rows.map((r) => r[2]))).toEqual(new Set(['MSFT', 'TSLA']));
    expect(data.rows.every((r) => String(r[1]).startsWith('2026-01-06'))).toBe(true);
    expect(data.rows).toHaveLength(40);
  });

  it('lets query parameters override the dashboard filters', async () => {
    const t = uniqueTenant('wq');
    const d = await dashboard(t, { symbols: ['MSFT'] });
    const res = await h.as(t).post('/api/v1/widgets', {
      dashboard_id: d,
      workflow_id: await workflow(t),
      output_node_id: 'sel',
      widget_type: 'table',
    });
    const { id } = (await res.json()) as { id: string };
    const data = (await (
      await h.as(t).get(`/api/v1/widgets/${id}/data?symbols=GOOGL&limit=5`)
    ).json()) as Data;
    expect(data.rows).toHaveLength(5);
    expect(new Set(data.rows.map((r) => r[2]))).toEqual(new Set(['GOOGL']));
  });

  it('filters above a chart node, which shapes its input', async () => {
    const t = uniqueTenant('wc');
    const graph = totalsGraph();
    graph.nodes.push(node('bar', 'bar_chart', { x: 'symbol', y: ['volume'] }));
    graph.edges.push(edge('grp', 'bar'));
    const res = await h.as(t).post('/api/v1/widgets', {
      workflow_id: await workflow(t, graph),
      output_node_id: 'bar',
      widget_type: 'bar_chart',
    });
    const { id } = (await res.json()) as { id: string };
    const answer = await h.as(t).get(`/api/v1/widgets/${id}/data?symbols=AAPL,TSLA`);
    expect(answer.status).toBe(200);
    const data = (await answer.json()) as Data;
    expect(data.rows.map((r) => r[0]).sort()).toEqual(['AAPL', 'TSLA']);
  });
});

describe('GET /widgets/:id/data: filters at the scan, freshness', () => {
  type Data = {
    rows: unknown[][];
    cache_hit: boolean;
    as_of: string;
    unapplied_filters: string[];
  };
  /** totals without a key → KPI: the output has neither `symbol` nor a date, the filters still narrow it. */
  async function kpiWidget(t: string): Promise<string> {
    const graph = totalsGraph();
    (graph.nodes[2]!.data as { group_by: string[] }).group_by = [];
    graph.nodes.push(node('kpi', 'kpi', { value: 'volume' }));
    graph.edges.push(edge('grp', 'kpi'));
    const res = await h.as(t).post('/api/v1/widgets', {
      workflow_id: await workflow(t, graph),
      output_node_id: 'kpi',
      widget_type: 'kpi',
    });
    return ((await res.json()) as { id: string }).id;
  }
  const get = async (t: string, path: string) => {
    const res = await h.as(t).get(path);
    expect(res.status).toBe(200);
    return (await res.json()) as Data;
  };

  it('narrows a KPI over an aggregate by symbol and by date', async () => {
    const t = uniqueTenant('wk');
    const id = await kpiWidget(t);
    const all = await get(t, `/api/v1/widgets/${id}/data`);
    const aapl = await get(t, `/api/v1/widgets/${id}/data?symbols=AAPL`);
    const oneDay = await get(
      t,
      `/api/v1/widgets/${id}/data?symbols=AAPL&date_from=2026-01-05&date_to=2026-01-05T23:59:59`,
    );
    expect(aapl.unapplied_filters).toEqual([]);
    // AAPL's seeded quantities are 10 + (7i mod 90) for its 60 trades, the first 20 of them on 2026-01-05.
    const quantities = Array.from({ length: 60 }, (_, i) => 10 + ((i * 7) % 90));
    expect(all.rows[0]![0]).toBeGreaterThan(aapl.rows[0]![0] as number);
    expect(aapl.rows[0]).toEqual([quantities.reduce((a, b) => a + b, 0)]);
    expect(oneDay.rows[0]).toEqual([quantities.slice(0, 20).reduce((a, b) => a + b, 0)]);
  });

  it('keeps the run time on a cache hit and runs again on refresh=1', async () => {
    const t = uniqueTenant('wr');
    const id = await kpiWidget(t);
    const first = await get(t, `/api/v1/widgets/${id}/data`);
    expect(Date.parse(first.as_of)).toBeGreaterThan(Date.now() - 60_000);
    const hit = await get(t, `/api/v1/widgets/${id}/data`);
    expect(hit.cache_hit).toBe(true);
    expect(hit.as_of).toBe(first.as_of);
    const fresh = await get(t, `/api/v1/widgets/${id}/data?refresh=1`);
    expect(fresh.cache_hit).toBe(false);
    expect(Date.parse(fresh.as_of)).toBeGreaterThan(Date.parse(first.as_of));
    // The refreshed answer replaced the cached one.
    expect((await get(t, `/api/v1/widgets/${id}/data`)).as_of).toBe(fresh.as_of);
  });

  it('refuses an unknown refresh value with 400', async () => {
    const t = uniqueTenant('wv');
    const res = await h.as(t).get(`/api/v1/widgets/${await kpiWidget(t)}/data?refresh=yes`);
    expect(res.status).toBe(400);
  });
});

describe('GET /widgets/:id/export.csv', () => {
  it("streams every row with the dashboard's filters, named after the widget's title", async () => {
    const t = uniqueTenant('we');
    const res = await h.as(t).post('/api/v1/widgets', {
      dashboard_id: await dashboard(t, { symbols: ['MSFT', 'TSLA'] }),
      workflow_id: await workflow(t),
      output_node_id: 'sel',
      widget_type: 'table',
      config: { title: 'Big "MSFT" trades/day' },
    });
    const { id } = (await res.json()) as { id: string };
    const csv = await h.as(t, 'viewer').get(`/api/v1/widgets/${id}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="Big_MSFT_trades_day.csv"');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    const symbol = header.indexOf('symbol');
    expect(symbol).toBeGreaterThanOrEqual(0);
    // The data route pages at its limit; the export has every filtered row (the seed: 60 trades per symbol).
    expect(lines).toHaveLength(1 + 120);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[symbol]))).toEqual(new Set(['MSFT', 'TSLA']));
    // Query parameters override the dashboard's filters, as for the data.
    const one = await h.as(t).get(`/api/v1/widgets/${id}/export.csv?symbols=AAPL`);
    expect((await one.text()).trimEnd().split('\r\n')).toHaveLength(1 + 60);
  });

  it('names an untitled export after its workflow and node, and answers 404 for an unknown widget', async () => {
    const t = uniqueTenant('wn');
    const res = await h.as(t).post('/api/v1/widgets', {
      workflow_id: await workflow(t),
      output_node_id: 'srt',
      widget_type: 'table',
    });
    const { id } = (await res.json()) as { id: string };
    const csv = await h.as(t).get(`/api/v1/widgets/${id}/export.csv`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="w-srt.csv"');
    await csv.text();
    const missing = await h.as(t).get('/api/v1/widgets/00000000-0000-4000-8000-000000000000/export.csv');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
