import type { Context, ExecutionContext } from 'hono';
import type { AppEnv } from '../../env.ts';

/**
 * The ExecutionContext the Node entries pass to `app.fetch`. A Node process keeps pending work alive by itself, so
 * there is nothing to extend; having a context spares each request Hono's `executionCtx` getter, which throws when
 * there is none (an Error and its stack: ~0.04 ms with cold caches, twice per request).
 */
export const nodeExecutionContext: ExecutionContext = {
  waitUntil() {},
  passThroughOnException() {},
  props: {},
};

/**
 * Hands `work` to the runtime so a Worker isolate stays alive until it settles after the response is sent. Returns
 * false where the request came with no ExecutionContext (`app.request` in tests): there the promise simply runs on.
 */
export function waitUntil(c: Context<AppEnv>, work: Promise<unknown>): boolean {
  let ctx: ExecutionContext;
  try {
    ctx = c.executionCtx;
  } catch {
    return false;
  }
  ctx.waitUntil(work);
  return true;
}

/**
 * Work that must not hold up the response (the preview cache write): started from a timer on every runtime, so even
 * its synchronous part (serialising, building the request to the Upstash REST port) runs after the response is handed
 * over instead of between the handler and the socket, and kept alive with `waitUntil`. A failure is logged, never
 * thrown.
 */
export function afterResponse(c: Context<AppEnv>, work: () => Promise<unknown>, what: string): void {
  const later = new Promise((resolve) => setTimeout(resolve, 0))
    .then(work)
    .catch((err: unknown) => console.warn(`${what} failed:`, err));
  waitUntil(c, later);
}
