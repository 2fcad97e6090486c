import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { relative } from 'node:path';

/**
 * Node only: the built single-page web app (`web/dist`) as a fetch handler. Files are served as they are; every other
 * path (client-side routes such as /canvas/…) gets index.html.
 */
export function webAppHandler(dist: string): (request: Request) => Response | Promise<Response> {
  const web = new Hono();
  const root = relative(process.cwd(), dist) || '.';
  web.use('/*', serveStatic({ root }));
  web.get('*', serveStatic({ root, path: 'index.html' }));
  return (request) => web.fetch(request);
}
