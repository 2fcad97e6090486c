import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import type { Widget } from '../ports/metadata-store.ts';
import { mergeFilters, widgetData, widgetExport } from '../query/widget.ts';
import type { WidgetReadCaches } from '../query/widget-resolutions.ts';
import { csvResponse, EXPORT_ERROR_MARKER, queryContext, queryResponse } from './query.ts';
import { param, type Route } from './define.ts';
import { filtersOf, filtersQuery, globalFiltersSchema } from './filters.ts';
import { recordChange } from './side-effects.ts';
import type { Context } from 'hono';

const WIDGET_TYPES = ['table', 'bar_chart', 'line_chart', 'candlestick', 'scatter', 'kpi', 'pivot'] as const;

export const widgetCreateBody = z.object({
  dashboard_id: z.uuid().nullable().default(null),
  workflow_id: z.uuid(),
  output_node_id: z.string().min(1).max(64),
  widget_type: z.enum(WIDGET_TYPES),
  config: z.record(z.string(), z.unknown()).default({}),
});
export const widgetPatchBody = z
  .object({
    dashboard_id: z.uuid().nullable().optional(),
    workflow_id: z.uuid().optional(),
    output_node_id: z.string().min(1).max(64).optional(),
    widget_type: z.enum(WIDGET_TYPES).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to update' });

export const widgetOut = z.object({
  id: z.string(),
  dashboard_id: z.string().nullable(),
  workflow_id: z.string(),
  output_node_id: z.string(),
  widget_type: z.string(),
  config: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
export const toWidgetOut = (w: Widget) => ({
  id: w.id,
  dashboard_id: w.dashboardId,
  workflow_id: w.workflowId,
  output_node_id: w.outputNodeId,
  widget_type: w.widgetType,
  config: w.config,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});
export const widgetDataOut = queryResponse.extend({
  widget_id: z.string(),
  widget_type: z.string(),
  filters: globalFiltersSchema,
  node: z
    .object({ type: z.string(), config: z.record(z.string(), z.unknown()) })
    .nullable()
    .describe('The output node as saved now: the chart draws with these settings'),
});

/** A signed-in user's Refresh may bypass the cache; embeds (API keys) never can. */
const widgetDataQuery = filtersQuery.extend({
  refresh: z
    .enum(['0', '1'])
    .transform((v) => v === '1')
    .default(false),
});

const invalidReference = (message: string) => new ApiError(400, 'invalid_reference', message);

/** A widget may only point at this tenant's workflow, at a node that exists in it, and at this tenant's dashboard. */
async function checkReferences(
  c: Context<AppEnv>,
  ref: { workflowId: string; outputNodeId: string; dashboardId: string | null },
) {
  const tenant = c.get('principal').tenantId;
  const [workflow, dashboard] = await Promise.all([
    c.get('metadata').getWorkflow(tenant, ref.workflowId),
    ref.dashboardId ? c.get('metadata').getDashboard(tenant, ref.dashboardId) : null,
  ]);
  if (!workflow) throw invalidReference(`Workflow ${ref.workflowId} not found`);
  if (ref.dashboardId && !dashboard) throw invalidReference(`Dashboard ${ref.dashboardId} not found`);
  const nodes = (workflow.graph as { nodes?: { id: string }[] }).nodes ?? [];
  if (!nodes.some((n) => n.id === ref.outputNodeId)) {
    throw invalidReference(`Node "${ref.outputNodeId}" is not in workflow "${workflow.name}"`);
  }
}

/**
 * The widget named in the path with its dashboard and workflow (`WidgetResolutions`, as embeds: a dashboard of four
 * widgets made twelve metadata reads per load) and the tenant's ACL (`TenantAcls`, as previews), and its dashboard's
 * filters overridden by the request's.
 */
async function widgetWithFilters(
  c: Context<AppEnv>,
  { acls, widgets }: WidgetReadCaches,
  query: z.infer<typeof filtersQuery>,
) {
  const tenant = c.get('principal').tenantId;
  const store = c.get('metadata');
  const [resolved, acl] = await Promise.all([
    c.get('timings').measure('widget', () => widgets.get(store, tenant, param(c, 'id'))),
    c.get('timings').measure('acl', () => acls.get(store, tenant)),
  ]);
  if (!resolved) throw notFound('Widget');
  const { widget, dashboard, workflow } = resolved;
  return {
    source: { tenant, widget, workflow, acl },
    filters: mergeFilters(dashboard?.filters ?? {}, filtersOf(query)),
  };
}

const base = { tag: 'widgets', auth: 'bearer' as const };

export function widgetRoutes(route: Route, deps: AppDeps, caches: WidgetReadCaches): void {
  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/widgets',
      role: 'viewer',
      summary: 'List widgets (optionally of one dashboard)',
      query: z.object({ dashboard_id: z.string().optional() }),
      response: { status: 200, description: 'Widgets', schema: z.object({ widgets: z.array(widgetOut) }) },
    },
    async (c, { query }) => {
      const widgets = await c
        .get('metadata')
        .listWidgets(
          c.get('principal').tenantId,
          query.dashboard_id !== undefined ? { dashboardId: query.dashboard_id } : {},
        );
      return c.json({ widgets: widgets.map(toWidgetOut) });
    },
  );

  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/widgets',
      role: 'analyst',
      summary: "Create a widget on one of the tenant's workflow nodes",
      body: widgetCreateBody,
      response: { status: 201, description: 'Created', schema: widgetOut },
    },
    async (c, { body }) => {
      const input = {
        dashboardId: body.dashboard_id,
        workflowId: body.workflow_id,
        outputNodeId: body.output_node_id,
        widgetType: body.widget_type,
        config: body.config,
      };
      await checkReferences(c, input);
      const w = await c.get('metadata').createWidget(c.get('principal').tenantId, input);
      await recordChange(
        c,
        deps,
        { action: 'widget.created', targetType: 'widget', targetId: w.id },
        w.dashboardId ? `dashboard:${w.dashboardId}` : undefined,
      );
      return c.json(toWidgetOut(w), 201);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/widgets/:id',
      role: 'viewer',
      summary: 'Get a widget',
      response: { status: 200, description: 'Widget', schema: widgetOut },
    },
    async (c) => {
      const w = await c.get('metadata').getWidget(c.get('principal').tenantId, param(c, 'id'));
      if (!w) throw notFound('Widget');
      return c.json(toWidgetOut(w));
    },
  );

  route(
    {
      ...base,
      method: 'patch',
      path: '/api/v1/widgets/:id',
      role: 'analyst',
      summary: 'Update a widget',
      body: widgetPatchBody,
      response: { status: 200, description: 'Updated', schema: widgetOut },
    },
    async (c, { body }) => {
      const tenant = c.get('principal').tenantId;
      const id = param(c, 'id');
      const current = await c.get('metadata').getWidget(tenant, id);
      if (!current) throw notFound('Widget');
      const next = {
        workflowId: body.workflow_id ?? current.workflowId,
        outputNodeId: body.output_node_id ?? current.outputNodeId,
        dashboardId: body.dashboard_id !== undefined ? body.dashboard_id : current.dashboardId,
      };
      await checkReferences(c, next);
      const w = await c.get('metadata').updateWidget(tenant, id, {
        ...(body.dashboard_id !== undefined ? { dashboardId: body.dashboard_id } : {}),
        ...(body.workflow_id !== undefined ? { workflowId: body.workflow_id } : {}),
        ...(body.output_node_id !== undefined ? { outputNodeId: body.output_node_id } : {}),
        ...(body.widget_type !== undefined ? { widgetType: body.widget_type } : {}),
        ...(body.config !== undefined ? { config: body.config } : {}),
      });
      if (!w) throw notFound('Widget');
      // A dashboard's viewers listen on its channel; a widget on no dashboard still has embeds to tell.
      await recordChange(
        c,
        deps,
        { action: 'widget.updated', targetType: 'widget', targetId: id },
        w.dashboardId ? `dashboard:${w.dashboardId}` : `widget:${id}`,
      );
      return c.json(toWidgetOut(w));
    },
  );

  route(
    {
      ...base,
      method: 'delete',
      path: '/api/v1/widgets/:id',
      role: 'analyst',
      summary: 'Delete a widget',
      response: { status: 204, description: 'Deleted' },
    },
    async (c) => {
      const id = param(c, 'id');
      if (!(await c.get('metadata').deleteWidget(c.get('principal').tenantId, id))) throw notFound('Widget');
      await recordChange(
        c,
        deps,
        { action: 'widget.deleted', targetType: 'widget', targetId: id },
        `widget:${id}`,
      );
      return c.body(null, 204);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/widgets/:id/data',
      role: 'viewer',
      summary: "A widget's rows with the dashboard's global filters (query parameters override them)",
      query: widgetDataQuery,
      response: { status: 200, description: 'Rows', schema: widgetDataOut },
    },
    async (c, { query }) => {
      const { source, filters } = await widgetWithFilters(c, caches, query);
      return c.json(
        await widgetData(
          deps,
          source,
          filters,
          { limit: query.limit, refresh: query.refresh },
          queryContext(c),
        ),
      );
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/widgets/:id/export.csv',
      role: 'viewer',
      summary: `Stream every row of a widget (up to EXPORT_MAX_ROWS) as CSV with the dashboard's filters (query parameters override them). A failure after the first bytes ends the file with a row whose first cell is ${EXPORT_ERROR_MARKER}`,
      query: filtersQuery,
      response: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    },
    async (c, { query }) => {
      const { source, filters } = await widgetWithFilters(c, caches, query);
      const { fileName, ...result } = await widgetExport(deps, source, filters);
      return csvResponse(c, deps, result, fileName);
    },
  );
}
