import type { MetadataStore } from '@flowforge/edge/ports/metadata-store';

const node = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });

/**
 * A tenant's dashboard with one KPI widget whose workflow reads `database.raw_trades` filtered to one symbol — the
 * shape the fan-out routes on (widget → workflow → scanned table + symbol filter).
 */
export async function createSymbolDashboard(
  store: MetadataStore,
  tenant: string,
  database: string,
  symbol: string,
): Promise<{ dashboardId: string; widgetId: string }> {
  const workflow = await store.createWorkflow(tenant, 'test', {
    name: `${symbol} trades`,
    graph: {
      nodes: [
        node('src', 'data_source', { database, table: 'raw_trades' }),
        node('only', 'filter', { logic: 'AND', conditions: [{ column: 'symbol', op: '=', value: symbol }] }),
      ],
      edges: [{ id: 'src-only', source: 'src', target: 'only' }],
    },
  });
  const dashboard = await store.createDashboard(tenant, 'test', {
    name: 'live',
    layout: [],
    filters: {},
    refreshSeconds: 30,
  });
  const widget = await store.createWidget(tenant, {
    dashboardId: dashboard.id,
    workflowId: workflow.id,
    outputNodeId: 'only',
    widgetType: 'kpi',
    config: {},
  });
  return { dashboardId: dashboard.id, widgetId: widget.id };
}

/** The stack's metadata database as the fan-out reads it (development auth: X-Dev-Tenant). */
export const fanoutEnv = {
  APP_ENV: 'development',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowforge',
  NEON_WS_PROXY: process.env.NEON_WS_PROXY ?? '127.0.0.1:5433',
};
