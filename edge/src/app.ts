import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { AppDeps } from './deps.ts';
import type { AppEnv } from './env.ts';
import { ApiError, errorBody, unavailable } from './errors.ts';
import { auth } from './middleware/auth/index.ts';
import { embedAuth, type EmbedAuthOptions } from './middleware/embed-auth/index.ts';
import { embedHeaders } from './middleware/embed-headers/index.ts';
import { metadata } from './middleware/metadata/index.ts';
import { enforceRateLimits, rateLimit } from './middleware/rate-limit/index.ts';
import { serverTiming, timed } from './middleware/server-timing/index.ts';
import { ApiSpec } from './openapi/index.ts';
import { aclChangeTenant, TenantAcls } from './query/tenant-acls.ts';
import { widgetChangeTenant, WidgetResolutions } from './query/widget-resolutions.ts';
import { echoingBus } from './ports/bus.ts';
import { MetadataUnavailable } from './ports/metadata-store.ts';
import { docsPage } from './openapi/docs-page.ts';
import { bindRoute, type Guards } from './routes/define.ts';
import { aclRoutes } from './routes/acl.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { dashboardRoutes } from './routes/dashboards.ts';
import { embedPageRoutes } from './routes/embed-page.ts';
import { embedRoutes } from './routes/embed.ts';
import { healthRoutes } from './routes/health.ts';
import { memberRoutes } from './routes/members.ts';
import { queryRoutes } from './routes/query.ts';
import { sessionRoutes } from './routes/session.ts';
import { widgetRoutes } from './routes/widgets.ts';
import { workflowRoutes } from './routes/workflows.ts';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The whole HTTP surface; runtime entries (worker.ts, node.ts) only build `deps`. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  const spec = new ApiSpec();

  app.use('*', serverTiming());
  app.use('*', requestId());
  app.onError((thrown, c) => {
    const id = c.get('requestId');
    const err =
      thrown instanceof MetadataUnavailable
        ? unavailable('metadata_unavailable', 'The metadata database is unavailable', thrown.cause)
        : thrown;
    if (err instanceof ApiError) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      if (err.internal === undefined)
        return c.json(errorBody(err.code, err.message, err.details), err.status);
      console.error(
        `request ${id}: ${c.req.method} ${c.req.path} → ${err.status} ${err.code}:`,
        err.internal,
      );
      return c.json(errorBody(err.code, err.message, err.details ?? { request_id: id }), err.status);
    }
    if (err instanceof HTTPException) return c.json(errorBody('http_error', err.message), err.status);
    console.error(`request ${id}: ${c.req.method} ${c.req.path} → 500 unhandled:`, err);
    return c.json(errorBody('internal', 'Internal server error', { request_id: id }), 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  const tooLarge = (c: Context) =>
    c.json(errorBody('payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`), 413);
  const streamedBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // Hono's bodyLimit reads `request.body` first, which makes the Node adapter build a full web Request (and an
  // AbortController) for every call and loses its direct read of the body: judge by the headers when they tell.
  app.use('/api/v1/*', async function limitBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number(length) > MAX_BODY_BYTES ? tooLarge(c) : next();
    return streamedBodyLimit(c, next);
  });
  // The embed endpoints are called from customers' servers and iframes with their own auth; CORS is for our web app.
  // Only a cross-origin request reads CORS headers. Hono's cors sets them before the handler runs, which makes Hono
  // copy the handler's response into one whose body is a stream: same-origin calls (the app's own pages, the Node
  // entry serving the web app) skip it and keep a plain string body, written to the socket in one go.
  const appCors = cors({ origin: config.corsOrigins, credentials: true, maxAge: 600 });
  app.use('/api/v1/*', async function corsForWebApp(c, next) {
    const origin = c.req.header('origin');
    const crossOrigin = origin !== undefined && !c.req.url.startsWith(`${origin}/`);
    return crossOrigin && !c.req.path.startsWith('/api/v1/embed/') ? appCors(c, next) : next();
  });

  app.use('/api/v1/embed/*', embedHeaders());

  const openMetadata = metadata(deps.metadata);
  const authenticate = auth({
    issuers: deps.issuers,
    audience: config.JWT_AUDIENCE,
    ...(config.APP_ENV === 'development'
      ? {
          devAccess: { hosts: config.devHosts, origins: config.corsOrigins },
          ...(config.DEV_SIGN_IN_TENANT ? { devSignIn: config.DEV_SIGN_IN_TENANT } : {}),
        }
      : {}),
  });
  const perUser = rateLimit(deps.rateLimiter, (c) => [
    {
      key: `user:${c.get('principal').tenantId}:${c.get('principal').sub}`,
      perWindow: config.RATE_LIMIT_PER_MINUTE,
    },
  ]);
  // A key is shared by all of a customer's viewers, a token by one viewer's frame: each gets its own allowance.
  const limitEmbed: EmbedAuthOptions['limit'] = (c, caller) =>
    c
      .get('timings')
      .measure('ratelimit', () =>
        enforceRateLimits(c, deps.rateLimiter, [
          { key: `embed-key:${caller.keyId}`, perWindow: config.EMBED_RATE_LIMIT_PER_MINUTE },
          ...(caller.tokenId
            ? [{ key: `embed-token:${caller.tokenId}`, perWindow: config.EMBED_TOKEN_RATE_LIMIT_PER_MINUTE }]
            : []),
        ]),
      );
  // `auth` in Server-Timing covers a token's allowances too: they are counted while its key is read.
  const embedAuthFor = (accept: 'api-key' | 'any') =>
    timed('auth', embedAuth({ secret: config.EMBED_SIGNING_SECRET, accept, limit: limitEmbed }));
  const guards: Guards = {
    none: [],
    bearer: [timed('auth', authenticate), perUser, openMetadata],
    'api-key': [openMetadata, embedAuthFor('api-key')],
    embed: [openMetadata, embedAuthFor('any')],
  };
  const route = bindRoute(app, spec, guards);

  // What this process keeps of metadata (ACLs, resolved widgets) is dropped on a change announced on the bus: the
  // process's own changes at once (the bus echoes them here), other processes' where the bus can push.
  const acls = new TenantAcls(config.ACL_CACHE_SECONDS * 1000);
  const widgets = new WidgetResolutions(config.WIDGET_CACHE_SECONDS * 1000);
  const changed = (channel: string) => {
    const aclTenant = aclChangeTenant(channel);
    if (aclTenant !== undefined) acls.forget(aclTenant);
    const widgetTenant = widgetChangeTenant(channel);
    if (widgetTenant !== undefined) widgets.forget(widgetTenant);
  };
  deps.bus.subscribe?.('flowforge:*', (_message, channel) => changed(channel));
  const routeDeps: AppDeps = { ...deps, bus: echoingBus(deps.bus, changed) };

  healthRoutes(route, routeDeps);
  sessionRoutes(route, config);
  workflowRoutes(route, routeDeps);
  dashboardRoutes(route, routeDeps);
  widgetRoutes(route, routeDeps, { acls, widgets });
  queryRoutes(route, routeDeps, acls);
  apiKeyRoutes(route, routeDeps);
  aclRoutes(route, routeDeps);
  auditRoutes(route);
  memberRoutes(route, routeDeps);
  embedRoutes(route, routeDeps, { acls, widgets });
  embedPageRoutes(app, deps, openMetadata);

  const specOptions = { development: config.APP_ENV === 'development' };
  app.get('/api/v1/openapi.json', (c) => c.json(spec.document(specOptions)));
  app.get('/api/v1/docs', (c) =>
    c.html(docsPage(spec.document(specOptions) as Parameters<typeof docsPage>[0])),
  );
  return app;
}
