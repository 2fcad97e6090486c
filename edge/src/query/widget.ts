import type { AppDeps } from '../deps.ts';
import type { GlobalFilters, TenantAcl, Widget, Workflow } from '../ports/metadata-store.ts';
import { parseGraph, runQuery, streamQuery, type QueryContext, type QueryResponse } from './index.ts';

export type WidgetData = QueryResponse & {
  widget_id: string;
  widget_type: string;
  /** The filters as applied: a relative range is resolved to its `date_from`. */
  filters: GlobalFilters;
  /** The output node as saved now (type and config), so a chart draws with the workflow's current settings. */
  node: { type: string; config: Record<string, unknown> } | null;
};

const DAY_MS = 86_400_000;
const RANGE_DAYS = { today: 0, '5d': 5, '1m': 30, '6m': 182 } as const;

/**
 * A relative range becomes a `date_from` at day granularity (UTC midnight), so answers stay cacheable all day long.
 */
export function resolveRange(filters: GlobalFilters, now = new Date()): GlobalFilters {
  if (!filters.range) return filters;
  const { range, ...rest } = filters;
  const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS - RANGE_DAYS[range] * DAY_MS;
  return { ...rest, date_from: new Date(midnight).toISOString().slice(0, 10) };
}

/** A widget with what its rows depend on: its workflow as saved now and the tenant's ACL. */
export interface WidgetSource {
  tenant: string;
  widget: Widget;
  workflow: Workflow;
  acl: TenantAcl;
}

/** The query a widget's data and its export both run. */
function widgetQuery(source: WidgetSource, filters: GlobalFilters, lock: GlobalFilters | undefined) {
  const { tenant, widget, workflow, acl } = source;
  const applied = resolveRange(filters);
  const node = (workflow.graph as { nodes?: { id: string; type?: string; data?: unknown }[] }).nodes?.find(
    (n) => n.id === widget.outputNodeId,
  );
  return {
    applied,
    node,
    request: {
      tenant,
      acl,
      graph: parseGraph(workflow.graph),
      target: widget.outputNodeId,
      view: { filters: applied },
      ...(lock ? { lock } : {}),
    },
  };
}

/**
 * Runs a widget's workflow up to its output node with the given global filters and the tenant's ACL (and an embed
 * token's lock, applied at the scan).
 */
export async function widgetData(
  deps: AppDeps,
  source: WidgetSource,
  filters: GlobalFilters,
  options: { limit: number; refresh?: boolean; lock?: GlobalFilters },
  ctx: QueryContext = {},
): Promise<WidgetData> {
  const { applied, node, request } = widgetQuery(source, filters, options.lock);
  const result = await runQuery(
    deps,
    { ...request, limit: options.limit, ...(options.refresh ? { refresh: true } : {}) },
    ctx,
  );
  return {
    ...result,
    widget_id: source.widget.id,
    widget_type: source.widget.widgetType,
    filters: applied,
    node: node ? { type: String(node.type), config: (node.data ?? {}) as Record<string, unknown> } : null,
  };
}

/**
 * Every row of a widget (up to the export cap) with the same filters as its data, and a file name after the
 * widget's title, else its workflow and node.
 */
export async function widgetExport(deps: AppDeps, source: WidgetSource, filters: GlobalFilters) {
  const { widget, workflow } = source;
  const { request } = widgetQuery(source, filters, undefined);
  const { title } = (widget.config ?? {}) as { title?: unknown };
  const name =
    typeof title === 'string' && title.trim() !== '' ? title : `${workflow.name}-${widget.outputNodeId}`;
  return {
    fileName: `${name}.csv`,
    ...(await streamQuery(deps, request)),
  };
}

/** Dashboard filters first, then whatever the request narrows or replaces (the JWT user owns both). */
export function mergeFilters(base: GlobalFilters, override: GlobalFilters): GlobalFilters {
  const out: GlobalFilters = { ...base };
  // A range and explicit dates exclude each other: whichever the request names replaces the other.
  if (override.range !== undefined) {
    out.range = override.range;
    delete out.date_from;
    delete out.date_to;
  }
  if (override.date_from !== undefined || override.date_to !== undefined) delete out.range;
  if (override.date_from !== undefined) out.date_from = override.date_from;
  if (override.date_to !== undefined) out.date_to = override.date_to;
  if (override.symbols !== undefined) out.symbols = override.symbols;
  return out;
}
