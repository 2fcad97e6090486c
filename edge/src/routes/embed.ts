import type { Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { applyLockedFilters } from '../embed/locked-filters.ts';
import { MAX_EMBED_TTL_SECONDS, signEmbedToken } from '../embed/tokens.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import type { WidgetReadCaches, WidgetResolutions } from '../query/widget-resolutions.ts';
import { widgetData } from '../query/widget.ts';
import { queryContext } from './query.ts';
import { param, type Route } from './define.ts';
import { filtersOf, filtersQuery, globalFiltersSchema } from './filters.ts';
import { widgetDataOut } from './widgets.ts';

export const tokenBody = z.object({
  /** Defaults to every widget of the key. */
  widget_ids: z.array(z.uuid()).min(1).max(200).optional(),
  /** Filters the browser cannot widen, e.g. the symbols this customer's user may see. */
  locked_filters: globalFiltersSchema.default({}),
  ttl_seconds: z.number().int().min(30).max(MAX_EMBED_TTL_SECONDS).default(600),
});
export const tokenOut = z.object({
  token: z.string(),
  expires_at: z.string(),
  widget_ids: z.array(z.string()),
});
export const embedWidgetOut = z.object({
  id: z.string(),
  widget_type: z.string(),
  config: z.record(z.string(), z.unknown()),
  filters: globalFiltersSchema,
  /** The dashboard's refresh interval (0 = no automatic refresh): the embed page re-reads the data this often. */
  refresh_seconds: z.number().int(),
  /** The origins the caller's key lets frame this widget: the page refuses to show data anywhere else. */
  allowed_origins: z.array(z.string()),
});

/** The widget in the path, if the caller's key or token covers it, with its dashboard and workflow (held in process). */
async function scopedWidget(c: Context<AppEnv>, widgets: WidgetResolutions) {
  const id = param(c, 'id');
  if (!c.var.embed.widgetIds.includes(id))
    throw new ApiError(403, 'widget_out_of_scope', 'This key or token does not cover that widget');
  const resolved = await c.var.timings.measure('widget', () =>
    widgets.get(c.var.metadata, c.var.embed.tenantId, id),
  );
  if (!resolved) throw notFound('Widget');
  return resolved;
}

const base = { tag: 'embed' };

export function embedRoutes(route: Route, deps: AppDeps, { acls, widgets }: WidgetReadCaches): void {
  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/embed/tokens',
      auth: 'api-key',
      summary: 'Exchange an API key (server side) for a short-lived embed token for the browser',
      body: tokenBody,
      response: { status: 201, description: 'Token', schema: tokenOut },
    },
    async (c, { body }) => {
      const caller = c.var.embed;
      const widgetIds = body.widget_ids ?? caller.widgetIds;
      const outside = widgetIds.filter((id) => !caller.widgetIds.includes(id));
      if (outside.length)
        throw new ApiError(
          403,
          'widget_out_of_scope',
          `The key does not cover widgets ${outside.join(', ')}`,
        );
      const { token, expiresAt } = await signEmbedToken(
        deps.config.EMBED_SIGNING_SECRET,
        { tenantId: caller.tenantId, keyId: caller.keyId, widgetIds, locked: body.locked_filters },
        body.ttl_seconds,
      );
      c.header('Cache-Control', 'no-store');
      return c.json({ token, expires_at: expiresAt.toISOString(), widget_ids: widgetIds }, 201);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/embed/widgets/:id',
      auth: 'embed',
      summary: 'An embedded widget: type, config and the filters it runs with',
      response: { status: 200, description: 'Widget', schema: embedWidgetOut },
    },
    async (c) => {
      const { widget, dashboard } = await scopedWidget(c, widgets);
      return c.json({
        id: widget.id,
        widget_type: widget.widgetType,
        config: widget.config,
        filters: { ...(dashboard?.filters ?? {}), ...c.var.embed.locked },
        refresh_seconds: dashboard?.refreshSeconds ?? 0,
        allowed_origins: c.var.embed.allowedOrigins,
      });
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/embed/widgets/:id/data',
      auth: 'embed',
      summary:
        "An embedded widget's rows; query filters may narrow the token's locked filters, never widen them",
      query: filtersQuery,
      response: { status: 200, description: 'Rows', schema: widgetDataOut },
    },
    async (c, { query }) => {
      const tenant = c.var.embed.tenantId;
      const [{ widget, dashboard, workflow }, acl] = await Promise.all([
        scopedWidget(c, widgets),
        c.var.timings.measure('acl', () => acls.get(c.var.metadata, tenant)),
      ]);
      // The lock bounds what the request asks for; the dashboard's own filters fill in only what neither sets.
      const filters = {
        ...(dashboard?.filters ?? {}),
        ...applyLockedFilters(c.var.embed.locked, filtersOf(query)),
      };
      const { locked } = c.var.embed;
      const lock = Object.keys(locked).length > 0 ? locked : undefined;
      return c.json(
        await widgetData(
          deps,
          { tenant, widget, workflow, acl },
          filters,
          { limit: query.limit, ...(lock ? { lock } : {}) },
          queryContext(c),
        ),
      );
    },
  );
}
