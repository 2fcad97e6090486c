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
    itemSubPaths: [{ method: 'get', suffix: '/data' }],
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
