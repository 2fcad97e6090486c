import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { tradesGraph } from '../test-support/graphs.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { tenancySuite } from '../test-support/tenancy.ts';
import { GRAPH_VERSION } from '../workflow/index.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('workflows: multi-tenancy', () => {
  tenancySuite(() => h, {
    path: '/api/v1/workflows',
    listKey: 'workflows',
    createBody: async () => ({ name: 'trades', graph: tradesGraph() }),
    patchBody: { name: 'renamed' },
    itemSubPaths: [
      { method: 'get', suffix: '/versions' },
      { method: 'post', suffix: '/versions/1/restore' },
    ],
  });
});

describe('workflows: versions', () => {
  it('every save is a version; restore makes the old graph the newest version', async () => {
    const t = uniqueTenant('wv');
    const api = h.as(t, 'analyst');
    const created = (await (
      await api.post('/api/v1/workflows', { name: 'v1', graph: tradesGraph() })
    ).json()) as {
      id: string;
      version: number;
    };
    expect(created.version).toBe(1);
    const second = tradesGraph({ symbols: ['AAPL'] });
    const patched = await api.patch(`/api/v1/workflows/${created.id}`, {
      name: 'v2',
      graph: second,
      version: 1,
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { version: number }).version).toBe(2);

    const stale = await api.patch(`/api/v1/workflows/${created.id}`, { name: 'v3', version: 1 });
    expect(stale.status).toBe(409);

    const versions = (await (await api.get(`/api/v1/workflows/${created.id}/versions`)).json()) as {
      versions: { version: number; name: string }[];
    };
    expect(versions.versions.map((v) => [v.version, v.name])).toEqual([
      [2, 'v2'],
      [1, 'v1'],
    ]);

    const restored = await api.post(`/api/v1/workflows/${created.id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    const body = (await restored.json()) as { version: number; name: string; graph: unknown };
    expect(body).toMatchObject({ version: 3, name: 'v1', graph: tradesGraph() });
  });

  it('viewers read but cannot write', async () => {
    const t = uniqueTenant('wr');
    expect((await h.as(t, 'viewer').get('/api/v1/workflows')).status).toBe(200);
    const res = await h.as(t, 'viewer').post('/api/v1/workflows', { name: 'x', graph: tradesGraph() });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('writes an audit row per change', async () => {
    const t = uniqueTenant('wa');
    await h.as(t).post('/api/v1/workflows', { name: 'audited', graph: tradesGraph() });
    const audit = await h.node.deps.metadata.open().store.listAudit(t, 10);
    expect(audit.map((e) => e.action)).toEqual(['workflow.created']);
  });
});

describe('workflows: graph document versions', () => {
  type Out = { id: string; graph: { version?: number; nodes: unknown[] } };

  it('writes stamp the current graph version on documents that have none', async () => {
    const api = h.as(uniqueTenant('gv'), 'analyst');
    const created = await api.post('/api/v1/workflows', { name: 'unversioned', graph: tradesGraph() });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Out;
    expect(body.graph).toEqual({ version: GRAPH_VERSION, ...tradesGraph() });
    const read = (await (await api.get(`/api/v1/workflows/${body.id}`)).json()) as Out;
    expect(read.graph.version).toBe(GRAPH_VERSION);
  });

  it('a row an older build stored without a version is read back migrated', async () => {
    const tenant = uniqueTenant('gv');
    const { store, release } = h.node.deps.metadata.open();
    const legacy = await store
      .createWorkflow(tenant, 'older-build', { name: 'legacy', graph: tradesGraph() })
      .finally(release);
    const read = (await (await h.as(tenant, 'viewer').get(`/api/v1/workflows/${legacy.id}`)).json()) as Out;
    expect(read.graph).toEqual({ version: GRAPH_VERSION, ...tradesGraph() });
    const versions = (await (
      await h.as(tenant, 'viewer').get(`/api/v1/workflows/${legacy.id}/versions`)
    ).json()) as { versions: Out[] };
    expect(versions.versions.map((v) => v.graph.version)).toEqual([GRAPH_VERSION]);
  });

  it('a document from a newer build is refused with 422 naming the version', async () => {
    const api = h.as(uniqueTenant('gv'), 'analyst');
    const res = await api.post('/api/v1/workflows', {
      name: 'future',
      graph: { ...tradesGraph(), version: GRAPH_VERSION + 1 },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual([
      {
        path: 'graph.version',
        message: `This workflow was saved by a newer FlowForge (graph version ${GRAPH_VERSION + 1}); this one reads versions up to ${GRAPH_VERSION}`,
      },
    ]);
  });
});
