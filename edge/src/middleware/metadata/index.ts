import type { MiddlewareHandler } from 'hono';
import type { MetadataProvider } from '../../deps.ts';
import type { AppEnv } from '../../env.ts';
import { waitUntil } from '../wait-until/index.ts';

/** Opens the metadata store for this request and releases it afterwards (in `waitUntil` where the runtime has one). */
export function metadata(provider: MetadataProvider): MiddlewareHandler<AppEnv> {
  return async function openMetadata(c, next) {
    const { store, release } = provider.open();
    c.set('metadata', store);
    try {
      await next();
    } finally {
      const released = release().catch(() => {});
      // Node's provider releases nothing; waiting there keeps the order of a pool that would.
      if (!waitUntil(c, released)) await released;
    }
  };
}
