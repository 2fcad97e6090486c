import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.ts';
import { frameAncestors } from '../../routes/embed-page.ts';

/**
 * Headers on every embed response, errors included: only the key's allowed origins may frame it (none before the caller
 * is known or when the key lists none), no MIME sniffing, no referrer leaking the token in `?token=`.
 */
export function embedHeaders(): MiddlewareHandler<AppEnv> {
  return async function setEmbedHeaders(c, next) {
    await next();
    // A route's own policy (the chart SVG's) stays, after the framing rule.
    const own = c.res.headers.get('Content-Security-Policy');
    const framing = frameAncestors(c.get('embed')?.allowedOrigins ?? []);
    c.header('Content-Security-Policy', own ? `${framing}; ${own}` : framing);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  };
}
