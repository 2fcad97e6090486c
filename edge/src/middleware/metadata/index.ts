import type { MiddlewareHandler } from 'hono';
import type { MetadataProvider } from '../../deps.ts';
import type { AppEnv } from '../../env.ts';

/** Opens the metadata store for this request and releases it afterwards (in `waitUntil` where the runtime has one). */
export function metadata(provider: MetadataProvider): MiddlewareHandler<AppEnv> {
  return async function openMetadata(c, next) {
    const { store, release } = provider.open();
    c.set('metadata', store);
    try {
      await next();
    } finally {
      const released = release().catch(() => {});
      let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
      try {
        ctx = c.executionCtx;
      } catch {
        // Node has no ExecutionContext: Hono's getter throws, so wait for the release here instead.
      }
      if (ctx) ctx.waitUntil(released);
      else await released;
    }
  };
}
