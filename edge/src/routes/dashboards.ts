import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { Dashboard } from '../ports/metadata-store.ts';
import { param, type Route } from './define.ts';
import { globalFiltersSchema } from './filters.ts';
import { recordChange } from './side-effects.ts';

const layoutItem = z.looseObject({
  widget_id: z.string(),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  w: z.number().int().min(1),
  h: z.number().int().min(1),
});
export const dashboardCreateBody = z.object({
  name: z.string().trim().min(1).max(255),
  layout: z.array(layoutItem).max(200).default([]),
  filters: globalFiltersSchema.default({}),
  /** 0 = no polling; live widgets refresh through the data plane's invalidations. */
  refresh_seconds: z.number().int().min(0).max(86_400).default(0),
});
export const dashboardPatchBody = z
  .object({
    name: dashboardCreateBody.shape.name.optional(),
    layout: z.array(layoutItem).max(200).optional(),
    filters: globalFiltersSchema.optional(),
    refresh_seconds: z.number().int().min(0).max(86_400).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to update' });

export const dashboardOut = z.object({
  id: z.string(),
  name: z.string(),
  layout: z.array(layoutItem),
  filters: globalFiltersSchema,
  refresh_seconds: z.number(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const toOut = (d: Dashboard) => ({
  id: d.id,
  name: d.name,
  layout: d.layout,
  filters: d.filters,
  refresh_seconds: d.refreshSeconds,
  created_by: d.createdBy,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

const base = { tag: 'dashboards', auth: 'bearer' as const };

export function dashboardRoutes(route: Route, deps: AppDeps): void {
  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/dashboards',
      role: 'viewer',
      summary: 'List dashboards',
      response: {
        status: 200,
        description: 'Dashboards',
        schema: z.object({ dashboards: z.array(dashboardOut) }),
      },
    },
    async (c) =>
      c.json({
        dashboards: (await c.get('metadata').listDashboards(c.get('principal').tenantId)).map(toOut),
      }),
  );

  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/dashboards',
      role: 'analyst',
      summary: 'Create a dashboard',
      body: dashboardCreateBody,
      response: { status: 201, description: 'Created', schema: dashboardOut },
    },
    async (c, { body }) => {
      const d = await c.get('metadata').createDashboard(c.get('principal').tenantId, c.get('principal').sub, {
        name: body.name,
        layout: body.layout,
        filters: body.filters,
        refreshSeconds: body.refresh_seconds,
      });
      await recordChange(c, deps, { action: 'dashboard.created', targetType: 'dashboard', targetId: d.id });
      return c.json(toOut(d), 201);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/dashboards/:id',
      role: 'viewer',
      summary: 'Get a dashboard',
      response: { status: 200, description: 'Dashboard', schema: dashboardOut },
    },
    async (c) => {
      const d = await c.get('metadata').getDashboard(c.get('principal').tenantId, param(c, 'id'));
      if (!d) throw notFound('Dashboard');
      return c.json(toOut(d));
    },
  );

  route(
    {
      ...base,
      method: 'patch',
      path: '/api/v1/dashboards/:id',
      role: 'analyst',
      summary: 'Update a dashboard',
      body: dashboardPatchBody,
      response: { status: 200, description: 'Updated', schema: dashboardOut },
    },
    async (c, { body }) => {
      const id = param(c, 'id');
      const d = await c.get('metadata').updateDashboard(c.get('principal').tenantId, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.layout !== undefined ? { layout: body.layout } : {}),
        ...(body.filters !== undefined ? { filters: body.filters } : {}),
        ...(body.refresh_seconds !== undefined ? { refreshSeconds: body.refresh_seconds } : {}),
      });
      if (!d) throw notFound('Dashboard');
      await recordChange(
        c,
        deps,
        { action: 'dashboard.updated', targetType: 'dashboard', targetId: id },
        `dashboard:${id}`,
      );
      return c.json(toOut(d));
    },
  );

  route(
    {
      ...base,
      method: 'delete',
      path: '/api/v1/dashboards/:id',
      role: 'analyst',
      summary: 'Delete a dashboard and its widgets',
      response: { status: 204, description: 'Deleted' },
    },
    async (c) => {
      const id = param(c, 'id');
      if (!(await c.get('metadata').deleteDashboard(c.get('principal').tenantId, id)))
        throw notFound('Dashboard');
      await recordChange(
        c,
        deps,
        { action: 'dashboard.deleted', targetType: 'dashboard', targetId: id },
        `dashboard:${id}`,
      );
      return c.body(null, 204);
    },
  );
}
