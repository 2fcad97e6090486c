import type { AppDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import type { GlobalFilters, MetadataStore, Widget } from '../ports/metadata-store.ts';
import { runQuery, type QueryResponse } from './index.ts';

export type WidgetData = QueryResponse & { widget_id: string; widget_type: string; filters: GlobalFilters };

/**
 * Runs a widget's workflow up to its output node with the given global filters and the tenant's ACL (and an embed
 * token's lock, applied at the scan).
 */
export async function widgetData(
  deps: AppDeps,
  store: MetadataStore,
  tenant: string,
  widget: Widget,
  filters: GlobalFilters,
  limit: number,
  lock?: GlobalFilters,
): Promise<WidgetData> {
  const [workflow, acl] = await Promise.all([
    store.getWorkflow(tenant, widget.workflowId),
    store.getAcl(tenant),
  ]);
  // The FK cascades widget deletion with the workflow, so this only happens in a race with a delete.
  if (!workflow) throw new ApiError(404, 'not_found', 'Widget workflow not found');
  const result = await runQuery(deps, {
    tenant,
    acl,
    graph: workflow.graph,
    target: widget.outputNodeId,
    limit,
    view: { filters },
    ...(lock ? { lock } : {}),
  });
  return { ...result, widget_id: widget.id, widget_type: widget.widgetType, filters };
}

/** Dashboard filters first, then whatever the request narrows or replaces (the JWT user owns both). */
export function mergeFilters(base: GlobalFilters, override: GlobalFilters): GlobalFilters {
  const out: GlobalFilters = { ...base };
  if (override.date_from !== undefined) out.date_from = override.date_from;
  if (override.date_to !== undefined) out.date_to = override.date_to;
  if (override.symbols !== undefined) out.symbols = override.symbols;
  return out;
}
