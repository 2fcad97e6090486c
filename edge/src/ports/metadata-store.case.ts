import { describe, expect, it } from 'vitest';
import type { MetadataStore } from './metadata-store.ts';

const graph = {
  nodes: [{ id: 'a', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'd', table: 't' } }],
  edges: [],
};
const tenant = () => `mc-${crypto.randomUUID().slice(0, 8)}`;

/** The MetadataStore contract on a migrated PostgreSQL (Neon driver, PGlite…). */
export function metadataStoreContract(name: string, make: () => MetadataStore): void {
  describe(`MetadataStore contract: ${name}`, () => {
    it('creates, reads, updates (versioned) and deletes workflows within a tenant only', async () => {
      const s = make();
      const [a, b] = [tenant(), tenant()];
      const w = await s.createWorkflow(a, 'alice', { name: 'w', graph });
      expect(w).toMatchObject({ name: 'w', graph, version: 1, createdBy: 'alice' });
      expect(await s.getWorkflow(b, w.id)).toBeNull();
      expect(await s.listWorkflows(b)).toEqual([]);
      expect((await s.updateWorkflow(b, w.id, 'bob', { name: 'x' })).ok).toBe(false);

      const u = await s.updateWorkflow(a, w.id, 'alice', { name: 'w2', expectedVersion: 1 });
      expect(u).toMatchObject({ ok: true, value: { name: 'w2', version: 2, graph } });
      expect(await s.updateWorkflow(a, w.id, 'alice', { name: 'w3', expectedVersion: 1 })).toEqual({
        ok: false,
        reason: 'conflict',
        current: 2,
      });
      expect((await s.listWorkflowVersions(a, w.id))!.map((v) => v.version)).toEqual([2, 1]);
      expect(await s.listWorkflowVersions(b, w.id)).toBeNull();
      expect(await s.getWorkflowVersion(b, w.id, 1)).toBeNull();
      expect((await s.getWorkflowVersion(a, w.id, 1))!.name).toBe('w');

      expect(await s.deleteWorkflow(b, w.id)).toBe(false);
      expect(await s.deleteWorkflow(a, w.id)).toBe(true);
      expect(await s.getWorkflow(a, w.id)).toBeNull();
    });

    it('treats malformed ids as missing rows', async () => {
      const s = make();
      expect(await s.getWorkflow(tenant(), 'nope')).toBeNull();
      expect(await s.deleteDashboard(tenant(), "'; DROP TABLE workflows; --")).toBe(false);
      expect(await s.findApiKeyById('x')).toBeNull();
    });

    it('keeps dashboards and widgets per tenant; deleting a dashboard deletes its widgets', async () => {
      const s = make();
      const [a, b] = [tenant(), tenant()];
      const w = await s.createWorkflow(a, 'alice', { name: 'w', graph });
      const d = await s.createDashboard(a, 'alice', {
        name: 'd',
        layout: [{ widget_id: 'x', x: 0, y: 0, w: 4, h: 3 }],
        filters: { symbols: ['AAPL'] },
        refreshSeconds: 30,
      });
      expect(d).toMatchObject({ filters: { symbols: ['AAPL'] }, refreshSeconds: 30 });
      expect(await s.updateDashboard(b, d.id, { name: 'hacked' })).toBeNull();
      expect((await s.updateDashboard(a, d.id, { filters: {} }))!.filters).toEqual({});

      const wd = await s.createWidget(a, {
        dashboardId: d.id,
        workflowId: w.id,
        outputNodeId: 'a',
        widgetType: 'table',
        config: { x: 1 },
      });
      expect(await s.listWidgets(a, { dashboardId: d.id })).toHaveLength(1);
      expect(await s.listWidgets(b)).toEqual([]);
      expect(await s.getWidget(b, wd.id)).toBeNull();
      expect((await s.updateWidget(a, wd.id, { dashboardId: null }))!.dashboardId).toBeNull();
      expect((await s.updateWidget(a, wd.id, { dashboardId: d.id, widgetType: 'bar_chart' }))!).toMatchObject(
        {
          dashboardId: d.id,
          widgetType: 'bar_chart',
          config: { x: 1 },
        },
      );
      expect(await s.deleteDashboard(a, d.id)).toBe(true);
      expect(await s.getWidget(a, wd.id)).toBeNull();
    });

    it('stores API keys by hash, finds them across tenants, revokes within a tenant', async () => {
      const s = make();
      const [a, b] = [tenant(), tenant()];
      const hash = crypto.randomUUID().replaceAll('-', '').padEnd(64, '0');
      const k = await s.createApiKey(a, 'alice', {
        name: 'k',
        keyHash: hash,
        prefix: 'ff_live_abcd',
        scopedWidgetIds: [crypto.randomUUID()],
        allowedOrigins: ['https://a.example'],
        expiresAt: null,
      });
      expect(k).toMatchObject({
        tenantId: a,
        prefix: 'ff_live_abcd',
        revokedAt: null,
        allowedOrigins: ['https://a.example'],
      });
      expect(await s.findApiKeyByHash(hash)).toEqual(k);
      expect(await s.revokeApiKey(b, k.id)).toBeNull();
      expect((await s.revokeApiKey(a, k.id))!.revokedAt).not.toBeNull();
      await s.touchApiKey(k.id);
      expect((await s.findApiKeyById(k.id))!.lastUsedAt).not.toBeNull();
      expect(await s.listApiKeys(b)).toEqual([]);
    });

    it('unions the origins of every key covering a widget, revoked ones included', async () => {
      const s = make();
      const a = tenant();
      const [w1, w2] = [crypto.randomUUID(), crypto.randomUUID()];
      const key = (widgets: string[], origins: string[]) =>
        s.createApiKey(a, 'alice', {
          name: 'k',
          keyHash: crypto.randomUUID().replaceAll('-', '').padEnd(64, '1'),
          prefix: 'ff_live_abcd',
          scopedWidgetIds: widgets,
          allowedOrigins: origins,
          expiresAt: null,
        });
      await key([w1], ['https://b.example', 'https://a.example']);
      const revoked = await key([w1, w2], ['https://a.example', 'http://localhost:3000']);
      await s.revokeApiKey(a, revoked.id);
      await key([w2], []);
      expect(await s.embedOriginsForWidget(w1)).toEqual([
        'http://localhost:3000',
        'https://a.example',
        'https://b.example',
      ]);
      expect(await s.embedOriginsForWidget(w2)).toEqual(['http://localhost:3000', 'https://a.example']);
      expect(await s.embedOriginsForWidget(crypto.randomUUID())).toEqual([]);
      expect(await s.embedOriginsForWidget('not-a-uuid')).toEqual([]);
    });

    it('versions ACLs and defaults to unrestricted', async () => {
      const s = make();
      const a = tenant();
      expect(await s.getAcl(a)).toEqual({ allowedSymbols: null, allowedTables: null, version: 0 });
      expect(await s.putAcl(a, { allowedSymbols: ['AAPL'], allowedTables: null })).toEqual({
        allowedSymbols: ['AAPL'],
        allowedTables: null,
        version: 1,
      });
      expect(
        (await s.putAcl(a, { allowedSymbols: null, allowedTables: ['flowforge.raw_trades'] })).version,
      ).toBe(2);
      expect(await s.getAcl(tenant())).toMatchObject({ version: 0 });
    });

    it('appends and lists audit entries per tenant', async () => {
      const s = make();
      const [a, b] = [tenant(), tenant()];
      await s.appendAudit(a, {
        actor: 'alice',
        action: 'workflow.created',
        targetType: 'workflow',
        targetId: null,
      });
      expect((await s.listAudit(a, 10)).map((e) => e.action)).toEqual(['workflow.created']);
      expect(await s.listAudit(b, 10)).toEqual([]);
    });

    it('pings', async () => {
      await expect(make().ping()).resolves.toBeUndefined();
    });
  });
}
