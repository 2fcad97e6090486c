import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { relative } from 'node:path';

/** Paths the edge app answers when it shares a server with the web app: the API and the embed page and SDK. */
export const servedByApp = (pathname: string): boolean =>
  pathname.startsWith('/api/') || pathname.startsWith('/embed/');

/**
 * Vite names every file under assets/ after its content hash, so a browser may keep it for good; index.html names the
 * current hashes and must be asked for again on every visit.
 */
const cacheControl = (path: string) =>
  path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';

/**
 * Node only: the built single-page web app (`web/dist`) as a fetch handler. Files are served as they are; every other
 * path (client-side routes such as /canvas/…) gets index.html, except a missing file (a name with an extension, such as
 * a browser's /favicon.ico): a page where a file was asked for helps nobody.
 */
export function webAppHandler(dist: string): (request: Request) => Response | Promise<Response> {
  const web = new Hono();
  const root = relative(process.cwd(), dist) || '.';
  web.use('/*', async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', cacheControl(c.req.path));
  });
  web.use('/*', serveStatic({ root }));
  // An asset an old page still names is gone after a deploy: a 404, not index.html cached for a year under its name.
  web.get('/assets/*', (c) => c.text('Not found', 404));
  web.get('*', async (c, next) => {
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.text('Not found', 404);
    return next();
  });
  web.get('*', serveStatic({ root, path: 'index.html' }));
  return (request) => web.fetch(request);
}
