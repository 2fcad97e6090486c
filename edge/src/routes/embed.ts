import type { Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { applyLockedFilters } from '../embed/locked-filters.ts';
import { MAX_EMBED_TTL_SECONDS, signEmbedToken } from '../embed/tokens.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { afterResponse } from '../middleware/wait-until/index.ts';
import { canonicalJson, sha256Hex } from '../query/canonical.ts';
import type { WidgetReadCaches, WidgetResolutions } from '../query/widget-resolutions.ts';
import { widgetData } from '../query/widget.ts';
import { queryContext } from './query.ts';
import { param, type Route } from './define.ts';
import { filtersOf, filtersQuery, globalFiltersSchema, type FiltersQuery } from './filters.ts';
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
  if (!c.get('embed').widgetIds.includes(id))
    throw new ApiError(403, 'widget_out_of_scope', 'This key or token does not cover that widget');
  const resolved = await c
    .get('timings')
    .measure('widget', () => widgets.get(c.get('metadata'), c.get('embed').tenantId, id));
  if (!resolved) throw notFound('Widget');
  return resolved;
}

/** The frame's box in CSS pixels and its palette: what a chart's SVG is drawn for. */
export const chartSvgQuery = filtersQuery.extend({
  width: z.coerce.number().int().min(80).max(4096),
  height: z.coerce.number().int().min(60).max(4096),
  theme: z.enum(['light', 'dark']).default('light'),
});

/**
 * The SVG is a document from the API's origin: were it opened on its own, it may run nothing and load nothing (its
 * emphasis styles are inline CSS).
 */
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const base = { tag: 'embed' };

export function embedRoutes(route: Route, deps: AppDeps, { acls, widgets }: WidgetReadCaches): void {
  /** The widget's rows as the token may see them: its lock bounds what the request asks for, at every scan. */
  async function embeddedWidgetData(c: Context<AppEnv>, query: FiltersQuery) {
    const tenant = c.get('embed').tenantId;
    const [{ widget, dashboard, workflow }, acl] = await Promise.all([
      scopedWidget(c, widgets),
      c.get('timings').measure('acl', () => acls.get(c.get('metadata'), tenant)),
    ]);
    // The dashboard's own filters fill in only what neither the lock nor the request sets.
    const filters = {
      ...(dashboard?.filters ?? {}),
      ...applyLockedFilters(c.get('embed').locked, filtersOf(query)),
    };
    const { locked } = c.get('embed');
    const lock = Object.keys(locked).length > 0 ? locked : undefined;
    return widgetData(
      deps,
      { tenant, widget, workflow, acl },
      filters,
      { limit: query.limit, ...(lock ? { lock } : {}) },
      queryContext(c),
    );
  }

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
      const caller = c.get('embed');
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
        filters: { ...(dashboard?.filters ?? {}), ...c.get('embed').locked },
        refresh_seconds: dashboard?.refreshSeconds ?? 0,
        allowed_origins: c.get('embed').allowedOrigins,
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
    async (c, { query }) => c.json(await embeddedWidgetData(c, query)),
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/embed/widgets/:id/chart.svg',
      auth: 'embed',
      summary:
        "An embedded chart drawn at the edge: the widget's rows (as `/data` reads them) as an SVG of the frame's size and theme",
      query: chartSvgQuery,
      response: { status: 200, description: 'The chart', contentType: 'image/svg+xml' },
    },
    async (c, { query }) => {
      const data = await embeddedWidgetData(c, query);
      const type = data.node?.type ?? data.widget_type;
      const config = data.node?.config ?? {};
      const { width, height, theme } = query;
      // The answer's SQL (tenant ACL, lock, filters and limit compiled in) and the time the engine ran it name the
      // rows; a newer answer is a new key, so the entry never outlives its rows' freshness.
      const key = `chart-svg:${await sha256Hex(
        canonicalJson({
          tenant: c.get('embed').tenantId,
          sql: data.sql,
          as_of: data.as_of,
          type,
          config,
          width,
          height,
          theme,
        }),
      )}`;
      const cached = await c
        .get('timings')
        .measure('chart-cache', () => deps.cache.get(key).catch(() => null));
      let svg = cached;
      if (svg === null) {
        svg = await c.get('timings').measure('render', async () => {
          // Loaded on the first chart drawn: an isolate that never draws one does not evaluate ECharts.
          const { renderChartSvg } = await import('../charts/svg.ts');
          return renderChartSvg(type, config, data, { width, height }, theme);
        });
        if (svg === null)
          throw new ApiError(422, 'not_a_chart', `This widget is a ${type}, which is not drawn as a chart`);
        const drawn = svg;
        afterResponse(
          c,
          () => deps.cache.set(key, drawn, deps.config.PREVIEW_CACHE_TTL),
          'chart cache write',
        );
      }
      return c.body(svg, 200, {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Content-Security-Policy': SVG_POLICY,
        'Cache-Control': 'no-store',
        'X-Cache': cached === null ? 'miss' : 'hit',
      });
    },
  );
}
