import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The page's own policy besides `frame-ancestors`: it loads only its own scripts and styles and talks only to this
 * API (the token goes nowhere else); inline styles are what React and ECharts set on elements.
 */
const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export const frameAncestors = (origins: readonly string[]): string =>
  `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`;

async function asset(c: Context<AppEnv>, deps: AppDeps, path: string) {
  if (!deps.embedAssets)
    throw new ApiError(503, 'embed_not_built', 'This deployment serves no embed page (no embed assets)');
  const file = await deps.embedAssets.get(path);
  if (!file && path === 'index.html')
    throw new ApiError(
      503,
      'embed_not_built',
      'The embed page is not built: run `npm run build:embed -w web` (EMBED_DIST points at its output)',
    );
  return file;
}

/**
 * `/embed/:widgetId` (the chromeless widget page customers frame), `/embed/sdk.js` (the SDK their pages import) and
 * the page's hashed assets, on every runtime that has the embed build. The page's token travels in the URL fragment,
 * which browsers never send, so the HTML is the same for everyone: only `frame-ancestors` depends on the widget —
 * the origins of the API keys that cover it.
 */
export function embedPageRoutes(
  app: Hono<AppEnv>,
  deps: AppDeps,
  openMetadata: MiddlewareHandler<AppEnv>,
): void {
  app.get('/embed/sdk.js', async function embedSdk(c) {
    const file = await asset(c, deps, 'sdk.js');
    if (!file) return c.notFound();
    return c.body(file.body, 200, {
      'Content-Type': file.contentType,
      // Customers' pages import it as a module from another origin: module scripts are fetched with CORS.
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('/embed/assets/:file{[A-Za-z0-9._-]+}', async function embedAsset(c) {
    const file = await asset(c, deps, `assets/${c.req.param('file')}`);
    if (!file) return c.notFound();
    return c.body(file.body, 200, {
      'Content-Type': file.contentType,
      // Names carry a content hash: a new build is a new URL.
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('/embed/:widgetId', openMetadata, async function embedPage(c) {
    const widgetId = c.req.param('widgetId');
    if (!UUID.test(widgetId)) return c.notFound();
    const [file, origins] = await Promise.all([
      asset(c, deps, 'index.html'),
      c.get('metadata').embedOriginsForWidget(widgetId),
    ]);
    return c.body(file!.body, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `${frameAncestors(origins)}; ${PAGE_POLICY}`,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      // A new key's origins must apply at once, and nothing about a viewer may be stored on the way.
      'Cache-Control': 'no-store',
    });
  });
}
