import { liveReads, type LiveReads } from '@flowforge/edge/live';
import type { MetadataStore } from '@flowforge/edge/ports/metadata-store';
import { graphSchema } from '@flowforge/edge/workflow';

export interface LiveWidget {
  id: string;
  workflowId: string;
  reads: LiveReads;
}

/** A dashboard as the fan-out routes it: its widgets' reads and the dashboard-wide symbol filter. */
export interface LiveDashboard {
  tenant: string;
  id: string;
  /** Dashboard global filter; null = every symbol. */
  symbols: Set<string> | null;
  widgets: LiveWidget[];
}

/** Loads the routing view of one dashboard (widget → workflow → scanned tables + symbol filters). */
export async function loadLiveDashboard(
  store: MetadataStore,
  tenant: string,
  id: string,
): Promise<LiveDashboard | null> {
  const dashboard = await store.getDashboard(tenant, id);
  if (!dashboard) return null;
  const widgets = await store.listWidgets(tenant, { dashboardId: id });
  const workflows = new Map(
    await Promise.all(
      [...new Set(widgets.map((w) => w.workflowId))].map(
        async (wid) => [wid, await store.getWorkflow(tenant, wid)] as const,
      ),
    ),
  );
  const live: LiveWidget[] = [];
  for (const w of widgets) {
    const graph = graphSchema.safeParse(workflows.get(w.workflowId)?.graph);
    if (!graph.success) continue;
    live.push({ id: w.id, workflowId: w.workflowId, reads: liveReads(graph.data, w.outputNodeId) });
  }
  const symbols = dashboard.filters.symbols;
  return { tenant, id, symbols: symbols?.length ? new Set(symbols) : null, widgets: live };
}

/** Widgets of a dashboard that a tick for `symbol` on `tables` can change. */
export function affectedWidgets(
  dashboard: LiveDashboard,
  symbol: string,
  tables: readonly string[],
): string[] {
  if (dashboard.symbols && !dashboard.symbols.has(symbol)) return [];
  return dashboard.widgets
    .filter((w) =>
      tables.some((t) => {
        if (!(t in w.reads.symbolsByTable)) return false;
        const allowed = w.reads.symbolsByTable[t];
        return allowed === null || allowed === undefined || allowed.includes(symbol);
      }),
    )
    .map((w) => w.id);
}
